// What a suite run shares: one chromium, one code-server with the extension from the work tree
// (started on first use and reused by every scenario), and any extra code-server a scenario
// needs (e.g. one with the extension installed from the VSIX). Also the bookkeeping the root
// hooks (hooks.mjs) use to save evidence of a failed test and to stop everything at the end.
import { launchBrowser } from './browser.mjs';
import { CodeServer } from './codeServer.mjs';
import { Workbench } from './workbench.mjs';

const KEEP_RUN_DIRS = process.env.E2E_KEEP_RUN_DIRS === '1';

let browserHandle;
let sharedServer;
const servers = new Set();
/** The workbenches opened by the running test; closed (and photographed on failure) after it. */
const openWorkbenches = new Set();

export async function browser() {
  browserHandle ??= await launchBrowser();
  return browserHandle.browser;
}

/**
 * Starts a code-server for this suite run; stopped by the root afterAll hook.
 * @param {{ vsix?: string }} [options] see CodeServer.start
 */
export async function startCodeServer(options = {}) {
  const server = await CodeServer.start(options);
  servers.add(server);
  return server;
}

/** Stops a server before the end of the run (e.g. in a scenario's after hook). */
export async function stopCodeServer(server) {
  servers.delete(server);
  await server.stop({ keepRunDir: KEEP_RUN_DIRS });
}

/** The code-server with the extension copied from the work tree, shared by all scenarios. */
export async function workTreeServer() {
  sharedServer ??= startCodeServer();
  return sharedServer;
}

/**
 * Opens a fresh workbench on a new workspace folder holding `files` ({ name: content }).
 * Uses the shared work-tree code-server unless `server` is given.
 */
export async function openWorkbench(files, { server } = {}) {
  const workbench = await Workbench.open(server ?? (await workTreeServer()), await browser(), files);
  openWorkbenches.add(workbench);
  return workbench;
}

export function workbenchesOfCurrentTest() {
  return [...openWorkbenches];
}

export function serversOfRun() {
  return [...servers];
}

export async function closeWorkbenchesOfCurrentTest() {
  await Promise.all([...openWorkbenches].map((workbench) => workbench.close()));
  openWorkbenches.clear();
}

export async function stopEverything() {
  await closeWorkbenchesOfCurrentTest();
  await browserHandle?.close();
  browserHandle = undefined;
  await Promise.all([...servers].map((server) => server.stop({ keepRunDir: KEEP_RUN_DIRS })));
  servers.clear();
  sharedServer = undefined;
}

// Makes sure nothing the suite starts or creates outlives it: not after a failed test, not after
// Ctrl-C, not after an uncaught error.
//
// code-server runs its real server and the extension host as children of the process we spawn,
// so killing that one pid would orphan them: every long-lived process is started as the leader
// of its own process group and the whole group is killed. Chromium is started by playwright,
// which does the same and kills it from its own process 'exit' handler.
import fs from 'node:fs';

const groups = new Map(); // process group id -> name, for the log line
const tempDirs = new Set();

let handlersInstalled = false;

/** Registers a process group (the pid of a child spawned with `detached: true`). */
export function trackProcessGroup(pgid, name) {
  installHandlersOnce();
  groups.set(pgid, name);
}

export function untrackProcessGroup(pgid) {
  groups.delete(pgid);
}

/** Registers a directory to delete if the run ends before its owner deletes it. */
export function trackTempDir(dir) {
  installHandlersOnce();
  tempDirs.add(dir);
}

export function untrackTempDir(dir) {
  tempDirs.delete(dir);
}

export function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/** Synchronous on purpose: it also runs from the 'exit' event, where nothing async happens. */
function cleanUpNow() {
  for (const [pgid, name] of groups) {
    if (signalGroup(pgid, 'SIGKILL')) console.error(`e2e: killed ${name} (process group ${pgid})`);
  }
  groups.clear();
  if (process.env.E2E_KEEP_RUN_DIRS !== '1') {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
  tempDirs.clear();
}

function installHandlersOnce() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanUpNow);
  const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(exitCodes)) {
    process.on(signal, () => {
      console.error(`e2e: ${signal} received, stopping code-server and chromium`);
      cleanUpNow();
      process.exit(code); // also runs playwright's 'exit' handler, which kills chromium's group
    });
  }
}

// Runs a VS Code extension test suite (the kind @vscode/test-electron runs: a module exporting
// run(), executed inside the extension host) in code-server's node extension host instead of a
// desktop VS Code. The workbench accepts the same two settings as the desktop one through its
// `payload` URL parameter: extensionDevelopmentPath and extensionTestsPath.
import path from 'node:path';
import fs from 'node:fs';
import util from 'node:util';
import esbuild from 'esbuild';
import { REPO } from './paths.mjs';
import { waitFor } from './waitFor.mjs';

const SUITE_TIMEOUT_MS = 120_000;

/**
 * Transpiles the TypeScript files of a suite folder into outDir (inside the repository, so
 * `require('mocha')` resolves from the project's node_modules) and returns outDir.
 */
export async function transpileSuite(suiteDir, outDir) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const entryPoints = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(suiteDir, f));
  await esbuild.build({ entryPoints, outdir: outDir, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' });
  return outDir;
}

/**
 * Opens a workbench on `folder` that loads the extension at developmentPath and runs the suite
 * whose index module is testsPath. Once the extension host exits, returns its exit code, the
 * suite's output, and the passing and failing counts of mocha's summary (the exit code of a
 * remote extension host does not reflect failed tests, so the summary is what counts).
 */
export async function runExtensionTests({ server, browser, folder, developmentPath = REPO, testsPath }) {
  const authority = new URL(server.baseUrl).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [['extensionDevelopmentPath', remote(developmentPath)], ['extensionTestsPath', remote(testsPath)]];
  const context = await browser.newContext();
  const output = [];
  try {
    const page = await context.newPage();
    // The extension host forwards its console (mocha's reporter) to the page's console, as
    // printf-style arguments.
    page.on('console', (message) => output.push(formatConsoleMessage(message)));
    const logLength = fs.readFileSync(server.logFile, 'utf8').length;
    await page.goto(`${server.workbenchUrl(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const exitCode = await waitFor(
      'the extension host running the tests to exit',
      () => extensionHostExitCode(fs.readFileSync(server.logFile, 'utf8').slice(logLength)),
      (code) => code !== undefined,
      SUITE_TIMEOUT_MS,
    );
    const text = (await Promise.all(output)).join('\n');
    return { exitCode, output: text, ...mochaCounts(text) };
  } finally {
    await context.close().catch(() => {});
  }
}

function mochaCounts(output) {
  const count = (word) => Number(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm').exec(output)?.[1] ?? 0);
  return { passing: count('passing'), failing: count('failing') };
}

function extensionHostExitCode(log) {
  const match = /Extension Host Process exited with code: (\d+)/.exec(log);
  return match ? Number(match[1]) : undefined;
}

/**
 * The message as node would print it. VS Code logs it as ('%c INFO', 'color: ...', format, ...args):
 * drop that styled prefix, apply mocha's printf-style format, and drop mocha's colour codes.
 */
async function formatConsoleMessage(message) {
  let values = await Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => String(arg))));
  if (typeof values[0] === 'string' && values[0].startsWith('%c')) values = values.slice(2);
  const text = values.length > 0 ? util.format(...values) : message.text();
  return text.replace(/\u001b\[\d+m/g, '');
}

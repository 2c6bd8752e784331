// Runs the in-VS Code test suite (client/test/electron/suite) with @vscode/test-electron, inside a
// desktop VS Code, or skips with one line when no VS Code can be had.
//
// Which VS Code, in this order:
//   1. VSCODE_EXECUTABLE=/path/to/code        a VS Code (Electron) executable already installed;
//   2. a download cached by an earlier run    .vscode-test/vscode-<platform>-<VSCODE_TEST_VERSION>/;
//   3. VSCODE_TEST_DOWNLOAD=1                 let @vscode/test-electron download VSCODE_TEST_VERSION
//                                             from Microsoft's update server (needs that network).
// Without any of them the suite is skipped, exit code 0: it never reaches for the network on its
// own. On Linux without a display, run it under `xvfb-run -a`.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
/** The VS Code of code-server 4.100.3, which the e2e suite (client/test/e2e) runs against. */
const VSCODE_VERSION = process.env.VSCODE_TEST_VERSION || '1.100.3';
const CACHE_DIR = path.join(ROOT, '.vscode-test');
const FIXTURES = path.join(ROOT, 'client', 'test', 'fixtures', 'ui-workspace');

function cachedExecutable(): string | undefined {
  const platform = process.platform === 'linux' ? `linux-${process.arch}` : undefined;
  if (!platform) return undefined; // only the Linux layout is known here; use VSCODE_EXECUTABLE elsewhere
  const executable = path.join(CACHE_DIR, `vscode-${platform}-${VSCODE_VERSION}`, 'code');
  return fs.existsSync(executable) ? executable : undefined;
}

/** The VS Code to run, or undefined when there is none and downloading was not asked for. */
async function findVSCode(): Promise<string | undefined> {
  const configured = process.env.VSCODE_EXECUTABLE;
  if (configured) {
    // Asked for explicitly: a wrong path is an error, not a reason to skip.
    if (!fs.existsSync(configured)) throw new Error(`VSCODE_EXECUTABLE=${configured} does not exist`);
    return configured;
  }
  const cached = cachedExecutable();
  if (cached) return cached;
  if (process.env.VSCODE_TEST_DOWNLOAD === '1') return downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: CACHE_DIR });
  return undefined;
}

/** A throwaway copy of the fixture workspace, user data and extensions dirs. */
function prepareRunDir(): { runDir: string; workspace: string } {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-electron-'));
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(FIXTURES, workspace, { recursive: true });
  return { runDir, workspace };
}

async function main(): Promise<number> {
  const executable = await findVSCode();
  if (!executable) {
    console.log(
      `test:electron: SKIPPED: no VS Code to run in (set VSCODE_EXECUTABLE, or cache VS Code ${VSCODE_VERSION} in .vscode-test/ with VSCODE_TEST_DOWNLOAD=1 where update.code.visualstudio.com is reachable; this network cannot reach it)`,
    );
    return 0;
  }
  const { runDir, workspace } = prepareRunDir();
  try {
    return await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
        `--user-data-dir=${path.join(runDir, 'user-data')}`,
        `--extensions-dir=${path.join(runDir, 'extensions')}`,
      ],
    });
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error) => {
    console.error(`test:electron: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

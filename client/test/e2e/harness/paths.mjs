// Where things are: the repository, the tools installed by scripts/setup-e2e.sh, and where a
// run leaves what a person needs to look at after a failure.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Same variable and default as scripts/setup-e2e.sh. */
export const E2E_TOOLS = process.env.IPTABLES_LINT_E2E_DIR || path.join(REPO, '.e2e');

export const CODE_SERVER_ENTRY = path.join(E2E_TOOLS, 'code-server', 'out', 'node', 'entry.js');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Screenshots and logs of failed tests (git-ignored). Emptied at the start of each run. */
export const OUTPUT_DIR = path.join(REPO, '.test-output', 'e2e');

/** The fixture files shared with the @vscode/test-electron suite. */
export const FIXTURES = path.join(REPO, 'client', 'test', 'fixtures', 'ui-workspace');

export function readFixture(name) {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Every fixture file, as the `files` argument of openWorkbench() and createWorkspace(). */
export function allFixtures() {
  return Object.fromEntries(fs.readdirSync(FIXTURES).map((name) => [name, readFixture(name)]));
}

/** Fails with the command that fixes it, rather than with a module-not-found stack trace. */
export function assertToolsInstalled() {
  const missing = [CODE_SERVER_ENTRY, path.join(E2E_TOOLS, 'setup.stamp'), CHROMIUM].filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    throw new Error(`e2e tools missing (${missing.join(', ')}): run \`npm run setup:e2e\` (scripts/setup-e2e.sh) first`);
  }
}

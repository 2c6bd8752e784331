// Mocha root hooks for the e2e suite (loaded with --require by client/test/e2e/.mocharc.json):
// evidence for a failed test, and no process left running after the run.
import fs from 'node:fs';
import path from 'node:path';
import { assertToolsInstalled, OUTPUT_DIR, REPO } from './paths.mjs';
import { closeWorkbenchesOfCurrentTest, stopEverything, workbenchesOfCurrentTest } from './session.mjs';

function slug(text) {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100);
}

/** Screenshot and console of each workbench, plus code-server's and the extension host's logs. */
async function saveEvidence(test) {
  const dir = path.join(OUTPUT_DIR, slug(test.fullTitle()));
  const saved = [];
  const workbenches = workbenchesOfCurrentTest();
  for (const [i, workbench] of workbenches.entries()) {
    try {
      saved.push(await workbench.screenshot(dir, `workbench-${i + 1}`));
    } catch (error) {
      console.error(`  (no screenshot of workbench ${i + 1}: ${error.message})`);
    }
    const consoleFile = path.join(dir, `workbench-${i + 1}-console.txt`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(consoleFile, workbench.consoleMessages.join('\n') + '\n');
    saved.push(consoleFile);
  }
  const servers = new Set(workbenches.map((workbench) => workbench.server));
  for (const [i, server] of [...servers].entries()) {
    const logsDir = path.join(dir, `code-server-${i + 1}`);
    server.saveLogs(logsDir);
    saved.push(`${logsDir}/ (code-server.log; extension host: logs/*/exthost*/remoteexthost.log)`);
  }
  if (saved.length > 0) {
    console.error(`  evidence of the failure of "${test.title}":`);
    for (const file of saved) console.error(`    ${path.relative(REPO, file)}`);
  }
}

export const mochaHooks = {
  beforeAll() {
    assertToolsInstalled();
    fs.rmSync(OUTPUT_DIR, { recursive: true, force: true });
  },

  async afterEach() {
    if (this.currentTest?.state === 'failed') await saveEvidence(this.currentTest);
    await closeWorkbenchesOfCurrentTest();
  },

  async afterAll() {
    await stopEverything();
  },
};

// The @vscode/test-electron suite (client/test/electron/suite) needs a desktop VS Code, which
// cannot be downloaded here. Its tests only use the VS Code API, so they are run here in
// code-server's (node) extension host, with the extension as a development extension: they keep
// working while `npm run test:electron` has to skip.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { allFixtures, browser, REPO, runExtensionTests, startCodeServer, stopCodeServer, transpileSuite } from '../harness/index.mjs';

const SUITE_SOURCES = path.join(REPO, 'client', 'test', 'electron', 'suite');
const SUITE_OUT = path.join(REPO, '.out-e2e-electron-suite');

describe('In-VS Code API suite (client/test/electron/suite)', function () {
  let server;

  before(async function () {
    server = await startCodeServer({ noExtension: true });
  });

  after(async function () {
    if (server) await stopCodeServer(server);
    fs.rmSync(SUITE_OUT, { recursive: true, force: true });
  });

  it("passes in code-server's extension host", async function () {
    await transpileSuite(SUITE_SOURCES, SUITE_OUT);
    const { passing, failing, output } = await runExtensionTests({
      server,
      browser: await browser(),
      folder: server.createWorkspace(allFixtures()),
      testsPath: path.join(SUITE_OUT, 'index'),
    });
    assert.equal(failing, 0, `the suite failed:\n${output}`);
    assert.ok(passing >= 5, `the suite's tests did not run:\n${output}`);
  });
});

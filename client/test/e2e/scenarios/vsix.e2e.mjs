// (d) The packaged VSIX installs into VS Code (code-server --install-extension) and works.
import assert from 'node:assert/strict';
import { openWorkbench, packageVsix, readFixture, readManifest, startCodeServer, stopCodeServer } from '../harness/index.mjs';

describe('VSIX', function () {
  let server;

  before(async function () {
    server = await startCodeServer({ vsix: packageVsix() });
  });

  after(async function () {
    if (server) await stopCodeServer(server);
  });

  it('installs with --install-extension and activates: diagnostics appear for rules.v4', async function () {
    const { publisher, name, version } = readManifest();
    assert.deepEqual(server.listExtensions(), [`${publisher}.${name}@${version}`]);
    const workbench = await openWorkbench({ 'rules.v4': readFixture('rules.v4') }, { server });
    await workbench.openFile('rules.v4');
    assert.equal(await workbench.waitForLanguageMode('iptables'), 'iptables');
    const problems = await workbench.problems({ atLeast: 1 });
    assert.ok(problems.some((p) => p.code === 'IPT104' && p.line === 9), JSON.stringify(problems, null, 1));
  });
});

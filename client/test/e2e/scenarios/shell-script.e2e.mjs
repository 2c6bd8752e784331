// A firewall shell script (language shellscript) gets the same findings as on the command
// line, at the words of its iptables commands.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lintWithCli, openWorkbench, REPO } from '../harness/index.mjs';

const SCRIPT = path.join(REPO, 'test-fixtures', 'scripts', 'firewall.sh');

describe('Shell scripts', function () {
  it('a script that runs iptables shows its findings in the Problems panel, as the CLI reports them', async function () {
    const fromCli = lintWithCli(SCRIPT);
    assert.ok(fromCli.length > 0, 'the fixture script must have a finding for this test to mean something');
    const workbench = await openWorkbench({ 'firewall.sh': fs.readFileSync(SCRIPT, 'utf8') });
    await workbench.openFile('firewall.sh');
    assert.equal(await workbench.languageMode(), 'Shell Script');
    const problems = await workbench.problems({ atLeast: fromCli.length });
    const inPanel = problems.map(({ severity, code, message, line, column }) => ({ code, severity, message, line, column }));
    assert.deepEqual(inPanel, fromCli);
  });
});

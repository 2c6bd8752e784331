// (a) Opening a broken rules.v4 shows its mistakes in the Problems panel.
import assert from 'node:assert/strict';
import path from 'node:path';
import { FIXTURES, lintWithCli, openWorkbench, readFixture } from '../harness/index.mjs';

const EXPECTED = [
  { file: 'rules.v4', severity: 'error', code: 'IPT104', line: 9, message: "Unknown target or chain 'DROPP' (did you mean 'DROP'?)" },
  { file: 'rules.v4', severity: 'error', code: 'IPT101', line: 10, message: "Unknown option '--dportt' (did you mean '--dport'?)" },
];

describe('Problems panel', function () {
  it('lists the mistakes of a broken rules.v4 with message, code and line, as the CLI reports them', async function () {
    const workbench = await openWorkbench({ 'rules.v4': readFixture('rules.v4') });
    await workbench.openFile('rules.v4');
    const problems = await workbench.problems({ atLeast: EXPECTED.length });

    for (const expected of EXPECTED) {
      const shown = problems.find((p) => p.code === expected.code && p.line === expected.line);
      assert.ok(shown, `no ${expected.code} on line ${expected.line} in ${JSON.stringify(problems, null, 1)}`);
      const { file, severity, code, line, message } = shown;
      assert.deepEqual({ file, severity, code, line, message }, expected);
      assert.equal(shown.source, 'iptables-lint');
    }
    // Nothing lost or added between the analysis and the panel.
    const fromCli = lintWithCli(path.join(FIXTURES, 'rules.v4'));
    const inPanel = problems.map(({ severity, code, message, line, column }) => ({ code, severity, message, line, column }));
    assert.deepEqual(inPanel, fromCli);
  });
});

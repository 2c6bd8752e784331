// (b) The Outline view shows the tables of the ruleset and their chains.
import assert from 'node:assert/strict';
import { openWorkbench, readFixture } from '../harness/index.mjs';

describe('Outline view', function () {
  it('shows each table with its chains and their policies', async function () {
    const workbench = await openWorkbench({ 'rules.v4': readFixture('rules.v4') });
    await workbench.openFile('rules.v4');
    const outline = await workbench.outline({ atLeast: 16 });

    const tablesAndChains = outline.filter((row) => row.level <= 2).map(({ level, label, description }) => `${level} ${label} (${description})`);
    assert.deepEqual(tablesAndChains, [
      '1 *filter (5 rules)',
      '2 INPUT (policy DROP)',
      '2 FORWARD (policy DROP)',
      '2 OUTPUT (policy ACCEPT)',
      '2 SSH (user chain)',
      '1 *nat (1 rules)',
      '2 PREROUTING (policy ACCEPT)',
      '2 INPUT (policy ACCEPT)',
      '2 OUTPUT (policy ACCEPT)',
      '2 POSTROUTING (policy ACCEPT)',
    ]);
    // The rules are the chains' children.
    const inputRules = outline.filter((row) => row.level === 3).slice(0, 4).map((row) => row.label);
    assert.deepEqual(inputRules, ['1: -i lo -j ACCEPT', '2: -p tcp --dport 22 -j SSH', '3: -p tcp --dport 23 -j DROPP', '4: -p tcp --dportt 80 -j ACCEPT']);
  });
});

// Hover: the mouse on `conntrack` of `-m conntrack` shows what the module does and its options;
// the language status item shows the file's rule count and when it was analysed.
import assert from 'node:assert/strict';
import { openWorkbench } from '../harness/index.mjs';
import { hoverText, languageStatus } from '../harness/editorActions.mjs';

const RULES = [
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  '-A INPUT -i lo -j ACCEPT',
  '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A INPUT -p tcp --dport 3306 -s 10.0.0.0/8 -j ACCEPT',
  'COMMIT',
  '',
].join('\n');

describe('Hover and status', function () {
  it('hovering -m conntrack shows the module, and --dport 3306 says MySQL', async function () {
    const workbench = await openWorkbench({ 'rules.v4': RULES });
    await workbench.openFile('rules.v4');
    await workbench.waitForLanguageMode('iptables');

    const module = await hoverText(workbench, '-m conntrack --ctstate', 'conntrack', '-m conntrack');
    assert.match(module, /-m conntrack match module/);
    assert.match(module, /--ctstate/);

    const port = await hoverText(workbench, '--dport 3306', '3306', 'MySQL');
    assert.match(port, /port 3306: MySQL/);
  });

  it('the language status item shows the number of rules and the analysis time, with Show Output as its action', async function () {
    const workbench = await openWorkbench({ 'rules.v4': RULES });
    await workbench.openFile('rules.v4');
    const rows = await languageStatus(workbench, '3 rules');
    const row = rows.find((t) => t.includes('3 rules'));
    assert.match(row, /3 rules.*1 table \(IPv4\) · analysed at \d/);
    assert.match(row, /Show Output/);
  });
});

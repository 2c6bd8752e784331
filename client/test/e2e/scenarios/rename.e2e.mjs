// Rename: F2 on a user chain, type a new name, Enter: every place of the chain in its table
// changes in the editor, and the same name in another table does not.
import assert from 'node:assert/strict';
import { openWorkbench, waitFor } from '../harness/index.mjs';
import { editorLines, goToLineColumn, renameSymbol, waitForCodeLens } from '../harness/navigationActions.mjs';

const RULES = [
  '*filter', //                                 line 1
  ':INPUT DROP [0:0]', //                       line 2
  ':SSH - [0:0]', //                            line 3
  '-A INPUT -p tcp --dport 22 -j SSH', //       line 4
  '-A INPUT -p tcp --dport 2222 -g SSH', //     line 5
  '-A SSH -s 192.0.2.0/24 -j ACCEPT', //        line 6
  'COMMIT', //                                  line 7
  '*nat', //                                    line 8
  ':PREROUTING ACCEPT [0:0]', //                line 9
  ':SSH - [0:0]', //                            line 10: another chain, of *nat
  '-A PREROUTING -p tcp --dport 22 -j SSH', //  line 11
  'COMMIT',
  '',
].join('\n');

describe('Rename', function () {
  it('F2 on a chain renames it everywhere in its table', async function () {
    // Rule numbers are inlay hints, drawn inside the lines this test reads: this folder's
    // settings turn them off (which also shows the setting reaches the server).
    const settings = JSON.stringify({ 'iptablesLint.inlayHints.ruleNumbers': false });
    const workbench = await openWorkbench({ 'rules.v4': RULES, '.vscode/settings.json': settings });
    await workbench.openFile('rules.v4');
    await workbench.waitForLanguageMode('iptables');
    await waitForCodeLens(workbench, /2 rules jump here/); // the server answers for this file
    // On "SSH" of "-A SSH" (line 6, column 5).
    await goToLineColumn(workbench, 6, 5);
    await renameSymbol(workbench, 'SSH_OFFICE');

    const expected = RULES.split('\n').map((line, i) => (i < 7 ? line.replace(/\bSSH\b/g, 'SSH_OFFICE') : line));
    const lines = await waitFor('the renamed chain in the editor', () => editorLines(workbench), (shown) => shown.join('\n').includes(':SSH_OFFICE'));
    assert.deepEqual(lines.slice(0, 11), expected.slice(0, 11));
  });
});

// Go to definition: F12 on the chain of `-j CHAIN` moves the cursor to the chain's declaration.
import assert from 'node:assert/strict';
import { openWorkbench, waitFor } from '../harness/index.mjs';
import { editorLines, goToLineColumn, waitForCodeLens, waitForCursor } from '../harness/navigationActions.mjs';

const RULES = [
  '*filter', //                          line 1
  ':INPUT DROP [0:0]', //                line 2
  ':OUTPUT ACCEPT [0:0]', //             line 3
  ':SSH - [0:0]', //                     line 4: the declaration
  '-A INPUT -i lo -j ACCEPT', //         line 5
  '-A INPUT -p tcp --dport 22 -j SSH', // line 6: the jump
  '-A SSH -s 192.0.2.0/24 -j ACCEPT', // line 7
  'COMMIT',
  '',
].join('\n');

describe('Go to definition', function () {
  it('F12 on the chain after -j moves the cursor to its :CHAIN declaration (rules show their numbers)', async function () {
    const workbench = await openWorkbench({ 'rules.v4': RULES });
    await workbench.openFile('rules.v4');
    await workbench.waitForLanguageMode('iptables');
    await waitForCodeLens(workbench, /1 rule jumps here/); // the server answers for this file
    // Each rule shows its number in its chain (an inlay hint) before it.
    const lines = await waitFor('rule numbers before the rules', () => editorLines(workbench), (shown) => shown.some((l) => l.startsWith('#2')));
    assert.deepEqual(lines.slice(4, 7), ['#1 -A INPUT -i lo -j ACCEPT', '#2 -A INPUT -p tcp --dport 22 -j SSH', '#1 -A SSH -s 192.0.2.0/24 -j ACCEPT']);
    // Inside "SSH" of "-j SSH" (column 32 is its second letter).
    await goToLineColumn(workbench, 6, 32);
    await workbench.page.keyboard.press('F12');
    // The declaration's name starts after the ':' of line 4.
    const at = await waitForCursor(workbench, 4, 2);
    assert.deepEqual(at, { line: 4, column: 2 });
  });
});

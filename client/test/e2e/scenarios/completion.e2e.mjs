// Completion: after `-j ` the list offers the verdicts, target extensions and the file's own
// chains; accepting one writes it into the rule.
import assert from 'node:assert/strict';
import { openWorkbench } from '../harness/index.mjs';
import { acceptSuggestion, cursorToEndOfLine, languageStatus, triggerSuggest } from '../harness/editorActions.mjs';
import { editorLines } from '../harness/navigationActions.mjs';

const RULES = [
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':SSH_IN - [0:0]',
  '-A INPUT -i lo -j ACCEPT',
  '-A INPUT -p tcp --dport 22 -j ',
  'COMMIT',
  '',
].join('\n');

describe('Completion', function () {
  it('after -j offers ACCEPT, DROP, RETURN and the chain SSH_IN, and inserts the one chosen', async function () {
    const workbench = await openWorkbench({ 'rules.v4': RULES });
    await workbench.openFile('rules.v4');
    await languageStatus(workbench, 'analysed at'); // the server has read the file

    await cursorToEndOfLine(workbench, '--dport 22 -j');
    const labels = await triggerSuggest(workbench);
    // RETURN is in no line of the file: the list comes from the language server, not from words.
    for (const label of ['ACCEPT', 'DROP', 'RETURN', 'SSH_IN']) assert.ok(labels.includes(label), `${label} in ${labels.join(', ')}`);
    assert.deepEqual(labels.slice(0, 2), ['ACCEPT', 'DROP'], 'verdicts first');

    await acceptSuggestion(workbench, 'SSH_IN');
    const lines = await editorLines(workbench);
    // Inlay hints (the rule number) are drawn inside the line: compare its end.
    assert.ok(lines.some((l) => l.endsWith('-A INPUT -p tcp --dport 22 -j SSH_IN')), lines.join('\n'));
  });
});

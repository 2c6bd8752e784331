// Edits of fixes on rules files: new lines in the file's style, at the right place.

import * as assert from 'assert';
import { applyEdits, deleteRule, insertAtEnd, insertAtStart, moveBefore, ruleLine, stateWords, styleOf } from '../../src/checks/edits';
import { buildRuleset } from '../../src/model/ruleset';
import { parseDump } from '../../src/syntax/dump';

function load(text: string) {
  const tree = parseDump(text);
  const ruleset = buildRuleset(tree);
  return { tree, table: ruleset.tables[0], style: styleOf(tree) };
}

describe('fix edits on rules files', function () {
  const text = '*filter\n:INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A OUTPUT -o eth0 -j ACCEPT\n-A INPUT -m state --state INVALID -j DROP\nCOMMIT\n';

  it('writes new rules the way the file does: -m state, counters, long options, CRLF', function () {
    const { style } = load(text);
    assert.strictEqual(ruleLine(style, 'INPUT', [...stateWords(style, 'RELATED,ESTABLISHED'), '-j', 'ACCEPT']), '-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT');
    const counted = load('*filter\r\n[5:300] --append INPUT --protocol tcp --jump ACCEPT\r\nCOMMIT\r\n').style;
    assert.deepStrictEqual(counted, { counters: true, stateModule: false, longOptions: true, eol: '\r\n' });
    assert.strictEqual(ruleLine(counted, 'INPUT', ['-i', 'lo', '-j', 'ACCEPT']), '[0:0] --append INPUT --in-interface lo --jump ACCEPT');
  });

  it('inserts at the start and end of a chain whose lines interleave with another chain', function () {
    const { tree, table, style } = load(text);
    const top = insertAtStart(tree, style, table, 'INPUT', ['-A INPUT -i lo -j ACCEPT'])!;
    assert.strictEqual(applyEdits(text, [top]).split('\n')[3], '-A INPUT -i lo -j ACCEPT');
    const end = insertAtEnd(tree, style, table, 'INPUT', ['-A INPUT -j LOG'])!;
    assert.strictEqual(applyEdits(text, [end]).split('\n')[6], '-A INPUT -j LOG');
  });

  it('inserts into an empty chain just before COMMIT', function () {
    const t = '*filter\n:INPUT DROP [0:0]\nCOMMIT\n';
    const { tree, table, style } = load(t);
    assert.strictEqual(applyEdits(t, [insertAtStart(tree, style, table, 'INPUT', ['-A INPUT -i lo -j ACCEPT'])!]), '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n');
  });

  it('refuses positions in a chain built with -I, where file order is not chain order', function () {
    const t = '*filter\n-A INPUT -p udp -j ACCEPT\n-I INPUT 1 -p tcp -j ACCEPT\nCOMMIT\n';
    const { tree, table, style } = load(t);
    assert.strictEqual(insertAtStart(tree, style, table, 'INPUT', ['-A INPUT -i lo -j ACCEPT']), undefined);
  });

  it('deletes and moves whole lines, the last line without a newline included', function () {
    const t = '*filter\n-A INPUT -p udp -j DROP\n-A INPUT -p udp --dport 53 -j ACCEPT\nCOMMIT';
    const { tree, table, style } = load(t);
    const [drop, accept] = table.chains.get('INPUT')!.rules;
    assert.strictEqual(applyEdits(t, [deleteRule(tree, drop)]), '*filter\n-A INPUT -p udp --dport 53 -j ACCEPT\nCOMMIT');
    assert.strictEqual(applyEdits(t, moveBefore(tree, style, accept, drop)), '*filter\n-A INPUT -p udp --dport 53 -j ACCEPT\n-A INPUT -p udp -j DROP\nCOMMIT');
  });
});

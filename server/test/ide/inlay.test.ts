import * as assert from 'assert';
import { analyse } from '../../src/analysis';
import { chainLenses } from '../../src/ide/codelens';
import { formatBytes, formatPackets, inlayHints } from '../../src/ide/inlay';

const RULE_NUMBERS = { ruleNumbers: true, counters: false };
const COUNTERS = { ruleNumbers: false, counters: true };

/** Each hint as "line: label" (1-based lines), for readable comparisons. */
function hintsOf(text: string, options = RULE_NUMBERS): string[] {
  const a = analyse(text, { semantics: false });
  return inlayHints(a, undefined, options).map((h) => `${a.tree.index.lineOf(h.offset) + 1}: ${h.label}`);
}

describe('ide/inlay', function () {
  describe('rule numbers', function () {
    it('numbers the rules of each chain as they are once loaded, -I included', function () {
      const text = [
        '*filter',
        ':INPUT DROP [0:0]',
        ':SSH - [0:0]',
        '-A INPUT -i lo -j ACCEPT', // 4: #2, once the -I INPUT 1 below is in
        '-A INPUT -p tcp --dport 22 -j SSH', // 5: #4, pushed down by both -I
        '-A SSH -s 192.0.2.0/24 -j ACCEPT', // 6: SSH #1
        '-I INPUT 1 -m conntrack --ctstate ESTABLISHED -j ACCEPT', // 7: INPUT #1
        '-I INPUT 3 -p icmp -j ACCEPT', // 8: INPUT #3
        'COMMIT',
        '',
      ].join('\n');
      assert.deepStrictEqual(hintsOf(text), ['4: #2', '5: #4', '6: #1', '7: #1', '8: #3']);
    });

    it('counts one rule per address of -s/-d, as iptables adds them', function () {
      const text = ['*filter', ':INPUT DROP [0:0]', '-A INPUT -s 192.0.2.1,192.0.2.2 -d 198.51.100.1,198.51.100.2 -j ACCEPT', '-A INPUT -j DROP', 'COMMIT', ''].join('\n');
      assert.deepStrictEqual(hintsOf(text), ['3: #1-4', '4: #5']);
    });

    it('marks numbers after a host name as uncertain', function () {
      const text = ['*filter', ':INPUT DROP [0:0]', '-A INPUT -s 192.0.2.1 -j ACCEPT', '-A INPUT -s gateway.example -j ACCEPT', '-A INPUT -j DROP', 'COMMIT', ''].join('\n');
      assert.deepStrictEqual(hintsOf(text), ['3: #1', '4: #2?', '5: #3?']);
    });

    it('numbers each table block on its own', function () {
      const text = ['*filter', ':INPUT ACCEPT [0:0]', '-A INPUT -j ACCEPT', 'COMMIT', '*nat', ':INPUT ACCEPT [0:0]', '-A INPUT -j ACCEPT', '-A INPUT -j ACCEPT', 'COMMIT', ''].join('\n');
      assert.deepStrictEqual(hintsOf(text), ['3: #1', '7: #1', '8: #2']);
    });

    it('says how to delete the rule with the right tool and table', function () {
      const text = ['*nat', ':PREROUTING ACCEPT [0:0]', '-A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080', 'COMMIT', ''].join('\n');
      const a = analyse(text, { family: 'ipv6', semantics: false });
      const [hint] = inlayHints(a, undefined, RULE_NUMBERS);
      assert.match(hint.tooltip, /`ip6tables -t nat -D PREROUTING 1`/);
      assert.strictEqual(text.slice(hint.offset, hint.offset + 2), '-A', 'the number stands before the command');
    });
  });

  describe('counters', function () {
    it('formats packets and bytes in readable units', function () {
      assert.strictEqual(formatPackets(0n), '0 pkts');
      assert.strictEqual(formatPackets(1n), '1 pkt');
      assert.strictEqual(formatPackets(999n), '999 pkts');
      assert.strictEqual(formatPackets(1_234_567n), '1.2M pkts');
      assert.strictEqual(formatPackets(123_456_789n), '123M pkts');
      assert.strictEqual(formatBytes(512n), '512 B');
      assert.strictEqual(formatBytes(3_456_789_012n), '3.4 GB');
      assert.strictEqual(formatBytes(18_446_744_073_709_551_615n), '18.4 EB', 'a 64-bit counter does not lose precision');
    });

    it('shows the counters of rules, and of chains only when they say something', function () {
      const withRuleCounters = ['*filter', ':INPUT DROP [0:0]', '[1234567:3456789012] -A INPUT -j ACCEPT', 'COMMIT', ''].join('\n');
      assert.deepStrictEqual(hintsOf(withRuleCounters, COUNTERS), ['2: 0 pkts, 0 B', '3: 1.2M pkts, 3.4 GB']);
      const plainSave = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [5:300]', '-A INPUT -j ACCEPT', 'COMMIT', ''].join('\n');
      assert.deepStrictEqual(hintsOf(plainSave, COUNTERS), ['3: 5 pkts, 300 B']);
    });

    it('puts the counters hint right after [packets:bytes]', function () {
      const text = ['*filter', ':INPUT DROP [0:0]', '[7:420] -A INPUT -j ACCEPT', 'COMMIT', ''].join('\n');
      const a = analyse(text, { semantics: false });
      const hint = inlayHints(a, undefined, COUNTERS).find((h) => h.label.startsWith('7 '))!;
      assert.strictEqual(text.slice(hint.offset - 7, hint.offset), '[7:420]');
      assert.match(hint.tooltip, /^7 packets \(420 bytes\)/);
    });

    it('shows nothing when both settings are off, and only hints in the asked range', function () {
      const text = ['*filter', ':INPUT DROP [0:0]', '[1:2] -A INPUT -j ACCEPT', '[3:4] -A INPUT -j DROP', 'COMMIT', ''].join('\n');
      const a = analyse(text, { semantics: false });
      assert.deepStrictEqual(inlayHints(a, undefined, { ruleNumbers: false, counters: false }), []);
      const fourth = a.tree.lines[3].span;
      assert.deepStrictEqual(inlayHints(a, fourth, { ruleNumbers: true, counters: true }).map((h) => h.label), ['3 pkts, 4 B', '#2']);
    });
  });
});

describe('ide/codelens', function () {
  it('shows policy and rule count on built-in chains, rule count and jumps on user chains', function () {
    const text = [
      '*filter',
      ':INPUT DROP [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':SSH - [0:0]',
      ':UNUSED - [0:0]',
      '-A INPUT -s 192.0.2.1,192.0.2.2 -j ACCEPT',
      '-A INPUT -p tcp --dport 22 -j SSH',
      '-A FORWARD -p tcp --dport 22 -g SSH',
      '-A SSH -j ACCEPT',
      'COMMIT',
      '',
    ].join('\n');
    const a = analyse(text, { semantics: false });
    const lenses = chainLenses(a).map((l) => `${l.chain}: ${l.summary}${l.referencesTitle ? ` | ${l.referencesTitle}` : ''}`);
    assert.deepStrictEqual(lenses, ['INPUT: policy DROP · 3 rules', 'FORWARD: policy ACCEPT · 1 rule', 'SSH: user chain · 1 rule | 2 rules jump here', 'UNUSED: user chain · 0 rules | no rule jumps here']);
    const ssh = chainLenses(a).find((l) => l.chain === 'SSH')!;
    assert.deepStrictEqual(ssh.references!.map((r) => a.tree.index.lineOf(r.span.start) + 1), [7, 8]);
  });
});

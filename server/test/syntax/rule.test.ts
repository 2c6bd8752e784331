// The rule parser against the behaviours of iptables' own option parsing (each one was
// checked with iptables-restore 1.8.9 in a network namespace).

import * as assert from 'assert';
import { analyse } from '../../src/analysis';
import { parseRule, RuleParseContext } from '../../src/syntax/rule';
import { splitRestoreWords } from '../../src/syntax/words';

const ctx: RuleParseContext = { family: 'ipv4', table: 'filter', restore: true };
const parse = (line: string, c: RuleParseContext = ctx) => parseRule(splitRestoreWords(line, 0, line.length).words, c);
const kinds = (line: string) => parse(line).problems.map((p) => p.kind);

/** Findings of a one-rule filter table, as `CODE@text` where text is what the finding covers. */
function findings(rule: string, table = 'filter'): string[] {
  const text = `*${table}\n${rule}\nCOMMIT\n`;
  return analyse(text, { semantics: false }).findings.map((f) => `${f.code}@${text.slice(f.span.start, f.span.end)}`);
}

describe('rule parser', function () {
  it('accepts long, short, glued and =value forms', function () {
    assert.deepStrictEqual(kinds('-A INPUT --protocol=tcp --source=1.2.3.4 --in-interface=eth0 --jump=ACCEPT'), []);
    assert.deepStrictEqual(kinds('-A INPUT -ptcp -s1.2.3.4 -ieth0 -jACCEPT'), []);
    const r = parse('-A INPUT -ptcp -jACCEPT');
    assert.strictEqual(r.protocol?.name, 'tcp');
    assert.strictEqual(r.target?.name, 'ACCEPT');
  });

  it('resolves unique abbreviations and refuses ambiguous ones', function () {
    assert.deepStrictEqual(kinds('-A INPUT -p tcp --dp 22 -j ACCEPT'), []);
    assert.deepStrictEqual(findings('-A INPUT --d 1.2.3.4 -j ACCEPT'), ['IPT101@--d']);
  });

  it('loads the protocol match implicitly, but only after -p', function () {
    const r = parse('-A INPUT -p tcp --dport 22 -j ACCEPT');
    assert.deepStrictEqual(r.matches.map((m) => [m.name, m.loadItem === undefined]), [['tcp', true]]);
    assert.deepStrictEqual(findings('-A INPUT --dport 22 -p tcp -j ACCEPT'), ['IPT102@--dport']);
    assert.deepStrictEqual(kinds('-A INPUT -m tcp --dport 1 -p tcp'), []);
    assert.deepStrictEqual(kinds('-A INPUT -p 6 --dport 22'), [], '-p by number loads the same match');
  });

  it('refuses a protocol match whose protocol is missing, different or negated', function () {
    assert.deepStrictEqual(findings('-A INPUT -m tcp --dport 1 -j ACCEPT'), ['IPT112@-m tcp']);
    assert.deepStrictEqual(findings('-A INPUT -p udp -m tcp --dport 1 -j ACCEPT'), ['IPT112@-m tcp']);
    assert.deepStrictEqual(findings('-A INPUT ! -p tcp --dport 1 -j ACCEPT'), ['IPT112@! -p tcp']);
  });

  it('handles negation: before the option, not twice, not on targets, not dangling', function () {
    assert.deepStrictEqual(kinds('-A INPUT ! -s 10.0.0.0/8 -j DROP'), []);
    assert.ok(parse('-A INPUT ! -s 10.0.0.0/8').items.some((i) => i.negation));
    assert.deepStrictEqual(findings('-A INPUT ! ! -s 1.2.3.4 -j ACCEPT'), ['IPT123@!']);
    assert.deepStrictEqual(findings('-A INPUT ! -j ACCEPT'), ['IPT108@!']);
    assert.deepStrictEqual(findings('-A INPUT -j ACCEPT !'), ['IPT135@!']);
    assert.deepStrictEqual(findings('-A INPUT ! -p all'), ['IPT106@! -p all']);
  });

  it('recognises the legacy `-d ! ADDR` form, reports it and still reads the rule', function () {
    const r = parse('-A INPUT -d ! 1.2.3.4 -j ACCEPT');
    assert.deepStrictEqual(r.problems.map((p) => p.kind), ['legacy-negation']);
    assert.strictEqual(r.problems[0].suggestion?.text, '! -d 1.2.3.4');
    assert.strictEqual(r.target?.name, 'ACCEPT');
  });

  it('reports duplicates, extra words and missing values at the right word', function () {
    assert.deepStrictEqual(findings('-A INPUT -p tcp -p udp'), ['IPT109@-p']);
    assert.deepStrictEqual(findings('-A INPUT -p tcp --dport 22 --dport 23'), ['IPT109@--dport']);
    assert.deepStrictEqual(kinds('-A INPUT -p tcp -m tcp --dport 22 -m tcp --dport 23'), [], 'a second -m tcp is a new instance');
    assert.deepStrictEqual(findings('-A INPUT -j ACCEPT extra'), ['IPT123@extra']);
    assert.deepStrictEqual(findings('-A INPUT -p tcp --dport'), ['IPT107@--dport']);
    assert.deepStrictEqual(findings('-A INPUT -p tcp --tcp-flags SYN -j ACCEPT'), ['IPT107@--tcp-flags']);
  });

  it('takes the next word as a value even when it starts with a dash', function () {
    const r = parse('-A INPUT -m comment --comment -foo -j ACCEPT');
    assert.deepStrictEqual(r.problems, []);
    assert.strictEqual(r.target?.name, 'ACCEPT');
  });

  it('refuses listing flags and -t on a rule line, and -i/-o in the wrong direction', function () {
    assert.deepStrictEqual(findings('-A INPUT -n -j ACCEPT'), ['IPT133@-n']);
    assert.deepStrictEqual(findings('-A INPUT -t nat -j ACCEPT'), ['IPT128@-t nat']);
    assert.deepStrictEqual(findings('-A INPUT -o eth0 -j ACCEPT'), ['IPT114@-o eth0']);
    assert.deepStrictEqual(findings('-A OUTPUT -i eth0 -j ACCEPT'), ['IPT114@-i eth0']);
    assert.deepStrictEqual(findings('-A FORWARD -i eth0 -o eth1 -j ACCEPT'), []);
  });

  it('reads commands with their extra words', function () {
    assert.deepStrictEqual(parse('-I INPUT 3 -j ACCEPT').command?.extra.map((w) => w.text), ['3']);
    assert.deepStrictEqual(parse('-P INPUT DROP').command?.extra.map((w) => w.text), ['DROP']);
    assert.deepStrictEqual(parse('-E OLD NEW').command?.extra.map((w) => w.text), ['NEW']);
    assert.deepStrictEqual(findings('-I INPUT x -j ACCEPT'), ['IPT106@x']);
    assert.deepStrictEqual(findings('-A INPUT -I INPUT -j ACCEPT'), ['IPT134@-I']);
  });

  it('knows which family a module belongs to', function () {
    const text = '*filter\n-A INPUT -p icmp --icmp-type echo-request -j ACCEPT\nCOMMIT\n';
    const f = analyse(text, { family: 'ipv6' }).findings;
    assert.strictEqual(f[0].code, 'IPT131');
    assert.match(f[0].message, /only in iptables \(IPv4\).*--icmpv6-type/);
  });
});

// Slice B1 of the catalogue: connection tracking and stateful matches (conntrack, state,
// limit, hashlimit, recent, string, u32, time ...). Tricky cases checked through the public
// analysis API; every expectation here was settled against iptables 1.8.9 and the kernel.

import * as assert from 'assert';
import { analyse } from '../../src/analysis';
import { printRule } from '../../src/syntax/printer';
import { RuleLine } from '../../src/syntax/dump';
import { Family } from '../../src/catalogue/types';
import { CT_STATES } from '../../src/catalogue/matches/conntrack';

const dump = (rule: string) => `*filter\n-A INPUT ${rule}\nCOMMIT\n`;

/** The one finding of the rule, checked for code and message; returns the text its span covers. */
function only(rule: string, code: string, messagePart: string, family: Family = 'ipv4'): string {
  const text = dump(rule);
  const all = analyse(text, { family, semantics: false }).findings;
  assert.strictEqual(all.length, 1, `expected one finding for '${rule}', got: ${all.map((f) => `${f.code} ${f.message}`).join(' | ')}`);
  const [f] = all;
  assert.strictEqual(f.code, code, f.message);
  assert.ok(f.message.includes(messagePart), `'${f.message}' should mention '${messagePart}'`);
  return text.slice(f.span.start, f.span.end);
}

/** What iptables-save would print for a rule we accept without error. */
function printed(rule: string, family: Family = 'ipv4'): string {
  const a = analyse(dump(rule), { family, semantics: false });
  assert.deepStrictEqual(a.findings.filter((f) => f.severity === 'error').map((f) => f.message), [], rule);
  const node = a.tree.lines.find((l) => l.kind === 'rule') as RuleLine;
  return printRule(node.rule, { family, table: 'filter' })[0].replace(/^-A INPUT /, '');
}

describe('catalogue: connection tracking and stateful matches', function () {
  it('reads conntrack states as prefixes and prints them in bit order', function () {
    assert.strictEqual(printed('-m conntrack --ctstate e,n,inv'), '-m conntrack --ctstate INVALID,NEW,ESTABLISHED');
    assert.strictEqual(only('-m conntrack --ctstate NEW,', 'IPT106', 'extra comma'), '');
    assert.strictEqual(only('-m state --state NEW,SNAT', 'IPT106', '-m conntrack --ctstate'), 'SNAT');
    assert.deepStrictEqual(CT_STATES.slice(0, 4), ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED']);
  });

  it('reads conntrack addresses with getaddrinfo rules and keeps them unmasked', function () {
    assert.strictEqual(printed('-m conntrack --ctorigsrc 10.1 --ctorigdst 1.2.3.4/24'), '-m conntrack --ctorigsrc 10.0.0.1 --ctorigdst 1.2.3.4/24');
    assert.strictEqual(printed('-m conntrack --ctreplsrc 2001:db8::1/128', 'ipv6'), '-m conntrack --ctreplsrc 2001:db8::1');
    assert.strictEqual(only('-m conntrack --ctorigsrc 1.2.3.4/255.0.255.0', 'IPT140', 'uses /32'), '255.0.255.0');
    assert.strictEqual(only('-m conntrack --ctorigsrcport 70000', 'IPT140', 'giving 4464'), '70000');
    assert.strictEqual(only('-m conntrack --ctproto all', 'IPT106', 'protocol 0'), 'all');
  });

  it('turns negated connlimit/hashlimit bounds around and prints the defaults', function () {
    assert.strictEqual(printed('-m connlimit ! --connlimit-above 3'), '-m connlimit --connlimit-upto 3 --connlimit-mask 32 --connlimit-saddr');
    assert.strictEqual(printed('-m connlimit --connlimit-above 3 --connlimit-daddr', 'ipv6'), '-m connlimit --connlimit-above 3 --connlimit-mask 128 --connlimit-daddr');
    assert.strictEqual(printed('-m hashlimit ! --hashlimit-upto 60/min --hashlimit-name a'), '-m hashlimit --hashlimit-above 1/sec --hashlimit-burst 5 --hashlimit-name a --hashlimit-htable-expire 60000');
    assert.strictEqual(printed('-m hashlimit --hashlimit-upto 100b/s --hashlimit-burst 1000 --hashlimit-name a'), '-m hashlimit --hashlimit-upto 96b/s --hashlimit-burst 1kb --hashlimit-name a');
  });

  it('refuses bursts the kernel cannot count', function () {
    // xt_hashlimit overflows with 1/day and the default burst of 5; 1 works.
    assert.strictEqual(only('-m hashlimit --hashlimit-upto 1/day --hashlimit-name a', 'IPT106', 'burst of 5 (the default)'), '--hashlimit-upto 1/day');
    assert.strictEqual(printed('-m hashlimit --hashlimit-upto 1/day --hashlimit-burst 1 --hashlimit-name a'), '-m hashlimit --hashlimit-upto 1/day --hashlimit-burst 1 --hashlimit-name a');
    // The legacy xt_limit wraps avg*burst in 32 bits: 1/hour takes a burst of 37 but not 38.
    assert.strictEqual(only('-m limit --limit 1/hour --limit-burst 38', 'IPT106', 'legacy'), '--limit-burst 38');
    assert.strictEqual(printed('-m limit --limit 1/hour --limit-burst 37'), '-m limit --limit 1/hour --limit-burst 37');
    assert.strictEqual(printed('-m limit --limit-burst 5'), '-m limit --limit 3/hour');
  });

  it('checks the recent commands and their modifiers', function () {
    assert.strictEqual(printed('-m recent --update --rttl'), '-m recent --update --rttl --name DEFAULT --mask 255.255.255.255 --rsource');
    assert.strictEqual(only('-m recent --set --rttl', 'IPT111', '--rcheck or --update'), '--rttl');
    assert.strictEqual(only('-m recent --rcheck --reap', 'IPT110', '--seconds'), '--reap');
    assert.strictEqual(only('-m recent --set --mask 24', 'IPT140', '0.0.0.24'), '24');
  });

  it('prints string patterns the way iptables-save chooses', function () {
    assert.strictEqual(printed('-m string --hex-string "|41|BC" --algo kmp'), '-m string --string "ABC" --algo kmp');
    assert.strictEqual(printed('-m string --algo bm --string "a b" --to 100'), '-m string --string "a b" --algo bm --to 100');
    assert.strictEqual(printed('-m string ! --hex-string "|0d 0a|" --algo bm'), '-m string ! --hex-string "|0d0a|" --algo bm');
    assert.strictEqual(only('-m string --hex-string "|4|" --algo bm', 'IPT106', "closed with '|'"), '4|');
  });

  it('normalises u32 programs and refuses shifts the kernel refuses', function () {
    assert.strictEqual(printed('-m u32 --u32 "6 & 0xFF = 1 && 0 >> 22 & 0x3C @ 0 >> 24 = 0:5"'), '-m u32 --u32 "0x6&0xff=0x1&&0x0>>0x16&0x3c@0x0>>0x18=0x0:0x5"');
    assert.strictEqual(only('-m u32 --u32 "0 >> 32 = 1"', 'IPT106', 'shift by 0 to 31'), '3');
  });

  it('prints time windows with the defaults iptables adds', function () {
    assert.strictEqual(printed('-m time ! --weekdays Sat,Sunday --timestart 8:00'), '-m time --timestart 08:00:00 --timestop 23:59:59 --weekdays Mon,Tue,Wed,Thu,Fri --datestop 2038-01-19T03:14:07');
    assert.strictEqual(printed('-m time --datestart 2020-02-30'), '-m time --datestart 2020-03-01T00:00:00 --datestop 2038-01-19T03:14:07');
    assert.strictEqual(only('-m time --timestart 06:00 --timestop 22:00 --contiguous', 'IPT111', 'past midnight'), '--contiguous');
  });

  it('needs the option pairs iptables needs', function () {
    assert.strictEqual(only('-m statistic --mode nth ! --every 5', 'IPT110', '--packet'), '-m statistic');
    assert.strictEqual(printed('-m statistic --mode random --probability 0.1'), '-m statistic --mode random --probability 0.10000000009');
    assert.strictEqual(only('-m connbytes --connbytes 10: --connbytes-dir both', 'IPT110', 'missing: --connbytes-mode'), '-m connbytes');
    assert.strictEqual(printed('-m connbytes --connbytes 10: --connbytes-mode bytes --connbytes-dir both'), '-m connbytes --connbytes 10 --connbytes-mode bytes --connbytes-dir both');
  });

  it('accepts what iptables silently changes, with a warning', function () {
    assert.strictEqual(only(`-m comment --comment ${'x'.repeat(256)}`, 'IPT140', 'first 255'), 'x'.repeat(256));
    assert.strictEqual(printed('-m comment --comment ""'), '-m comment --comment ""');
    assert.strictEqual(only('-m mark --mark 0x10/0x1', 'IPT140', 'never matches'), '0x10/0x1');
    assert.strictEqual(only('-m connlabel --label bulk', 'IPT106', 'connlabel.conf'), 'bulk');
  });
});

import * as assert from 'assert';
import { analyse, Finding } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { RuleLine } from '../../src/syntax/dump';
import { printRule } from '../../src/syntax/printer';

/** Findings for a dump, and the text each one points at. */
function findings(text: string, family: Family = 'ipv4'): Array<Finding & { at: string }> {
  return analyse(text, { family, semantics: false }).findings.map((f) => ({ ...f, at: text.slice(f.span.start, f.span.end) }));
}

/** The rule as iptables-save would print it (without `-A CHAIN`). */
function printed(table: string, rule: string, family: Family = 'ipv4'): string {
  const a = analyse(`*${table}\n-A FORWARD ${rule}\nCOMMIT\n`, { family, semantics: false });
  const node = a.tree.lines.find((l) => l.kind === 'rule') as RuleLine;
  return printRule(node.rule, { family, table: table as 'mangle' })[0].replace(/^-A FORWARD /, '');
}

const only = <T extends Finding>(list: T[], code: string): T[] => list.filter((f) => f.code === code);

describe('catalogue: mangle and special targets', function () {
  it('prints TOS shorthands and names as the value/mask pair iptables stores', function () {
    assert.strictEqual(printed('mangle', '-j TOS --and-tos 0x12'), '-j TOS --set-tos 0x00/0xed');
    assert.strictEqual(printed('mangle', '-j TOS --set-tos minimize-delay'), '-j TOS --set-tos 0x10/0x3f');
    assert.strictEqual(printed('mangle', '-j DSCP --set-dscp-class af41'), '-j DSCP --set-dscp 0x22');
  });

  it('refuses DSCP outside the mangle table, on the target', function () {
    const text = '*filter\n-A INPUT -j DSCP --set-dscp 1\nCOMMIT\n';
    const [f] = findings(text);
    assert.strictEqual(f.code, 'IPT113');
    assert.match(f.message, /only in mangle/);
    assert.deepStrictEqual([f.span.start, f.span.end, f.at], [17, 24, '-j DSCP']);
  });

  it('needs -p tcp for the TCP parts of ECN, but not for --ecn-ip-ect', function () {
    const text = '*mangle\n-A FORWARD -j ECN --ecn-tcp-remove\n-A FORWARD -j ECN --ecn-ip-ect 1\nCOMMIT\n';
    const list = findings(text);
    assert.strictEqual(list.length, 1);
    assert.strictEqual(list[0].name, 'protocol-required');
    assert.deepStrictEqual([list[0].span.start, list[0].span.end, list[0].at], [26, 42, '--ecn-tcp-remove']);
  });

  it('knows --clamp-mss-to-pmtu needs a route, and TCPMSS a SYN match', function () {
    const text = '*mangle\n-A PREROUTING -p tcp --syn -j TCPMSS --clamp-mss-to-pmtu\n-A FORWARD -p tcp -j TCPMSS --set-mss 1400\nCOMMIT\n';
    const [clamp, syn] = findings(text);
    assert.strictEqual(clamp.code, 'IPT113');
    assert.strictEqual(clamp.at, '--clamp-mss-to-pmtu');
    assert.strictEqual(syn.name, 'missing-required-option');
    assert.match(syn.message, /add --syn/);
    assert.strictEqual(syn.at, '-j TCPMSS');
  });

  it('checks SYNPROXY hooks through a user chain', function () {
    const text = '*filter\n:X - [0:0]\n-A OUTPUT -j X\n-A X -p tcp -j SYNPROXY --mss 1460\nCOMMIT\n';
    const [f] = only(findings(text), 'IPT113');
    assert.match(f.message, /reached from OUTPUT/);
    assert.strictEqual(f.at, '-j SYNPROXY');
  });

  it('reads NFQUEUE ranges as upstream does', function () {
    assert.strictEqual(printed('filter', '-j NFQUEUE --queue-balance 4:'), '-j NFQUEUE --queue-balance 4:65534');
    assert.strictEqual(printed('filter', '-j NFQUEUE --queue-bypass'), '-j NFQUEUE --queue-num 0 --queue-bypass');
    const text = '*filter\n-A INPUT -j NFQUEUE --queue-balance 4:3\nCOMMIT\n';
    const [f] = findings(text);
    assert.strictEqual(f.name, 'invalid-value');
    assert.deepStrictEqual([f.span.start, f.span.end], [44, 47]);
  });

  it('expands the HMARK tuple and refuses an option it already set', function () {
    assert.strictEqual(
      printed('filter', '-j HMARK --hmark-tuple ct,src,sp --hmark-rnd 4 --hmark-mod 10'),
      '-j HMARK --hmark-src-prefix 32 --hmark-sport-mask 0xffff --hmark-rnd 0x00000004 --hmark-mod 10 --hmark-tuple ct',
    );
    const text = '*filter\n-A INPUT -j HMARK --hmark-tuple src --hmark-src-prefix 16 --hmark-rnd 1 --hmark-mod 2\nCOMMIT\n';
    const [f] = findings(text);
    assert.strictEqual(f.name, 'conflicting-options');
    assert.strictEqual(f.at, '--hmark-src-prefix 16');
  });

  it('prints RATEEST times the way iptables rounds them', function () {
    assert.strictEqual(
      printed('filter', '-j RATEEST --rateest-name r --rateest-interval 300ms --rateest-ewmalog 2s'),
      '-j RATEEST --rateest-name r --rateest-interval 500.0ms --rateest-ewmalog 2.0s',
    );
  });

  it('warns about values iptables accepts but changes', function () {
    const text = '*mangle\n-A FORWARD -j CLASSIFY --set-class 1:-1\nCOMMIT\n';
    const [f] = findings(text);
    assert.strictEqual(f.severity, 'warning');
    assert.match(f.message, /0001:ffff/);
    assert.strictEqual(f.at, '1:-1');
    assert.strictEqual(printed('filter', '-j LED --led-trigger-id x --led-delay inf'), '-j LED --led-trigger-id "x" --led-delay -1');
  });

  it('keeps TTL for IPv4 and HL for IPv6', function () {
    assert.strictEqual(findings('*mangle\n-A FORWARD -j HL --hl-dec 1\nCOMMIT\n', 'ipv6').length, 0);
    const [f] = findings('*mangle\n-A FORWARD -j HL --hl-dec 1\nCOMMIT\n', 'ipv4');
    assert.match(f.message, /only in ip6tables/);
  });
});

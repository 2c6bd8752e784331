// Slice A of the catalogue: protocol and header matches (tcp, udp, sctp, icmp, multiport,
// the IPv6 extension headers ...). Tricky cases checked through the public analysis API.

import * as assert from 'assert';
import { analyse, Finding } from '../../src/analysis';
import { printRule } from '../../src/syntax/printer';
import { RuleLine } from '../../src/syntax/dump';
import { Family } from '../../src/catalogue/types';
import { ICMP_TYPE_NAMES } from '../../src/catalogue/matches/icmp';
import { ICMPV6_TYPE_NAMES } from '../../src/catalogue/matches/icmp6';

const dump = (rule: string, table = 'filter', chain = 'INPUT') => `*${table}\n-A ${chain} ${rule}\nCOMMIT\n`;

function findings(rule: string, family: Family = 'ipv4', table?: string, chain?: string): Finding[] {
  return analyse(dump(rule, table, chain), { family, semantics: false }).findings;
}

/** The one finding of the rule, checked for code and message, and the text its span covers. */
function only(rule: string, code: string, messagePart: string, family: Family = 'ipv4', table?: string, chain?: string): string {
  const text = dump(rule, table, chain);
  const all = analyse(text, { family, semantics: false }).findings;
  assert.strictEqual(all.length, 1, `expected one finding for '${rule}', got: ${all.map((f) => `${f.code} ${f.message}`).join(' | ')}`);
  const [f] = all;
  assert.strictEqual(f.code, code, f.message);
  assert.ok(f.message.includes(messagePart), `'${f.message}' should mention '${messagePart}'`);
  return text.slice(f.span.start, f.span.end);
}

function printed(rule: string, family: Family = 'ipv4'): string {
  const a = analyse(dump(rule), { family, semantics: false });
  assert.deepStrictEqual(a.findings.filter((f) => f.severity === 'error'), [], rule);
  const node = a.tree.lines.find((l) => l.kind === 'rule') as RuleLine;
  return printRule(node.rule, { family, table: 'filter' })[0].replace(/^-A INPUT /, '');
}

describe('catalogue: protocol and header matches', function () {
  it('refuses a reversed udp port range and points at the range', function () {
    const text = dump('-p udp --dport 4:3');
    const [f] = analyse(text, { semantics: false }).findings;
    assert.strictEqual(f.code, 'IPT106');
    assert.ok(f.message.includes('reversed'));
    assert.deepStrictEqual([f.span.start, f.span.end], [text.indexOf('4:3'), text.indexOf('4:3') + 3]);
  });

  it('counts multiport slots (a range takes two) and refuses half-open ranges', function () {
    assert.strictEqual(only('-p tcp -m multiport --ports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15:16', 'IPT106', 'at most 15'), '1:2,3:4,5:6,7:8,9:10,11:12,13:14,15:16');
    assert.strictEqual(only('-p tcp -m multiport --dports 80,1024:', 'IPT106', 'both ends'), '1024:');
    assert.strictEqual(printed('-p tcp -m multiport --dports 53,1024:65535'), '-p tcp -m multiport --dports 53,1024:65535');
    assert.strictEqual(only('-p tcp -m multiport --sports 1 --dports 2', 'IPT111', 'only one port list'), '--dports 2');
  });

  it('reads ICMP names as unique prefixes and prints numbers', function () {
    assert.strictEqual(only('-p icmp -m icmp --icmp-type echo-re', 'IPT106', 'echo-reply or echo-request'), 'echo-re');
    assert.strictEqual(printed('-p icmp -m icmp --icmp-type port-unr'), '-p icmp -m icmp --icmp-type 3/3');
    assert.strictEqual(printed('-p icmp -m icmp --icmp-type 255/0:255'), '-p icmp -m icmp --icmp-type any');
    assert.strictEqual(printed('-p ipv6-icmp -m icmp6 --icmpv6-type neighbor-solicitation', 'ipv6'), '-p ipv6-icmp -m icmp6 --icmpv6-type 135');
    assert.strictEqual(only('-p icmp -m icmp', 'IPT110', '--icmp-type'), '-m icmp');
    // Exported for other features.
    assert.deepStrictEqual(ICMP_TYPE_NAMES.find((e) => e.name === 'echo-request'), { name: 'echo-request', type: 8 });
    assert.strictEqual(ICMPV6_TYPE_NAMES.find((e) => e.name === 'packet-too-big')?.type, 2);
  });

  it('warns about a --tcp-flags comparison outside its mask and prints it unmasked', function () {
    assert.strictEqual(only('-p tcp --tcp-flags SYN,ACK ACK,FIN', 'IPT140', 'never matches'), '--tcp-flags SYN,ACK ACK,FIN');
    assert.strictEqual(printed('-p tcp --tcp-flags SYN,ACK ACK,FIN'), '-p tcp -m tcp --tcp-flags SYN,ACK FIN,ACK');
  });

  it('needs -p tcp for the TCP bits of -m ecn but not for --ecn-ip-ect', function () {
    assert.strictEqual(only('-p udp -m ecn --ecn-tcp-ece', 'IPT112', '-p tcp'), '--ecn-tcp-ece');
    assert.deepStrictEqual(findings('-m ecn --ecn-ip-ect 1'), []);
  });

  it('prints sctp chunk types in number order with their flags', function () {
    assert.strictEqual(printed('-p sctp --chunk-types any ABORT:T,data:eB,INIT'), '-p sctp -m sctp --chunk-types any DATA:Be,INIT,ABORT:T');
    assert.strictEqual(only('-p sctp --chunk-types any INIT:T', 'IPT106', 'no flags'), 'T');
  });

  it('knows the order rules of the rt match', function () {
    assert.strictEqual(only('-m rt --rt-0-res --rt-type 0', 'IPT110', 'put --rt-type 0 before it', 'ipv6'), '--rt-0-res');
    assert.strictEqual(printed('-m rt --rt-type 0 --rt-0-addrs 0:0:0:0:0:0:0:1 --rt-0-res', 'ipv6'), '-m rt --rt-type 0 --rt-0-res --rt-0-addrs ::1');
  });

  it('converts DSCP classes and TOS names to the numbers iptables-save prints', function () {
    assert.strictEqual(printed('-m dscp ! --dscp-class af41'), '-m dscp ! --dscp 0x22');
    assert.strictEqual(printed('-m tos --tos normal-service'), '-m tos --tos 0x00/0x3f');
    assert.strictEqual(only('-m tos --tos 0x11/0x10', 'IPT140', 'outside the mask'), '0x11/0x10');
  });

  it('warns when ttl or hop-limit comparisons can never hold', function () {
    assert.strictEqual(only('-m ttl --ttl-gt 255', 'IPT140', 'never matches'), '255');
    assert.strictEqual(only('-m hl --hl-eq 3 --hl-lt 9', 'IPT111', 'only one comparison', 'ipv6'), '--hl-lt 9');
  });

  it('accepts eui64 only where packets have an Ethernet source', function () {
    assert.deepStrictEqual(findings('-m eui64', 'ipv6', 'raw', 'PREROUTING'), []);
    assert.strictEqual(findings('-m eui64', 'ipv6', 'filter', 'OUTPUT')[0]?.code, 'IPT113');
  });
});

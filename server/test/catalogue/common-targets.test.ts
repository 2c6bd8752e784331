// Slice C: the common targets (REJECT, LOG, NFLOG, NAT targets, NPT, TPROXY, TEE, MARK,
// CONNMARK, CT, NOTRACK, TRACE, removed ULOG/CLUSTERIP). Each verdict and printed form was
// settled with iptables 1.8.9 and the kernel (nft and legacy backends) in a throwaway
// network namespace.
import * as assert from 'assert';
import { analyse, Finding } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { RuleLine } from '../../src/syntax/dump';
import { printRule } from '../../src/syntax/printer';

function findings(text: string, family: Family = 'ipv4'): Array<Finding & { at: string }> {
  return analyse(text, { family, semantics: false }).findings.map((f) => ({ ...f, at: text.slice(f.span.start, f.span.end) }));
}

const errors = (text: string, family: Family = 'ipv4') => findings(text, family).filter((f) => f.severity === 'error');
const warnings = (text: string, family: Family = 'ipv4') => findings(text, family).filter((f) => f.severity === 'warning');

/** The rule as iptables-save prints it, without `-A CHAIN`. */
function printed(table: string, chain: string, rule: string, family: Family = 'ipv4'): string {
  const a = analyse(`*${table}\n-A ${chain} ${rule}\nCOMMIT\n`, { family, semantics: false });
  const node = a.tree.lines.find((l) => l.kind === 'rule') as RuleLine;
  return printRule(node.rule, { family, table: table as 'filter' })[0].replace(/^-A \S+ /, '');
}

describe('catalogue: common targets (slice C)', function () {
  it('needs a port protocol for a NAT port, pointing at the option', function () {
    const text = '*nat\n-A PREROUTING -j DNAT --to-destination 1.2.3.4:8080\nCOMMIT\n';
    const [f] = errors(text);
    assert.strictEqual(f.name, 'protocol-required');
    assert.match(f.message, /needs -p tcp, -p udp, -p sctp or -p dccp/);
    assert.deepStrictEqual([f.span.start, f.span.end], [27, 56]);
    assert.strictEqual(f.at, '--to-destination 1.2.3.4:8080');
    assert.deepStrictEqual(errors('*nat\n-A PREROUTING -p icmp -j DNAT --to-destination 1.2.3.4:80\nCOMMIT\n'), []);
  });

  it('reads NAT ranges as iptables does (dash ranges, service names, IPv6 brackets)', function () {
    assert.strictEqual(printed('nat', 'PREROUTING', '-p tcp -j DNAT --to-destination 1.2.3.4:0x50-90/ftp'), '-p tcp -j DNAT --to-destination 1.2.3.4:80-90/21');
    assert.strictEqual(printed('nat', 'PREROUTING', '-p tcp -j DNAT --to-destination [::1-::5]:80-80', 'ipv6'), '-p tcp -j DNAT --to-destination [::1-::5]:80');
    assert.strictEqual(printed('nat', 'PREROUTING', '-p tcp -j DNAT --to-destination [::1]', 'ipv6'), '-p tcp -j DNAT --to-destination ::1');
    const colon = errors('*nat\n-A PREROUTING -p tcp -j REDIRECT --to-ports 5:6\nCOMMIT\n');
    assert.strictEqual(colon[0].name, 'invalid-value');
    assert.match(colon[0].message, /written with a dash: 5-6/);
    assert.strictEqual(colon[0].at, ':');
    // inet_pton, not iptables' own parser: no short forms or octal in NAT addresses.
    assert.match(errors('*nat\n-A PREROUTING -j DNAT --to-destination 010.1.1.1\nCOMMIT\n')[0].message, /not a valid IPv4 address/);
    assert.match(errors('*nat\n-A PREROUTING -p tcp -j REDIRECT --to-ports 1-2/3\nCOMMIT\n')[0].message, /only supported by DNAT/);
    // Without brackets, a last group is part of the IPv6 address, never a port.
    const [w] = warnings('*nat\n-A PREROUTING -p tcp -j DNAT --to-destination 2001:db8::1:8080\nCOMMIT\n', 'ipv6');
    assert.match(w.message, /write \[2001:db8::1\]:8080/);
  });

  it('warns that SNAT/MASQUERADE drop a base port and print /0', function () {
    const text = '*nat\n-A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000/5\nCOMMIT\n';
    const [w] = warnings(text);
    assert.strictEqual(w.name, 'suspicious-value');
    assert.strictEqual(w.at, '/5');
    assert.strictEqual(printed('nat', 'POSTROUTING', '-p tcp -j MASQUERADE --to-ports 1000-2000/5'), '-p tcp -j MASQUERADE --to-ports 1000-2000/0');
  });

  it('places NAT targets on their hooks, following jumps into user chains', function () {
    const text = '*nat\n:X - [0:0]\n-A X -j MASQUERADE\n-A PREROUTING -j X\nCOMMIT\n';
    const [f] = errors(text);
    assert.strictEqual(f.name, 'target-not-allowed');
    assert.strictEqual(f.at, 'X');
    assert.match(f.message, /PREROUTING traffic into X, whose MASQUERADE \(line 3\)/);
    assert.deepStrictEqual(errors('*nat\n-A INPUT -j SNAT --to-source 1.2.3.4\n-A OUTPUT -j DNAT --to-destination 1.2.3.4\nCOMMIT\n'), []);
    assert.match(errors('*mangle\n-A INPUT -j REJECT\nCOMMIT\n')[0].message, /only in filter/);
  });

  it('reads REJECT types as case-insensitive prefixes, per family', function () {
    assert.strictEqual(printed('filter', 'INPUT', '-j REJECT --reject-with ICMP-NET'), '-j REJECT --reject-with icmp-net-unreachable');
    assert.strictEqual(printed('filter', 'INPUT', '-p tcp -j REJECT --reject-with t', 'ipv6'), '-p tcp -j REJECT --reject-with tcp-reset');
    const [f] = errors('*filter\n-A INPUT -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n', 'ipv6');
    assert.match(f.message, /IPv4 \(iptables\) reject type/);
    assert.strictEqual(f.at, 'icmp-port-unreachable');
    assert.strictEqual(errors('*filter\n-A INPUT ! -p tcp -j REJECT --reject-with tcp-reset\nCOMMIT\n')[0].name, 'protocol-required');
  });

  it('prints MARK and CONNMARK as the --set-xmark operation the kernel keeps', function () {
    assert.strictEqual(printed('mangle', 'PREROUTING', '-j MARK --and-mark 0xff'), '-j MARK --set-xmark 0x0/0xffffff00');
    assert.strictEqual(printed('mangle', 'PREROUTING', '-j CONNMARK --set-mark 1 --ctmask 3'), '-j CONNMARK --set-xmark 0x1/0x3');
    assert.strictEqual(printed('mangle', 'PREROUTING', '-j CONNMARK --mask 1 --restore-mark'), '-j CONNMARK --restore-mark --nfmask 0x1 --ctmask 0x1');
    const [f] = errors('*mangle\n-A PREROUTING -j MARK --set-mark 5 --or-mark 1\nCOMMIT\n');
    assert.strictEqual(f.name, 'conflicting-options');
    assert.strictEqual(f.at, '--or-mark 1');
  });

  it('combines CT zones as iptables-save does and checks helpers against -p', function () {
    assert.strictEqual(printed('raw', 'PREROUTING', '-j CT --zone-orig 5 --zone-reply 6'), '-j CT --zone 6');
    assert.strictEqual(printed('raw', 'PREROUTING', '-j CT --zone-orig mark --zone 4'), '-j CT --zone-orig mark');
    const [f] = errors('*raw\n-A PREROUTING -p udp -j CT --helper ftp\nCOMMIT\n');
    assert.strictEqual(f.name, 'protocol-required');
    assert.strictEqual(f.at, '--helper ftp');
    assert.deepStrictEqual(errors('*raw\n-A PREROUTING -j CT --notrack --helper ftp\nCOMMIT\n'), []);
  });

  it('reads TPROXY and TEE addresses as getaddrinfo does, and prints TPROXY in full', function () {
    assert.strictEqual(printed('mangle', 'PREROUTING', '-p udp -j TPROXY --on-port 080 --on-ip 1.2.3'), '-p udp -j TPROXY --on-port 80 --on-ip 1.2.0.3 --tproxy-mark 0x0/0x0');
    const [w] = warnings('*mangle\n-A PREROUTING -p tcp -j TPROXY --on-port 65536\nCOMMIT\n');
    assert.match(w.message, /low 16 bits, which gives 0/);
    assert.match(errors('*mangle\n-A PREROUTING -j TEE --gateway 0.0.0.0\nCOMMIT\n')[0].message, /not a usable gateway/);
  });

  it('refuses the removed ULOG and CLUSTERIP targets and names the replacement', function () {
    const [f] = errors('*filter\n-A INPUT -j ULOG --ulog-nlgroup 2\nCOMMIT\n');
    assert.match(f.message, /no longer exists.*NFLOG/);
    assert.strictEqual(f.code, 'IPT141');
    assert.strictEqual(f.at, '-j ULOG');
    assert.match(errors('*mangle\n-A INPUT -j CLUSTERIP --new --hashmode sourceip --clustermac 01:00:5e:00:00:20 --total-nodes 2 --local-node 1\nCOMMIT\n')[0].message, /-m cluster/);
  });

  it('keeps the LOG and NFLOG defaults out of the printed form', function () {
    assert.strictEqual(printed('filter', 'INPUT', '-j LOG --log-level warning --log-uid'), '-j LOG --log-uid');
    assert.strictEqual(printed('filter', 'INPUT', '-j NFLOG --nflog-group 0 --nflog-size 0'), '-j NFLOG --nflog-size 0');
    assert.match(warnings('*filter\n-A INPUT -j LOG --log-prefix "123456789012345678901234567890"\nCOMMIT\n')[0].message, /keeps only the first 29/);
  });
});

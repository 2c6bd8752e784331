// Slice B2: host, interface and policy matches (owner, addrtype, physdev, policy, set,
// cluster, bpf, rateest ...). Each case was settled against iptables 1.8.9 and the kernel
// (nft and legacy backends) in a throwaway network namespace.
import * as assert from 'assert';
import { analyse, Finding } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { RuleLine } from '../../src/syntax/dump';
import { printRule } from '../../src/syntax/printer';

function findings(text: string, family: Family = 'ipv4'): Array<Finding & { at: string }> {
  return analyse(text, { family, semantics: false }).findings.map((f) => ({ ...f, at: text.slice(f.span.start, f.span.end) }));
}

/** The rule as iptables-save prints it, without `-A CHAIN`. */
function printed(table: string, chain: string, rule: string, family: Family = 'ipv4'): string {
  const a = analyse(`*${table}\n-A ${chain} ${rule}\nCOMMIT\n`, { family, semantics: false });
  const node = a.tree.lines.find((l) => l.kind === 'rule') as RuleLine;
  return printRule(node.rule, { family, table: table as 'filter' })[0].replace(/^-A \S+ /, '');
}

const errors = (text: string, family: Family = 'ipv4') => findings(text, family).filter((f) => f.severity === 'error');

describe('catalogue: host, interface and policy matches', function () {
  it('refuses a reversed owner id range on the value, and prints root as 0', function () {
    const text = '*mangle\n-A OUTPUT -m owner --uid-owner 5-3\nCOMMIT\n';
    const [f] = errors(text);
    assert.strictEqual(f.name, 'invalid-value');
    assert.match(f.message, /reversed: write 3-5/);
    assert.deepStrictEqual([f.span.start, f.span.end, f.at], [39, 42, '5-3']);
    assert.strictEqual(printed('mangle', 'OUTPUT', '-m owner --gid-owner 0:10 --uid-owner root --socket-exists'), '-m owner --socket-exists --uid-owner 0 --gid-owner 0-10');
  });

  it('needs --gid-owner before --suppl-groups', function () {
    const text = '*mangle\n-A OUTPUT -m owner --suppl-groups --gid-owner 1\nCOMMIT\n';
    const [f] = errors(text);
    assert.strictEqual(f.name, 'missing-required-option');
    assert.strictEqual(f.at, '--suppl-groups');
  });

  it('checks option-dependent hooks in built-in chains (addrtype, physdev, policy, devgroup)', function () {
    const text = '*filter\n-A OUTPUT -m addrtype --src-type LOCAL --limit-iface-in\nCOMMIT\n';
    const [f] = errors(text);
    assert.strictEqual(f.name, 'target-not-allowed');
    assert.deepStrictEqual([f.span.start, f.span.end, f.at], [47, 63, '--limit-iface-in']);
    assert.strictEqual(errors('*filter\n-A OUTPUT -m physdev --physdev-out lo\nCOMMIT\n')[0]?.name, 'target-not-allowed');
    assert.deepStrictEqual(errors('*filter\n-A OUTPUT -m physdev --physdev-out lo --physdev-is-bridged\nCOMMIT\n'), []);
    assert.strictEqual(errors('*filter\n-A OUTPUT -m policy --dir in --pol ipsec\nCOMMIT\n')[0]?.at, '--dir in');
    assert.strictEqual(errors('*filter\n-A INPUT -m devgroup --dst-group 1\nCOMMIT\n')[0]?.at, '--dst-group 1');
  });

  it('refuses IPv6 address types that IPv6 routing does not have', function () {
    const [f] = errors('*filter\n-A INPUT -m addrtype --dst-type local,BROADCAST\nCOMMIT\n', 'ipv6');
    assert.strictEqual(f.name, 'invalid-value');
    assert.match(f.message, /BROADCAST cannot be matched in IPv6/);
    assert.strictEqual(printed('filter', 'INPUT', '-m addrtype --src-type local,UNICAST,local'), '-m addrtype --src-type UNICAST,LOCAL');
  });

  it('prints iprange ends and policy elements the way iptables-save does', function () {
    assert.strictEqual(printed('filter', 'INPUT', '-m iprange ! --dst-range 10 --src-range 1.1.1.010-1.1.1.020'), '-m iprange --src-range 1.1.1.8-1.1.1.16 ! --dst-range 10.0.0.0-10.0.0.0');
    assert.strictEqual(
      printed('filter', 'FORWARD', '-m policy --dir in --reqid 1 --strict --next --tunnel-src 1.2.3.4/8 --mode tunnel --spi 10 --tunnel-dst 5.6.7.8/255.255.255.255'),
      '-m policy --dir in --pol ipsec --strict --reqid 1 --next --spi 0xa --mode tunnel --tunnel-dst 5.6.7.8 --tunnel-src 1.2.3.4/8',
    );
  });

  it('warns about a reversed iprange, which loads but never matches', function () {
    const [f] = findings('*filter\n-A INPUT -m iprange --src-range 1.1.1.10-1.1.1.1\nCOMMIT\n');
    assert.strictEqual(f.severity, 'warning');
    assert.match(f.message, /write 1\.1\.1\.1-1\.1\.1\.10/);
  });

  it('keeps each policy element option once per element and needs --strict for --next', function () {
    const list = errors('*filter\n-A FORWARD -m policy --dir in --reqid 1 --reqid 2 --next --spi 1\nCOMMIT\n');
    assert.deepStrictEqual(list.map((f) => [f.name, f.at]), [
      ['duplicate-option', '--reqid 2'],
      ['missing-required-option', '--next'],
    ]);
  });

  it('prints cluster nodes as a mask and the hash seed with eight hex digits', function () {
    assert.strictEqual(
      printed('mangle', 'PREROUTING', '-m cluster --cluster-total-nodes 4 ! --cluster-local-node 3 --cluster-hash-seed 1'),
      '-m cluster ! --cluster-local-nodemask 0x00000004 --cluster-total-nodes 4 --cluster-hash-seed 0x00000001',
    );
    const [f] = errors('*mangle\n-A PREROUTING -m cluster --cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed 1\nCOMMIT\n');
    assert.strictEqual(f.at, '--cluster-local-node 3');
  });

  it('checks BPF bytecode the way the kernel does', function () {
    const [f] = errors('*filter\n-A INPUT -m bpf --bytecode "2,21 0 5 6,6 0 0 1"\nCOMMIT\n');
    assert.match(f.message, /jumps past the end/);
    assert.strictEqual(printed('filter', 'INPUT', '-m bpf --bytecode "1, 6  0 0 0x10,"'), '-m bpf --bytecode "1,6 0 0 0"');
  });

  it('normalises rateest rates and modes', function () {
    assert.strictEqual(printed('filter', 'INPUT', '-m rateest --rateest RE1 --rateest-lt --rateest-bps 1.5mbit'), '-m rateest --rateest RE1 --rateest-lt --rateest-bps 1500Kbit');
    assert.strictEqual(
      printed('filter', 'INPUT', '-m rateest --rateest-delta --rateest RE1 --rateest-lt --rateest-pps 7'),
      '-m rateest --rateest-delta --rateest RE1 --rateest-pps1 0 --rateest-lt --rateest-pps2 7',
    );
    assert.strictEqual(errors('*filter\n-A INPUT -m rateest --rateest RE1 --rateest-bps 8bit\nCOMMIT\n')[0]?.name, 'missing-required-option');
  });

  it('limits set counter comparisons to one of each kind', function () {
    const [f] = errors('*filter\n-A INPUT -m set --match-set foo src --packets-lt 5 --packets-gt 3\nCOMMIT\n');
    assert.strictEqual(f.name, 'conflicting-options');
    assert.strictEqual(f.at, '--packets-gt 3');
    assert.strictEqual(printed('filter', 'INPUT', '-m set --set foo src --update-counters ! --update-subcounters'), '-m set --match-set foo src ! --update-subcounters');
  });
});

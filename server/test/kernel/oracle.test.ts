// The kernel packet oracle against rulesets whose fate for each packet we know: every
// packet's verdict, deciding rule, matched rules and conntrack state must come out of the
// real kernel as expected, the same on the nft and legacy backends, and the same twice.

import * as assert from 'assert';
import { OraclePacket, OracleResult, OracleSuccess, oracleUnavailable, refName, runOracle } from '../support/oracle';

interface Expectation {
  readonly title: string;
  readonly packet: OraclePacket;
  readonly verdict: string;
  /** refName() of decided_by (or stopped_by for NOT_REACHED). */
  readonly by?: string;
  /** Exactly these rules moved, in this order. */
  readonly matched?: readonly string[];
  readonly state?: string | null;
  /** Fields the packet must have when it leaves (after NAT). */
  readonly emitted?: Readonly<Record<string, string | number>>;
}

interface FailureExpectation {
  readonly title: string;
  readonly packet: OraclePacket;
  readonly error: RegExp;
}

const DEMO_V4 = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80
-A POSTROUTING -o eth0 -s 192.168.1.0/24 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:SSH_CHECK - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -s 203.0.113.0/24 -j DROP
-A INPUT -s 203.0.113.5/32 -p tcp --dport 443 -j ACCEPT
-A INPUT -p tcp --dport 22 -j SSH_CHECK
-A INPUT -p tcp --dport 80 -j ACCEPT
-A INPUT -p udp --dport 53 -j REJECT
-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A FORWARD -i eth0 -o eth1 -d 192.168.1.10/32 -p tcp --dport 80 -m conntrack --ctstate DNAT -j ACCEPT
-A FORWARD -i eth1 -o eth0 -s 192.168.1.0/24 -j ACCEPT
-A OUTPUT -p tcp --tcp-flags RST RST -j LOG --log-prefix "rst-out "
-A OUTPUT -p icmp -j LOG --log-prefix "icmp-out "
-A OUTPUT -m owner --uid-owner 1000 -p tcp --dport 25 -j REJECT
-A OUTPUT -m owner --uid-owner 0 -p tcp --dport 25 -j ACCEPT
-A SSH_CHECK -s 192.0.2.0/24 -j RETURN
-A SSH_CHECK -s 198.51.100.0/24 -j ACCEPT
-A SSH_CHECK -p tcp -j REJECT --reject-with tcp-reset
COMMIT
`;

const HOST = '10.0.0.1';

const DEMO_V4_CASES: readonly Expectation[] = [
  {
    title: 'SSH from a trusted network is accepted inside the user chain',
    packet: { proto: 'tcp', src: '198.51.100.7', dst: HOST, sport: 40000, dport: 22, in: 'eth0', state: 'NEW', flags: 'SYN' },
    verdict: 'ACCEPT', by: 'filter/SSH_CHECK#2', matched: ['filter/INPUT#6', 'filter/SSH_CHECK#2'], state: 'NEW',
  },
  {
    title: 'RETURN from the user chain falls through to the INPUT policy',
    packet: { proto: 'tcp', src: '192.0.2.9', dst: HOST, dport: 22, in: 'eth0' },
    verdict: 'DROP', by: 'filter/INPUT:DROP', matched: ['filter/INPUT#6', 'filter/SSH_CHECK#1'],
  },
  {
    title: 'REJECT in the user chain; its TCP reset does not move the OUTPUT counters',
    packet: { proto: 'tcp', src: '8.8.4.4', dst: HOST, dport: 22, in: 'eth0' },
    verdict: 'REJECT', by: 'filter/SSH_CHECK#3', matched: ['filter/INPUT#6', 'filter/SSH_CHECK#3'],
  },
  {
    title: 'DROP of 203.0.113.0/24 shadows the ACCEPT for 203.0.113.5:443',
    packet: { proto: 'tcp', src: '203.0.113.5', dst: HOST, dport: 443, in: 'eth0' },
    verdict: 'DROP', by: 'filter/INPUT#4', matched: ['filter/INPUT#4'],
  },
  {
    title: 'loopback traffic is accepted by -i lo',
    packet: { proto: 'udp', src: '127.0.0.1', dst: '127.0.0.1', dport: 53, in: 'lo' },
    verdict: 'ACCEPT', by: 'filter/INPUT#1', matched: ['filter/INPUT#1'],
  },
  {
    title: 'ESTABLISHED (injected conntrack entry) is accepted by the conntrack rule',
    packet: { proto: 'tcp', src: '8.8.4.4', dst: HOST, sport: 443, dport: 40000, in: 'eth0', state: 'ESTABLISHED', ctdir: 'REPLY' },
    verdict: 'ACCEPT', by: 'filter/INPUT#2', matched: ['filter/INPUT#2'], state: 'ESTABLISHED',
  },
  {
    title: 'RELATED: an ICMP port unreachable quoting a tracked UDP flow',
    packet: { proto: 'icmp', src: '8.8.4.4', dst: HOST, icmp_type: 3, icmp_code: 3, in: 'eth0', state: 'RELATED' },
    verdict: 'ACCEPT', by: 'filter/INPUT#2', state: 'RELATED',
  },
  {
    title: 'INVALID (bad TCP checksum) is dropped by the INVALID rule',
    packet: { proto: 'tcp', src: '8.8.4.4', dst: HOST, dport: 80, in: 'eth0', state: 'INVALID' },
    verdict: 'DROP', by: 'filter/INPUT#3', matched: ['filter/INPUT#3'], state: 'INVALID',
  },
  {
    title: 'REJECT for DNS on INPUT',
    packet: { proto: 'udp', src: '8.8.4.4', dst: HOST, dport: 53, in: 'eth0' },
    verdict: 'REJECT', by: 'filter/INPUT#8', matched: ['filter/INPUT#8'],
  },
  {
    title: 'anything else hits the INPUT policy',
    packet: { proto: 'udp', src: '8.8.4.4', dst: HOST, dport: 5353, in: 'eth0' },
    verdict: 'DROP', by: 'filter/INPUT:DROP', matched: [],
  },
  {
    title: 'DNAT then FORWARD accepts the translated packet',
    packet: { proto: 'tcp', src: '8.8.4.4', dst: '203.0.113.1', dport: 8080, in: 'eth0', out: 'eth1' },
    verdict: 'ACCEPT', by: 'filter/FORWARD#2', matched: ['nat/PREROUTING#1', 'filter/FORWARD#2'],
    emitted: { dev: 'eth1', dst: '192.168.1.10', dport: 80 },
  },
  {
    title: 'a forwarded packet no rule allows hits the FORWARD policy',
    packet: { proto: 'tcp', src: '8.8.4.4', dst: '192.168.1.20', dport: 80, in: 'eth0', out: 'eth1' },
    verdict: 'DROP', by: 'filter/FORWARD:DROP', matched: [],
  },
  {
    title: 'outbound forwarding is MASQUERADEd to the address of eth0',
    packet: { proto: 'tcp', src: '192.168.1.10', dst: '8.8.4.4', dport: 443, in: 'eth1', out: 'eth0' },
    verdict: 'ACCEPT', by: 'filter/FORWARD#3', matched: ['filter/FORWARD#3', 'nat/POSTROUTING#1'],
    emitted: { dev: 'eth0', src: '192.0.0.8', dst: '8.8.4.4' },
  },
  {
    title: 'a forwarded ESTABLISHED reply is accepted',
    packet: { proto: 'tcp', src: '8.8.4.4', dst: '192.168.1.10', sport: 443, dport: 40000, in: 'eth0', out: 'eth1', state: 'ESTABLISHED' },
    verdict: 'ACCEPT', by: 'filter/FORWARD#1', matched: ['filter/FORWARD#1'], state: 'ESTABLISHED',
  },
  {
    title: 'OUTPUT: -m owner --uid-owner 1000 is rejected',
    packet: { proto: 'tcp', src: HOST, dst: '198.51.100.9', dport: 25, out: 'eth0', uid: 1000 },
    verdict: 'REJECT', by: 'filter/OUTPUT#3', matched: ['filter/OUTPUT#3'],
  },
  {
    title: 'OUTPUT: root may send mail',
    packet: { proto: 'tcp', src: HOST, dst: '198.51.100.9', dport: 25, out: 'eth0', uid: 0 },
    verdict: 'ACCEPT', by: 'filter/OUTPUT#4', matched: ['filter/OUTPUT#4'], emitted: { dev: 'eth0', dport: 25 },
  },
  {
    title: 'OUTPUT: other traffic leaves under the ACCEPT policy',
    packet: { proto: 'udp', src: HOST, dst: '198.51.100.9', dport: 123, out: 'eth0' },
    verdict: 'ACCEPT', by: 'filter/OUTPUT:ACCEPT', matched: [],
  },
];

const DEMO_V4_FAILURES: readonly FailureExpectation[] = [
  { title: 'UNTRACKED without any NOTRACK rule', packet: { proto: 'udp', dport: 53, in: 'eth0', state: 'UNTRACKED' }, error: /NOTRACK/ },
  { title: 'an address of the wrong family', packet: { proto: 'tcp', src: '2001:db8::1', in: 'eth0' }, error: /not an ipv4 address/ },
  { title: 'TCP RELATED (needs a helper)', packet: { proto: 'tcp', in: 'eth0', state: 'RELATED' }, error: /helper/ },
];

const DEMO_V6 = `*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p udp --dport 123 -j CT --notrack
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:ICMP6 - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -p ipv6-icmp -j ICMP6
-A INPUT -s 2001:db8:bad::/48 -j DROP
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -p udp --dport 53 -j REJECT --reject-with icmp6-port-unreachable
-A INPUT -m conntrack --ctstate UNTRACKED -p udp --dport 123 -j ACCEPT
-A FORWARD -i eth0 -o eth1 -p tcp --dport 443 -j ACCEPT
-A OUTPUT -p ipv6-icmp -j LOG
-A ICMP6 -p ipv6-icmp --icmpv6-type neighbour-solicitation -m hl --hl-eq 255 -j ACCEPT
-A ICMP6 -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT
COMMIT
`;

const HOST6 = '2001:db8::1';
const REMOTE6 = '2001:db8:100::7';

const DEMO_V6_CASES: readonly Expectation[] = [
  {
    title: 'SSH over IPv6 is accepted',
    packet: { proto: 'tcp', src: REMOTE6, dst: HOST6, dport: 22, in: 'eth0' },
    verdict: 'ACCEPT', by: 'filter/INPUT#6', matched: ['filter/INPUT#6'], state: 'NEW',
  },
  {
    title: 'a blocked /48 is dropped',
    packet: { proto: 'tcp', src: '2001:db8:bad::7', dst: HOST6, dport: 22, in: 'eth0' },
    verdict: 'DROP', by: 'filter/INPUT#5', matched: ['filter/INPUT#5'],
  },
  {
    title: 'DNS is rejected with icmp6-port-unreachable (the answer is not counted in OUTPUT)',
    packet: { proto: 'udp', src: REMOTE6, dst: HOST6, dport: 53, in: 'eth0' },
    verdict: 'REJECT', by: 'filter/INPUT#7', matched: ['filter/INPUT#7'],
  },
  {
    title: 'echo request through the ICMP6 user chain',
    packet: { proto: 'icmpv6', src: REMOTE6, dst: HOST6, icmp_type: 128, in: 'eth0' },
    verdict: 'ACCEPT', by: 'filter/ICMP6#2', matched: ['filter/INPUT#4', 'filter/ICMP6#2'],
  },
  {
    title: 'neighbour solicitation to the solicited-node group is UNTRACKED and accepted',
    packet: { proto: 'icmpv6', src: 'fe80::1', dst: 'ff02::1:ff00:1', icmp_type: 135, ttl: 255, in: 'eth0' },
    verdict: 'ACCEPT', by: 'filter/ICMP6#1', matched: ['filter/INPUT#4', 'filter/ICMP6#1'], state: 'UNTRACKED',
  },
  {
    title: 'a neighbour solicitation with hop limit 64 falls through to the policy',
    packet: { proto: 'icmpv6', src: 'fe80::1', dst: HOST6, icmp_type: 135, ttl: 64, in: 'eth0' },
    verdict: 'DROP', by: 'filter/INPUT:DROP', matched: ['filter/INPUT#4'], state: 'UNTRACKED',
  },
  {
    title: 'raw CT --notrack makes NTP UNTRACKED',
    packet: { proto: 'udp', src: REMOTE6, dst: HOST6, dport: 123, in: 'eth0', state: 'UNTRACKED' },
    verdict: 'ACCEPT', by: 'filter/INPUT#8', matched: ['raw/PREROUTING#1', 'filter/INPUT#8'], state: 'UNTRACKED',
  },
  {
    title: 'IPv6 ESTABLISHED',
    packet: { proto: 'tcp', src: REMOTE6, dst: HOST6, dport: 8080, in: 'eth0', state: 'ESTABLISHED' },
    verdict: 'ACCEPT', by: 'filter/INPUT#2', matched: ['filter/INPUT#2'], state: 'ESTABLISHED',
  },
  {
    title: 'IPv6 RELATED (ICMPv6 port unreachable)',
    packet: { proto: 'icmpv6', src: REMOTE6, dst: HOST6, in: 'eth0', state: 'RELATED' },
    verdict: 'ACCEPT', by: 'filter/INPUT#2', matched: ['filter/INPUT#2'], state: 'RELATED',
  },
  {
    title: 'IPv6 INVALID (bad checksum)',
    packet: { proto: 'tcp', src: REMOTE6, dst: HOST6, dport: 8080, in: 'eth0', state: 'INVALID' },
    verdict: 'DROP', by: 'filter/INPUT#3', matched: ['filter/INPUT#3'], state: 'INVALID',
  },
  {
    title: 'IPv6 forwarding of HTTPS is accepted',
    packet: { proto: 'tcp', src: REMOTE6, dst: '2001:db8:200::9', dport: 443, in: 'eth0', out: 'eth1' },
    verdict: 'ACCEPT', by: 'filter/FORWARD#1', matched: ['filter/FORWARD#1'], emitted: { dev: 'eth1', dst: '2001:db8:200::9' },
  },
  {
    title: 'IPv6 forwarding of anything else hits the policy',
    packet: { proto: 'tcp', src: REMOTE6, dst: '2001:db8:200::9', dport: 80, in: 'eth0', out: 'eth1' },
    verdict: 'DROP', by: 'filter/FORWARD:DROP', matched: [],
  },
  {
    title: 'forwarding with a link-local source never reaches FORWARD',
    packet: { proto: 'tcp', src: 'fe80::7', dst: '2001:db8:200::9', dport: 443, in: 'eth0', out: 'eth1' },
    verdict: 'NOT_REACHED', matched: [],
  },
  {
    title: 'IPv6 loopback',
    packet: { proto: 'udp', src: '::1', dst: '::1', dport: 53, in: 'lo' },
    verdict: 'ACCEPT', by: 'filter/INPUT#1', matched: ['filter/INPUT#1'],
  },
  {
    title: 'IPv6 OUTPUT leaves under the policy',
    packet: { proto: 'tcp', src: HOST6, dst: '2001:db8:200::9', dport: 80, out: 'eth1' },
    verdict: 'ACCEPT', by: 'filter/OUTPUT:ACCEPT', matched: [], emitted: { dev: 'eth1', dport: 80 },
  },
];

function success(result: OracleResult, title: string): OracleSuccess {
  if (!result.ok) assert.fail(`${title}: oracle error: ${result.error}`);
  return result;
}

function checkExpectation(result: OracleResult, e: Expectation): void {
  const r = success(result, e.title);
  const context = `${e.title}\n      got: ${JSON.stringify(r)}`;
  assert.strictEqual(r.verdict, e.verdict, context);
  if (e.by !== undefined) assert.strictEqual(refName(r.decided_by ?? r.stopped_by), e.by, context);
  if (e.matched !== undefined) assert.deepStrictEqual(r.matched.map(refName), e.matched, context);
  if (e.state !== undefined) assert.strictEqual(r.state, e.state, context);
  if (e.emitted !== undefined) {
    const left = r.emitted ?? [];
    assert.strictEqual(left.length, 1, context);
    for (const [key, value] of Object.entries(e.emitted)) assert.strictEqual((left[0] as Record<string, unknown>)[key], value, context);
  } else if (e.verdict !== 'ACCEPT') {
    assert.ok(!r.emitted || r.emitted.length === 0, `${context}\n      a packet that was not accepted left the host`);
  }
}

/** What must not depend on the backend or on the counter reader. */
function essence(results: readonly OracleResult[]): unknown[] {
  return results.map((r) => (r.ok ? { verdict: r.verdict, by: refName(r.decided_by), matched: r.matched.map(refName), state: r.state, emitted: r.emitted } : { error: r.error }));
}

describe('kernel packet oracle (scripts/kernel-oracle.py, real kernel in a throwaway namespace)', function () {
  this.timeout(120000);
  const why = oracleUnavailable();
  if (why) {
    it(`skipped: ${why}`);
    return;
  }

  const v4Packets = [...DEMO_V4_CASES.map((c) => c.packet), ...DEMO_V4_FAILURES.map((c) => c.packet)];
  const v6Packets = DEMO_V6_CASES.map((c) => c.packet);

  for (const backend of ['nft', 'legacy'] as const) {
    describe(`IPv4 demo ruleset, ${backend} backend`, function () {
      let results: OracleResult[] = [];
      before(function () {
        results = runOracle(DEMO_V4, v4Packets, { family: 'ipv4', backend });
      });
      DEMO_V4_CASES.forEach((c, i) => it(c.title, () => checkExpectation(results[i], c)));
      DEMO_V4_FAILURES.forEach((c, i) =>
        it(`refused: ${c.title}`, () => {
          const r = results[DEMO_V4_CASES.length + i];
          assert.ok(!r.ok, `${c.title}: expected an error, got ${JSON.stringify(r)}`);
          assert.match(r.error, c.error);
        }),
      );
      it('maps rules back to the lines of the ruleset', () => {
        const r = success(results[3], DEMO_V4_CASES[3].title);
        const by = r.decided_by as { line?: number };
        assert.strictEqual(DEMO_V4.split('\n')[(by.line ?? 0) - 1], '-A INPUT -s 203.0.113.0/24 -j DROP');
      });
    });

    describe(`IPv6 demo ruleset, ${backend} backend`, function () {
      let results: OracleResult[] = [];
      before(function () {
        results = runOracle(DEMO_V6, v6Packets, { family: 'ipv6', backend });
      });
      DEMO_V6_CASES.forEach((c, i) => it(c.title, () => checkExpectation(results[i], c)));
    });
  }

  describe('agreement and repeatability', function () {
    it('a second run gives identical output', () => {
      assert.deepStrictEqual(runOracle(DEMO_V4, v4Packets), runOracle(DEMO_V4, v4Packets));
    });

    for (const [family, ruleset, packets] of [['ipv4', DEMO_V4, v4Packets], ['ipv6', DEMO_V6, v6Packets]] as const) {
      it(`${family}: every backend and every way of seeing the matched rules agree`, () => {
        const reference = essence(runOracle(ruleset, packets, { family, backend: 'nft', method: 'trace' }));
        for (const [backend, method] of [['nft', 'counters'], ['nft', 'save'], ['legacy', 'counters'], ['legacy', 'save']] as const) {
          assert.deepStrictEqual(essence(runOracle(ruleset, packets, { family, backend, method })), reference, `${backend} ${method}`);
        }
      });
    }

    it('stateful matches keep their state across the packets of one run', () => {
      const ruleset = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 22 -m limit --limit 1/hour --limit-burst 2 -j ACCEPT
COMMIT
`;
      const ssh: OraclePacket = { proto: 'tcp', src: '198.51.100.7', dst: HOST, dport: 22, in: 'eth0' };
      const results = runOracle(ruleset, [ssh, ssh, ssh]);
      assert.deepStrictEqual(results.map((r) => (r.ok ? r.verdict : r.error)), ['ACCEPT', 'ACCEPT', 'DROP']);
    });

    it('reports a ruleset the kernel refuses as an error, not as verdicts', () => {
      const broken = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j REJECT --reject-with tcp-reset\nCOMMIT\n';
      assert.throws(() => runOracle(broken, [{ in: 'eth0' }]), /refused the ruleset/);
    });
  });
});

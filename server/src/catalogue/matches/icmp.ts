import { MatchModule } from '../types';
import { IcmpTypeName, icmpTypeGrammar } from '../grammars/icmp';

/** ICMP (IPv4) type names iptables knows, in its own order (which decides ambiguity messages). */
export const ICMP_TYPE_NAMES: readonly IcmpTypeName[] = [
  { name: 'any', type: 255 },
  { name: 'echo-reply', type: 0 },
  { name: 'pong', type: 0, alias: true },
  { name: 'destination-unreachable', type: 3 },
  { name: 'network-unreachable', type: 3, code: 0 },
  { name: 'host-unreachable', type: 3, code: 1 },
  { name: 'protocol-unreachable', type: 3, code: 2 },
  { name: 'port-unreachable', type: 3, code: 3 },
  { name: 'fragmentation-needed', type: 3, code: 4 },
  { name: 'source-route-failed', type: 3, code: 5 },
  { name: 'network-unknown', type: 3, code: 6 },
  { name: 'host-unknown', type: 3, code: 7 },
  { name: 'network-prohibited', type: 3, code: 9 },
  { name: 'host-prohibited', type: 3, code: 10 },
  { name: 'TOS-network-unreachable', type: 3, code: 11 },
  { name: 'TOS-host-unreachable', type: 3, code: 12 },
  { name: 'communication-prohibited', type: 3, code: 13 },
  { name: 'host-precedence-violation', type: 3, code: 14 },
  { name: 'precedence-cutoff', type: 3, code: 15 },
  { name: 'source-quench', type: 4 },
  { name: 'redirect', type: 5 },
  { name: 'network-redirect', type: 5, code: 0 },
  { name: 'host-redirect', type: 5, code: 1 },
  { name: 'TOS-network-redirect', type: 5, code: 2 },
  { name: 'TOS-host-redirect', type: 5, code: 3 },
  { name: 'echo-request', type: 8 },
  { name: 'ping', type: 8, alias: true },
  { name: 'router-advertisement', type: 9 },
  { name: 'router-solicitation', type: 10 },
  { name: 'time-exceeded', type: 11 },
  { name: 'ttl-exceeded', type: 11, alias: true },
  { name: 'ttl-zero-during-transit', type: 11, code: 0 },
  { name: 'ttl-zero-during-reassembly', type: 11, code: 1 },
  { name: 'parameter-problem', type: 12 },
  { name: 'ip-header-bad', type: 12, code: 0 },
  { name: 'required-option-missing', type: 12, code: 1 },
  { name: 'timestamp-request', type: 13 },
  { name: 'timestamp-reply', type: 14 },
  { name: 'address-mask-request', type: 17 },
  { name: 'address-mask-reply', type: 18 },
];

/** Value: IcmpTypeValue ({ type, code: { min, max } }); type 255 ("any") matches every ICMP packet. */
export const icmpType = icmpTypeGrammar('ICMP', ICMP_TYPE_NAMES, 'any');

export const icmp: MatchModule = {
  kind: 'match',
  name: 'icmp',
  families: ['ipv4'],
  protocols: ['icmp'],
  summary: 'ICMP type and code',
  doc: `Tests the type and code of an IPv4 ICMP message: ping requests and replies, unreachable notices, TTL expiry. Use it to allow ping while refusing other ICMP, or to let through the error messages TCP relies on.

\`\`\`iptables
-A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/second -j ACCEPT
-A INPUT -p icmp --icmp-type fragmentation-needed -j ACCEPT
\`\`\`

- It needs \`-p icmp\`. To match every ICMP packet, write \`-p icmp\` alone.
- In an ip6tables file, \`-p icmp\` never matches ICMPv6 and \`--icmp-type\` is unknown: use \`-p ipv6-icmp\` with \`--icmpv6-type\`.
- Dropping all ICMP breaks path MTU discovery, and large transfers then stall. Keep \`fragmentation-needed\`, or accept \`--ctstate RELATED\`.`,
  options: [
    {
      names: ['--icmp-type'],
      args: [icmpType],
      negatable: true,
      doc: 'A type name (`echo-request`, `port-unreachable` ...), a type number, or `type/code`. Any unambiguous start of a name works, and `any` matches every type. iptables-save prints numbers: `8` for echo-request.',
    },
  ],
  check(ext) {
    if (ext.options.length) return [];
    return [{ kind: 'missing-required-option', message: '-m icmp needs --icmp-type, for example --icmp-type echo-request (use -p icmp alone to match every ICMP packet)' }];
  },
};

import { MatchModule } from '../types';
import { IcmpTypeName, icmpTypeGrammar } from '../grammars/icmp';

/** ICMPv6 type names ip6tables knows, in its own order (which decides ambiguity messages). */
export const ICMPV6_TYPE_NAMES: readonly IcmpTypeName[] = [
  { name: 'destination-unreachable', type: 1 },
  { name: 'no-route', type: 1, code: 0 },
  { name: 'communication-prohibited', type: 1, code: 1 },
  { name: 'beyond-scope', type: 1, code: 2 },
  { name: 'address-unreachable', type: 1, code: 3 },
  { name: 'port-unreachable', type: 1, code: 4 },
  { name: 'failed-policy', type: 1, code: 5 },
  { name: 'reject-route', type: 1, code: 6 },
  { name: 'packet-too-big', type: 2 },
  { name: 'time-exceeded', type: 3 },
  { name: 'ttl-exceeded', type: 3, alias: true },
  { name: 'ttl-zero-during-transit', type: 3, code: 0 },
  { name: 'ttl-zero-during-reassembly', type: 3, code: 1 },
  { name: 'parameter-problem', type: 4 },
  { name: 'bad-header', type: 4, code: 0 },
  { name: 'unknown-header-type', type: 4, code: 1 },
  { name: 'unknown-option', type: 4, code: 2 },
  { name: 'echo-request', type: 128 },
  { name: 'ping', type: 128, alias: true },
  { name: 'echo-reply', type: 129 },
  { name: 'pong', type: 129, alias: true },
  // The MLD names are newer than iptables 1.8.9, which refuses them; upstream accepts them.
  { name: 'mld-listener-query', type: 130 },
  { name: 'mld-listener-report', type: 131 },
  { name: 'mld-listener-done', type: 132 },
  { name: 'mld-listener-reduction', type: 132, alias: true },
  { name: 'router-solicitation', type: 133 },
  { name: 'router-advertisement', type: 134 },
  { name: 'neighbour-solicitation', type: 135 },
  { name: 'neighbor-solicitation', type: 135, alias: true },
  { name: 'neighbour-advertisement', type: 136 },
  { name: 'neighbor-advertisement', type: 136, alias: true },
  { name: 'redirect', type: 137 },
];

/** Value: IcmpTypeValue ({ type, code: { min, max } }). */
export const icmpv6Type = icmpTypeGrammar('ICMPv6', ICMPV6_TYPE_NAMES);

export const icmp6: MatchModule = {
  kind: 'match',
  name: 'icmp6',
  // ip6tables loads the same module for -m icmpv6 and -m ipv6-icmp.
  aliases: ['icmpv6', 'ipv6-icmp'],
  families: ['ipv6'],
  protocols: ['icmpv6'],
  summary: 'ICMPv6 type and code',
  doc: `Tests the type and code of an ICMPv6 message. IPv6 leans on ICMPv6 much more than IPv4 on ICMP: neighbour discovery replaces ARP, routers announce themselves with it, and \`packet-too-big\` is how senders learn the path MTU, since routers never fragment.

\`\`\`iptables
-A INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT
-A INPUT -p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT
-A INPUT -p ipv6-icmp --icmpv6-type packet-too-big -j ACCEPT
\`\`\`

- It needs \`-p ipv6-icmp\` (also written \`icmpv6\` or \`58\`). \`-p icmp\` in IPv6 is protocol 1 and never matches.
- Drop neighbour solicitations and advertisements (types 135 and 136) and the host loses its own link.
- iptables 1.8.9 refuses the \`mld-listener-*\` names: write the numbers 130 to 132.`,
  options: [
    {
      names: ['--icmpv6-type'],
      args: [icmpv6Type],
      negatable: true,
      doc: 'A type name (`echo-request`, `neighbour-solicitation` ...), a type number, or `type/code`. Any unambiguous start of a name works. iptables-save prints numbers: `128` for echo-request.',
    },
  ],
  check(ext) {
    if (ext.options.length) return [];
    return [{ kind: 'missing-required-option', message: '-m icmp6 needs --icmpv6-type, for example --icmpv6-type echo-request (use -p ipv6-icmp alone to match every ICMPv6 packet)' }];
  },
};

import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ValueGrammar } from '../types';
import { enumList, fail } from '../values';
import { hookProblem, INCOMING_HOOKS, intersectHooks, OUTGOING_HOOKS } from '../grammars/placement';
import { findOption as find } from '../parsed';

/** Route types in bit order, which is the order iptables-save prints them in. */
const ADDRESS_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'] as const;

/** Types the kernel refuses in an IPv6 rule (IPv6 routing has no such route types). */
const NOT_IPV6 = new Set(['BROADCAST', 'BLACKHOLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE']);

const typeList = enumList('address type', ADDRESS_TYPES, { caseInsensitive: true });

/** Comma-separated address types, any case. Value: string[] of upper-case names in bit order. */
const addressTypes: ValueGrammar = {
  name: typeList.name,
  choices: typeList.choices,
  parse(text, ctx) {
    const r = typeList.parse(text, ctx);
    if (!r.ok || ctx.family !== 'ipv6') return r;
    const bad = (r.value as string[]).filter((t) => NOT_IPV6.has(t));
    if (bad.length > 0) return fail(`${bad.join(', ')} cannot be matched in IPv6: the kernel refuses it (IPv6 supports UNSPEC, UNICAST, LOCAL, ANYCAST, MULTICAST and UNREACHABLE)`);
    return r;
  },
};

export const addrtype: MatchModule = {
  kind: 'match',
  name: 'addrtype',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'The routing type of the source or destination address (LOCAL, BROADCAST, ...)',
  doc: `Matches by the kind of address, as the routing tables classify it: LOCAL (one of this host's own addresses), BROADCAST, MULTICAST, UNICAST and so on. Use it to write rules about "traffic to this machine" without listing its addresses; Docker publishes ports this way.

\`\`\`iptables
*nat
-A PREROUTING -p tcp --dport 8080 -m addrtype --dst-type LOCAL -j DNAT --to-destination 172.17.0.2:80
\`\`\`

- LOCAL follows the host's addresses at the moment each packet passes: an address added later (DHCP, a VPN, a container bridge) is included at once, and all of 127.0.0.0/8 counts as local.
- Without \`--limit-iface-in\` or \`--limit-iface-out\` the type is looked up for the whole host: an address of eth1 is LOCAL also for packets that arrive on eth0.
- BROADCAST only knows 255.255.255.255 and the broadcast addresses of subnets configured here. IPv6 has no broadcast, and ip6tables refuses it.`,
  options: [
    { names: ['--src-type'], args: [addressTypes], negatable: true, doc: 'Matches when the source address has one of these types (comma-separated), e.g. `LOCAL` for packets sent from this host\'s own addresses.' },
    { names: ['--dst-type'], args: [addressTypes], negatable: true, doc: 'Matches when the destination address has one of these types, e.g. `LOCAL` for anything addressed to this host, or `BROADCAST`, `MULTICAST`.' },
    { names: ['--limit-iface-in'], args: [], doc: 'Looks the type up for the incoming interface only: an address counts as LOCAL only if it belongs to the interface the packet arrived on.' },
    { names: ['--limit-iface-out'], args: [], doc: 'Looks the type up for the outgoing interface only: an address counts as LOCAL only if it belongs to the interface the packet will leave through.' },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    if (!find(ext, '--src-type') && !find(ext, '--dst-type'))
      problems.push({ kind: 'missing-required-option', message: '-m addrtype needs --src-type or --dst-type (for example --dst-type LOCAL)' });
    const limitIn = find(ext, '--limit-iface-in');
    const limitOut = find(ext, '--limit-iface-out');
    if (limitIn && limitOut)
      problems.push({ kind: 'conflicting-options', message: '--limit-iface-in and --limit-iface-out exclude each other: keep the one for the interface you mean', option: limitOut.index > limitIn.index ? limitOut : limitIn });
    else if (limitIn) problems.push(...hookProblem(rule, ['PREROUTING', 'INPUT', 'FORWARD'], '--limit-iface-in', 'there is no input interface there', limitIn));
    else if (limitOut) problems.push(...hookProblem(rule, ['FORWARD', 'OUTPUT', 'POSTROUTING'], '--limit-iface-out', 'there is no output interface there yet', limitOut));
    return problems;
  },
  hooksFor: (ext) => intersectHooks(find(ext, '--limit-iface-in') && INCOMING_HOOKS, find(ext, '--limit-iface-out') && OUTGOING_HOOKS),
};

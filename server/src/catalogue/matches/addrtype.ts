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
  options: [
    { names: ['--src-type'], args: [addressTypes], negatable: true },
    { names: ['--dst-type'], args: [addressTypes], negatable: true },
    { names: ['--limit-iface-in'], args: [] },
    { names: ['--limit-iface-out'], args: [] },
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

import { ExtensionProblem, ParsedExtension, RuleContext, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { closest } from '../suggest';

/** Reject types in iptables' table order, each with its short alias. */
const REJECT_V4: ReadonlyArray<readonly [string, string]> = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

const REJECT_V6: ReadonlyArray<readonly [string, string]> = [
  ['icmp6-no-route', 'no-route'],
  ['icmp6-adm-prohibited', 'adm-prohibited'],
  ['icmp6-addr-unreachable', 'addr-unreach'],
  ['icmp6-port-unreachable', 'port-unreach'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp6-policy-fail', 'policy-fail'],
  ['icmp6-reject-route', 'reject-route'],
];

/**
 * A reject type as iptables reads it: any case-insensitive prefix of a name or alias, the
 * first entry in table order winning (`icmp-net` is icmp-net-unreachable, `t` tcp-reset).
 * Value: the full type name (string).
 */
function rejectType(table: ReadonlyArray<readonly [string, string]>, other: ReadonlyArray<readonly [string, string]>, v6: boolean): ValueGrammar {
  const names = table.map(([n]) => n);
  return {
    name: 'reject type',
    choices: names,
    parse(text) {
      const lower = text.toLowerCase();
      const hit = table.find(([name, alias]) => name.startsWith(lower) || alias.startsWith(lower));
      if (hit) return ok(hit[0], hit[0]);
      if (!v6 && (lower === 'echo-reply' || lower === 'icmp-echo-reply')) return fail('Rejecting with an echo reply is no longer supported: use icmp-port-unreachable or icmp-admin-prohibited');
      const fromOther = other.find(([name, alias]) => name === lower || alias === lower);
      if (fromOther)
        return fail(`'${text}' is an ${v6 ? 'IPv4 (iptables)' : 'IPv6 (ip6tables)'} reject type; here use one of ${names.join(', ')}`);
      const suggestion = closest(text, [...names, ...table.map(([, a]) => a)]);
      return fail(`Unknown reject type '${text}'${suggestion ? ` (did you mean '${suggestion}'?)` : `: use one of ${names.join(', ')}`}`, { suggestion });
    },
  };
}

/** The kernel refuses tcp-reset unless the rule matches exactly TCP. */
function checkReject(ext: ParsedExtension, rule: RuleContext): ExtensionProblem[] {
  const withOpt = ext.options.find((o) => o.spec.names[0] === '--reject-with');
  if (withOpt?.values[0] !== 'tcp-reset' || (rule.protocol === 'tcp' && !rule.protocolNegated)) return [];
  const why = rule.protocolNegated ? " ('! -p tcp' does not count)" : rule.protocol ? `, not -p ${rule.protocol}` : '';
  return [{ kind: 'protocol-required', message: `--reject-with tcp-reset only works in a rule that matches -p tcp${why}: add -p tcp, or reject with an ICMP type`, option: withOpt }];
}

const reject = (families: ['ipv4'] | ['ipv6'], table: typeof REJECT_V4, other: typeof REJECT_V4, fallback: string, doc: string, withDoc: string): TargetSpec => ({
  kind: 'target',
  name: 'REJECT',
  families,
  terminating: true,
  // ipt_REJECT / ip6t_REJECT register for the filter table only (mangle and security refuse it too).
  tables: ['filter'],
  hooks: ['INPUT', 'FORWARD', 'OUTPUT'],
  summary: 'Drop the packet and answer the sender with an ICMP error or a TCP reset',
  doc,
  options: [{ names: ['--reject-with'], args: [rejectType(table, other, families[0] === 'ipv6')], doc: withDoc }],
  check: checkReject,
  // iptables-save always names the type, the default included.
  print(ext) {
    const withOpt = ext.options.find((o) => o.spec.names[0] === '--reject-with');
    return ['--reject-with', withOpt ? withOpt.canonical[0] : fallback];
  },
});

export const REJECT_IPV4 = reject(
  ['ipv4'],
  REJECT_V4,
  REJECT_V6,
  'icmp-port-unreachable',
  `REJECT throws the packet away and tells the sender at once: by default with an ICMP "port unreachable" error, or with a TCP reset. The chain ends for the packet.

It works only in the filter table, in INPUT, FORWARD and OUTPUT (or user chains called from them).

\`\`\`iptables
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -p tcp -j REJECT --reject-with tcp-reset
-A INPUT -j REJECT --reject-with icmp-port-unreachable
\`\`\`

- Unlike DROP, the client fails at once instead of waiting for a timeout: kinder to your own users, and easier to troubleshoot.
- \`tcp-reset\` needs a rule that matches \`-p tcp\`.
- DROP INVALID packets before a catch-all REJECT: an answer to a late duplicate can break a connection that is fine.
- Every rejected packet makes the host send one back, which adds traffic during a flood.`,
  `The answer the sender gets. The default, \`icmp-port-unreachable\`, looks like a closed port; \`tcp-reset\` (TCP rules only) makes a TCP client report "connection refused"; the \`-prohibited\` types say a filter refused the packet; \`icmp-net-unreachable\` and \`icmp-host-unreachable\` imitate routing errors.`,
);
export const REJECT_IPV6 = reject(
  ['ipv6'],
  REJECT_V6,
  REJECT_V4,
  'icmp6-port-unreachable',
  `REJECT throws the packet away and tells the sender at once: by default with an ICMPv6 "port unreachable" error, or with a TCP reset. The chain ends for the packet.

It works only in the filter table, in INPUT, FORWARD and OUTPUT (or user chains called from them).

\`\`\`iptables
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -p tcp -j REJECT --reject-with tcp-reset
-A INPUT -j REJECT --reject-with icmp6-adm-prohibited
\`\`\`

- Unlike DROP, the client fails at once instead of waiting for a timeout: kinder to your own users, and easier to troubleshoot.
- \`tcp-reset\` needs a rule that matches \`-p tcp\`.
- DROP INVALID packets before a catch-all REJECT: an answer to a late duplicate can break a connection that is fine.
- Accept ICMPv6 neighbour discovery before a catch-all REJECT, or IPv6 stops working on the link.`,
  `The answer the sender gets. The default, \`icmp6-port-unreachable\`, looks like a closed port; \`tcp-reset\` (TCP rules only) makes a TCP client report "connection refused"; \`icmp6-adm-prohibited\` says a filter refused the packet; \`icmp6-no-route\` and \`icmp6-addr-unreachable\` imitate routing errors; \`icmp6-policy-fail\` and \`icmp6-reject-route\` report a failed address policy or a reject route.`,
);

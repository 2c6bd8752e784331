import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail } from '../values';
import { prefixNameList, STATE_STATES } from './conntrack';

const stateNames = prefixNameList('connection state', STATE_STATES, ['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED']);

/** Value: state names in print order (a subset of CT_STATES). */
const stateList: ValueGrammar = {
  ...stateNames,
  parse(text, ctx) {
    const r = stateNames.parse(text, ctx);
    if (r.ok) return r;
    // The virtual SNAT/DNAT states only exist in the conntrack match.
    const bad = r.at ? text.slice(r.at[0], r.at[1]).toUpperCase() : '';
    if (bad && ['SNAT', 'DNAT'].some((n) => n.startsWith(bad)))
      return fail(`-m state does not know the SNAT and DNAT states: use -m conntrack --ctstate ${text.toUpperCase()}`, { at: r.at });
    return r;
  },
};

export const state: MatchModule = {
  kind: 'match',
  name: 'state',
  families: BOTH_FAMILIES,
  summary: 'Connection tracking state (older, smaller form of -m conntrack --ctstate)',
  doc: `Tests the connection tracking state of the packet. It is the older, smaller form of \`-m conntrack --ctstate\`: it knows the same basic states but not SNAT and DNAT, and has no other connection tests. Old rulesets use it everywhere and it still works; new rules can use either.

\`\`\`iptables
-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
-A INPUT -m state --state INVALID -j DROP
-A INPUT -p tcp --dport 443 -m state --state NEW -j ACCEPT
\`\`\`

- Accept RELATED,ESTABLISHED early. Rules above it run for every packet of every connection, and a broad DROP there breaks the replies to your own outgoing traffic.
- NEW only means conntrack has not seen the connection yet. A stray TCP ACK can be NEW; add \`--syn\` when you mean a connection request.
- Without RELATED, ICMP errors such as "fragmentation needed" are dropped, and path MTU discovery breaks.`,
  options: [{ names: ['--state'], args: [stateList], negatable: true, doc: 'Comma-separated list of states; the packet matches if it is in any of them: NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED. Case does not matter and prefixes such as `EST` are expanded.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m state needs --state, e.g. --state RELATED,ESTABLISHED' }] : [];
  },
};

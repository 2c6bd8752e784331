import { BOTH_FAMILIES, ExtensionProblem, TargetSpec } from '../types';
import { ipv6PortLookalike, natPortProtocolProblems, natRange } from '../grammars/nat';

export const SNAT: TargetSpec = {
  kind: 'target',
  name: 'SNAT',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: nat POSTROUTING and INPUT only (and user chains reached only from them).
  tables: ['nat'],
  hooks: ['INPUT', 'POSTROUTING'],
  summary: 'Rewrite the source address and/or port of a new connection to a fixed address',
  doc: `SNAT rewrites the source address, and the port when needed, of a new connection to the address you give. Conntrack applies the same change to the rest of the connection and reverses it on the replies, so the way back needs no rule. The chain ends for the packet.

It works only in the nat table, in POSTROUTING (traffic leaving the host) and INPUT.

\`\`\`iptables
*nat
-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j SNAT --to-source 203.0.113.5
COMMIT
\`\`\`

- Use SNAT when the outside address is fixed. When it changes (DHCP, PPP), use MASQUERADE, which looks the address up for each connection.
- Restrict the rule with \`-o\` or \`-s\`: otherwise traffic between your own networks or over a VPN is translated too.
- A change applies to new connections only; open ones keep their mapping until they end.`,
  options: [
    { names: ['--to-source'], args: [natRange('dropped')], doc: `The new source: an address or an address range, optionally followed by \`:port\` or \`:port-port\` (the rule then needs \`-p tcp\`, \`udp\`, \`sctp\` or \`dccp\`). Without ports, the kernel changes a port only when it clashes with another connection.` },
    { names: ['--random'], args: [], doc: `Picks source ports from a randomized hash instead of trying the original port first, so outsiders cannot predict them.` },
    { names: ['--random-fully'], args: [], doc: `Picks every source port from a random number generator. It avoids port clashes when many hosts or containers share one address.` },
    { names: ['--persistent'], args: [], doc: `With an address range, gives each inside client the same outside address for all its connections; some servers dislike a client whose address keeps changing.` },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    if (!ext.options.some((o) => o.spec.names[0] === '--to-source'))
      problems.push({ kind: 'missing-required-option', message: 'SNAT needs --to-source ADDRESS[:PORT] (the new source; use MASQUERADE to take the outgoing interface address)' });
    problems.push(...natPortProtocolProblems(ext, rule, '--to-source'), ...ipv6PortLookalike(ext, rule, '--to-source'));
    return problems;
  },
};

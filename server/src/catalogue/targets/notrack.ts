import { BOTH_FAMILIES, TargetSpec } from '../types';

export const NOTRACK: TargetSpec = {
  kind: 'target',
  name: 'NOTRACK',
  families: BOTH_FAMILIES,
  terminating: false,
  // Checked with both backends: raw PREROUTING and OUTPUT only.
  tables: ['raw'],
  summary: 'Exempt the packet from connection tracking (same as CT --notrack)',
  doc: `NOTRACK tells conntrack to ignore the packet. It is neither accepted nor dropped: it goes on to the next rule. It does the same as \`CT --notrack\`.

It works only in the raw table, in PREROUTING and OUTPUT.

\`\`\`iptables
*raw
-A PREROUTING -p udp --dport 53 -j NOTRACK
-A OUTPUT -p udp --sport 53 -j NOTRACK
COMMIT
*filter
-A INPUT -p udp --dport 53 -j ACCEPT
-A OUTPUT -p udp --sport 53 -j ACCEPT
COMMIT
\`\`\`

- Untracked packets have the state UNTRACKED, never NEW or ESTABLISHED: an \`ESTABLISHED,RELATED\` rule does not let their replies through. Accept both directions explicitly, as above.
- NAT does not apply to untracked packets.
- It is worth it for very busy services (DNS, NTP): their packets no longer fill the conntrack table.`,
  options: [],
};

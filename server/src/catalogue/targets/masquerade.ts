import { BOTH_FAMILIES, TargetSpec } from '../types';
import { natPortProtocolProblems, natPorts } from '../grammars/nat';

export const MASQUERADE: TargetSpec = {
  kind: 'target',
  name: 'MASQUERADE',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: nat POSTROUTING only (and user chains reached only from it).
  tables: ['nat'],
  hooks: ['POSTROUTING'],
  summary: 'Rewrite the source to the address of the outgoing interface (SNAT for dynamic addresses)',
  doc: `MASQUERADE rewrites the source address of a new connection to the address of the interface the packet leaves by, looked up at that moment. Replies are translated back automatically. The chain ends for the packet.

It works only in the nat table, in POSTROUTING.

\`\`\`iptables
*nat
-A POSTROUTING -s 192.168.1.0/24 -o ppp0 -j MASQUERADE
COMMIT
\`\`\`

- Use it when the outside address changes (DHCP, PPP, mobile links). With a fixed address, SNAT is cheaper and its connections survive the link going down and up.
- When the interface goes down, the kernel forgets the connections masqueraded through it.
- Restrict it with \`-o\` (and \`-s\`): without it, traffic between your own networks, containers or VPNs gets translated too.
- Routing for others also needs \`net.ipv4.ip_forward=1\` and FORWARD rules that accept the traffic.`,
  options: [
    { names: ['--to-ports'], args: [natPorts('dropped')], doc: `Source port or \`port-port\` range to use for the translated connections; the rule needs \`-p tcp\`, \`udp\`, \`sctp\` or \`dccp\`. Without it the kernel keeps the original port when it can.` },
    { names: ['--random'], args: [], doc: `Picks source ports at random instead of keeping the original one. Since Linux 5.0 it behaves like \`--random-fully\`.` },
    { names: ['--random-fully'], args: [], doc: `Picks every source port from a random number generator. It avoids port clashes when many hosts or containers share one address.` },
  ],
  check: (ext, rule) => natPortProtocolProblems(ext, rule, '--to-ports'),
};

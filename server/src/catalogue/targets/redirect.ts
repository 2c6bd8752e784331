import { BOTH_FAMILIES, TargetSpec } from '../types';
import { natPortProtocolProblems, natPorts } from '../grammars/nat';

export const REDIRECT: TargetSpec = {
  kind: 'target',
  name: 'REDIRECT',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: nat PREROUTING and OUTPUT only (and user chains reached only from them).
  tables: ['nat'],
  hooks: ['PREROUTING', 'OUTPUT'],
  summary: 'Send the packet to this machine (a local port), e.g. for a transparent proxy',
  doc: `REDIRECT sends the packet to this host itself: the destination becomes the address of the interface it came in on (127.0.0.1 or ::1 for packets the host sends), and optionally another port. Replies are translated back. The chain ends for the packet.

It works only in the nat table, in PREROUTING and OUTPUT.

\`\`\`iptables
*nat
-A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128
COMMIT
\`\`\`

- The program must listen on that interface's address or on all addresses: a proxy bound to 127.0.0.1 only never sees packets redirected in PREROUTING.
- In OUTPUT, leave out the proxy's own traffic (e.g. \`-m owner ! --uid-owner proxy\`), or its requests loop back to it.
- The filter INPUT chain must accept the new port.
- A packet arriving on an interface without an address is dropped.`,
  options: [
    { names: ['--to-ports'], args: [natPorts('refused')], doc: `The local port, or \`port-port\` range, the packet goes to; the rule needs \`-p tcp\`, \`udp\`, \`sctp\` or \`dccp\`. Without it the port stays the same.` },
    { names: ['--random'], args: [], doc: `With a port range, picks the port at random for each connection.` },
  ],
  check: (ext, rule) => natPortProtocolProblems(ext, rule, '--to-ports'),
};

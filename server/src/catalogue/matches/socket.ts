import { BOTH_FAMILIES, MatchModule } from '../types';

export const socket: MatchModule = {
  kind: 'match',
  name: 'socket',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  // The socket lookup is done for incoming packets only (checked by the kernel at load).
  hooks: ['PREROUTING', 'INPUT'],
  summary: 'An open local socket matches the packet (transparent proxying)',
  doc: `Matches a packet for which a local socket exists: an established connection, or a listening socket it would be delivered to. Its main use is transparent proxying with TPROXY: packets of connections the proxy already handles get a mark that makes policy routing deliver them locally.

\`\`\`iptables
*mangle
-A PREROUTING -p tcp -m socket --transparent -j MARK --set-mark 0x1
-A PREROUTING -p tcp --dport 80 -j TPROXY --on-port 3129 --tproxy-mark 0x1/0x1
\`\`\`

- Incoming packets only: the kernel allows it in PREROUTING and INPUT.
- Sockets listening on the wildcard address (0.0.0.0 or ::) are ignored unless you add \`--nowildcard\`; otherwise a local service could grab traffic meant to be forwarded.
- The mark alone does nothing: you also need \`ip rule add fwmark 1 lookup 100\` and \`ip route add local 0.0.0.0/0 dev lo table 100\`.`,
  options: [
    { names: ['--transparent'], args: [], doc: 'Only counts sockets with the IP_TRANSPARENT option, i.e. those of a transparent proxy.' },
    { names: ['--nowildcard'], args: [], doc: 'Also counts sockets bound to the wildcard address (0.0.0.0 or ::), which are ignored by default. A local service can then capture traffic that would otherwise be forwarded.' },
    { names: ['--restore-skmark'], args: [], doc: 'Copies the socket\'s mark (SO_MARK) onto the packet when a socket is found, for later rules or policy routing.' },
  ],
};

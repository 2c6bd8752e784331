import { BOTH_FAMILIES, ExtensionProblem, TargetSpec } from '../types';
import { ipv6PortLookalike, natPortProtocolProblems, natRange } from '../grammars/nat';

export const DNAT: TargetSpec = {
  kind: 'target',
  name: 'DNAT',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: nat PREROUTING and OUTPUT only (and user chains reached
  // only from them); INPUT, POSTROUTING and every other table are refused.
  tables: ['nat'],
  hooks: ['PREROUTING', 'OUTPUT'],
  summary: 'Rewrite the destination address and/or port of a new connection (port forwarding)',
  doc: `DNAT rewrites the destination of a new connection: the address, the port, or both. Conntrack then applies the same change to every later packet of that connection and reverses it on the replies, with no further rule. The chain ends for the packet.

It works only in the nat table: PREROUTING for traffic arriving from outside, OUTPUT for traffic this host sends.

\`\`\`iptables
*nat
-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80
COMMIT
*filter
-A FORWARD -d 192.168.1.10 -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT
COMMIT
\`\`\`

- A port forward also needs a FORWARD rule that accepts the translated packets (new address and new port), and \`net.ipv4.ip_forward=1\`.
- The nat table sees only the first packet of a connection: a changed rule does not touch connections already open (clear them with \`conntrack -D\`).
- Inside hosts that use the public address need SNAT or MASQUERADE as well (hairpin NAT).`,
  options: [
    { names: ['--to-destination'], args: [natRange('kept')], doc: `The new destination: an address or an address range, optionally followed by \`:port\` or \`:port-port\` (the rule then needs \`-p tcp\`, \`udp\`, \`sctp\` or \`dccp\`). Leave out the port to keep it, or the address to change only the port; IPv6 takes brackets before a port, as in \`[2001:db8::5]:80\`.` },
    { names: ['--random'], args: [], doc: `With a port range, picks the new port at random for each connection.` },
    { names: ['--persistent'], args: [], doc: `With an address range, sends each client to the same new address for all its connections, instead of choosing again for each one.` },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    if (!ext.options.some((o) => o.spec.names[0] === '--to-destination'))
      problems.push({ kind: 'missing-required-option', message: 'DNAT needs --to-destination ADDRESS[:PORT] (the new destination)' });
    problems.push(...natPortProtocolProblems(ext, rule, '--to-destination'), ...ipv6PortLookalike(ext, rule, '--to-destination'));
    return problems;
  },
};

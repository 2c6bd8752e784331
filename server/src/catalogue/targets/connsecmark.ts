import { BOTH_FAMILIES, TargetSpec } from '../types';
import { exclusive, flag, requireOne } from '../grammars/mangle-targets';

export const CONNSECMARK: TargetSpec = {
  kind: 'target',
  name: 'CONNSECMARK',
  families: BOTH_FAMILIES,
  terminating: false,
  // The kernel refuses it outside the security and mangle tables (any chain there).
  tables: ['mangle', 'security'],
  summary: 'Copy the security mark (SELinux) between the packet and its connection',
  doc: `CONNSECMARK copies the SELinux security label between a packet and its connection: \`--save\` stores the packet's label in the connection, \`--restore\` gives later packets the connection's label. It never overwrites a label that is already set. The packet goes on to the next rule.

It works in the security table (also in mangle, for old setups), together with SECMARK:

\`\`\`iptables
*security
-A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW -j SECMARK --selctx system_u:object_r:http_packet_t:s0
-A INPUT -m conntrack --ctstate NEW -j CONNSECMARK --save
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j CONNSECMARK --restore
COMMIT
\`\`\`

- Label the first packet, save the label, restore it for the others: every packet of the connection then carries it, and SECMARK runs once per connection.
- It needs a kernel with SELinux enabled; labels mean nothing without a policy that checks them.`,
  options: [
    flag('--save', { doc: `Copies the packet's security label to its connection, when the connection has none yet.` }),
    flag('--restore', { doc: `Copies the connection's security label to the packet, when the packet has none yet.` }),
  ],
  check(ext) {
    return [
      ...requireOne(ext, ['--save', '--restore'], '-j CONNSECMARK needs --save (packet mark to connection) or --restore (connection mark to packet)'),
      ...exclusive(ext, ['--save', '--restore'], 'one copies the mark to the connection, the other back to the packet'),
    ];
  },
};

import { BOTH_FAMILIES, TargetSpec } from '../types';
import { flag, requireOne } from '../grammars/mangle-targets';

export const CHECKSUM: TargetSpec = {
  kind: 'target',
  name: 'CHECKSUM',
  families: BOTH_FAMILIES,
  terminating: false,
  // The kernel registers CHECKSUM for the mangle table only (any of its chains).
  tables: ['mangle'],
  summary: 'Fill in a missing checksum (works around clients that mishandle checksum offload)',
  doc: `CHECKSUM computes the checksum of a packet whose checksum was left for the network card to finish, and writes it into the packet. Packets that already carry a complete checksum are not touched. The packet goes on to the next rule.

It works only in the mangle table, usually in POSTROUTING towards virtual machines or containers.

\`\`\`iptables
*mangle
-A POSTROUTING -o virbr0 -p udp --dport 68 -j CHECKSUM --checksum-fill
COMMIT
\`\`\`

- It exists for old software, mostly DHCP clients in guests, that rejects the unfinished checksums a virtual interface hands over. Current guests do not need it.
- Computing checksums in software costs CPU for every packet the rule catches: match as narrowly as above.
- It does not repair packets that arrive with a wrong checksum.`,
  options: [
    flag('--checksum-fill', { doc: `Computes the missing checksum now, in software. It is the target's only action and must be given.` }),
  ],
  check(ext) {
    return requireOne(ext, ['--checksum-fill'], '-j CHECKSUM needs --checksum-fill, its only action');
  },
};

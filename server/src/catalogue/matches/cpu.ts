import { BOTH_FAMILIES, MatchModule } from '../types';
import { uint } from '../values';

export const cpu: MatchModule = {
  kind: 'match',
  name: 'cpu',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'The CPU that processes the packet',
  doc: `Matches by the number of the CPU that is processing the packet. Multi-queue network cards and RPS keep each flow on one CPU, so this lets you spread work over several instances of a service.

\`\`\`iptables
*nat
-A PREROUTING -i eth0 -p udp --dport 53 -m cpu --cpu 0 -j REDIRECT --to-ports 5300
-A PREROUTING -i eth0 -p udp --dport 53 -j REDIRECT --to-ports 5301
\`\`\`

- CPUs are numbered from 0. A packet on a CPU that no rule lists falls through to the next rule, so end with a rule for the rest.
- Which CPU gets a packet depends on NIC queues, interrupt affinity and RPS settings, which can change with a driver update or a reboot.
- In the nat table only the first packet of a connection is seen, which keeps each connection on one backend.`,
  // Value: number (CPU index).
  options: [{ names: ['--cpu'], args: [uint('CPU number', 0, 0xffffffff)], negatable: true, doc: 'CPU number, counted from 0 as in /proc/cpuinfo.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m cpu needs --cpu NUMBER' }] : [];
  },
};

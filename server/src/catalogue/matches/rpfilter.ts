import { BOTH_FAMILIES, MatchModule } from '../types';

export const rpfilter: MatchModule = {
  kind: 'match',
  name: 'rpfilter',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  // Reverse-path lookup happens before routing: the kernel allows raw/mangle PREROUTING only.
  tables: ['raw', 'mangle'],
  hooks: ['PREROUTING'],
  summary: 'Reverse path filter: a reply to the packet would leave through the interface it came in on',
  doc: `Checks the source address the way reverse-path filtering does: the packet matches when a reply to it would leave through the interface it came in on. Use it to drop spoofed packets that claim to come from a network behind another interface.

\`\`\`iptables
*raw
-A PREROUTING -m rpfilter --invert -j DROP
\`\`\`

- Allowed only in PREROUTING of the raw and mangle tables.
- With asymmetric routing (two uplinks, policy routing), legitimate packets fail the strict check. Use \`--loose\`, or \`--validmark\` when marks decide the route.
- Packets arriving on loopback always pass, and IPsec traffic gets no special treatment: combine with \`-m policy\` if you need that.`,
  options: [
    { names: ['--loose'], args: [], doc: 'Passes as long as some route leads back to the source, through any interface (loose mode, like rp_filter=2).' },
    { names: ['--validmark'], args: [], doc: 'Includes the packet\'s firewall mark in the route lookup, so fwmark-based policy routing is taken into account.' },
    { names: ['--accept-local'], args: [], doc: 'Also passes packets whose source is one of this host\'s own addresses; by default they fail.' },
    { names: ['--invert'], args: [], doc: 'Matches packets that fail the check instead of those that pass. Use it with DROP; `!` is not available here.' },
  ],
};

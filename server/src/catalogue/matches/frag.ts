import { MatchModule } from '../types';
import { uint, uintRange } from '../values';
import { exclusive, printSkippingFullRanges } from '../grammars/header';

export const frag: MatchModule = {
  kind: 'match',
  name: 'frag',
  families: ['ipv6'],
  summary: 'Fields of the IPv6 Fragment header: identification, first/more/last fragment',
  doc: `Tests the Fragment header of an IPv6 packet: the identification, whether this is the first fragment, whether more follow. In IPv6 only the sender fragments, and a packet without a Fragment header never matches.

\`\`\`iptables
-A FORWARD -m frag -j DROP
\`\`\`

- Once IPv6 connection tracking is loaded, the kernel reassembles fragments before any table sees them, and this module matches nothing. It is for stateless rulesets.
- \`--fraglen\` is accepted, but the kernel ignores it: the header always has 8 bytes.
- \`--fragmore\` and \`--fraglast\` exclude each other.
- ip6tables refuses \`-f\`: this module replaces it.`,
  options: [
    // Value: { min, max } identification range.
    { names: ['--fragid'], args: [uintRange('fragment id', 0, 0xffffffff)], negatable: true, doc: 'The identification that the sender gave the fragmented packet, or a range `first:last` (32-bit numbers).' },
    // Value: header length (iptables takes any 32-bit number).
    { names: ['--fraglen'], args: [uint('fragment header length', 0, 0xffffffff)], negatable: true, doc: 'Meant for the header length. The Fragment header always has 8 bytes, and the kernel ignores this test.' },
    { names: ['--fragres'], args: [], doc: 'Matches only when the reserved fields of the header are zero.' },
    { names: ['--fragfirst'], args: [], doc: 'Matches the first fragment (offset 0), the one that holds the upper-layer header and its ports.' },
    { names: ['--fragmore'], args: [], doc: 'Matches fragments with the more-fragments bit set: every fragment but the last.' },
    { names: ['--fraglast'], args: [], doc: 'Matches the last fragment, the one without the more-fragments bit.' },
  ],
  check: (ext) => exclusive(ext, ['--fragmore', '--fraglast'], ': the last fragment is the one without the more-fragments bit'),
  print: (ext) => printSkippingFullRanges(frag, ext, { '--fragid': 0xffffffff }),
};

import { MatchModule } from '../types';
import { uint, uintRange } from '../values';
import { exclusive, printSkippingFullRanges } from '../grammars/header';

export const frag: MatchModule = {
  kind: 'match',
  name: 'frag',
  families: ['ipv6'],
  summary: 'Fields of the IPv6 Fragment header: identification, first/more/last fragment',
  options: [
    // Value: { min, max } identification range.
    { names: ['--fragid'], args: [uintRange('fragment id', 0, 0xffffffff)], negatable: true },
    // Value: header length (iptables takes any 32-bit number).
    { names: ['--fraglen'], args: [uint('fragment header length', 0, 0xffffffff)], negatable: true },
    { names: ['--fragres'], args: [] },
    { names: ['--fragfirst'], args: [] },
    { names: ['--fragmore'], args: [] },
    { names: ['--fraglast'], args: [] },
  ],
  check: (ext) => exclusive(ext, ['--fragmore', '--fraglast'], ': the last fragment is the one without the more-fragments bit'),
  print: (ext) => printSkippingFullRanges(frag, ext, { '--fragid': 0xffffffff }),
};

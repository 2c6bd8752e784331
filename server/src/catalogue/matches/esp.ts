import { BOTH_FAMILIES, MatchModule } from '../types';
import { uintRange } from '../values';
import { printSkippingFullRanges } from '../grammars/header';

/** An IPsec SPI range (32 bits). Value: { min, max }. */
export const spiRange = uintRange('SPI', 0, 0xffffffff);

export const esp: MatchModule = {
  kind: 'match',
  name: 'esp',
  families: BOTH_FAMILIES,
  protocols: ['esp'],
  summary: 'The SPI of IPsec ESP packets',
  options: [{ names: ['--espspi'], args: [spiRange], negatable: true }],
  print: (ext) => printSkippingFullRanges(esp, ext, { '--espspi': 0xffffffff }),
};

import { MatchModule } from '../types';
import { uint } from '../values';
import { printSkippingFullRanges } from '../grammars/header';
import { spiRange } from './esp';

/** IPv4: AH is the rule's protocol (-p ah), only the SPI can be matched. */
export const AH_IPV4: MatchModule = {
  kind: 'match',
  name: 'ah',
  families: ['ipv4'],
  protocols: ['ah'],
  summary: 'The SPI of IPsec AH packets',
  // Value: { min, max } SPI range.
  options: [{ names: ['--ahspi'], args: [spiRange], negatable: true }],
  print: (ext) => printSkippingFullRanges(AH_IPV4, ext, { '--ahspi': 0xffffffff }),
};

/** IPv6: AH is an extension header, found wherever it sits in the header chain; no -p needed. */
export const AH_IPV6: MatchModule = {
  kind: 'match',
  name: 'ah',
  families: ['ipv6'],
  summary: 'The SPI, length and reserved field of an IPsec AH extension header',
  options: [
    // Value: { min, max } SPI range.
    { names: ['--ahspi'], args: [spiRange], negatable: true },
    // Value: header length in octets (iptables takes any 32-bit number).
    { names: ['--ahlen'], args: [uint('header length', 0, 0xffffffff)], negatable: true },
    { names: ['--ahres'], args: [] },
  ],
  print: (ext) => printSkippingFullRanges(AH_IPV6, ext, { '--ahspi': 0xffffffff }),
};

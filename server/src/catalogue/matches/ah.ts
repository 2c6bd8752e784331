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
  doc: `Tests the SPI of an IPsec AH packet. AH signs packets without encrypting them and is rare today; ESP is far more common. Most rulesets simply accept \`-p ah\` and leave the SPI alone.

\`\`\`iptables
-A INPUT -p ah -m ah --ahspi 500 -j ACCEPT
\`\`\`

- In iptables it needs \`-p ah\`.
- AH signs the IP addresses too, so it never survives NAT.
- IKE picks new SPIs at every rekey: a rule on a fixed SPI goes stale.`,
  // Value: { min, max } SPI range.
  options: [{ names: ['--ahspi'], args: [spiRange], negatable: true, doc: 'The SPI, or a range `first:last` of SPIs: 32-bit numbers, in decimal or in hex with `0x`.' }],
  print: (ext) => printSkippingFullRanges(AH_IPV4, ext, { '--ahspi': 0xffffffff }),
};

/** IPv6: AH is an extension header, found wherever it sits in the header chain; no -p needed. */
export const AH_IPV6: MatchModule = {
  kind: 'match',
  name: 'ah',
  families: ['ipv6'],
  summary: 'The SPI, length and reserved field of an IPsec AH extension header',
  doc: `Tests the IPv6 Authentication Header: its SPI, its length and its reserved field. In IPv6, AH is an extension header among the others, and the module finds it wherever it sits in the chain of headers.

\`\`\`iptables
-A INPUT -m ah --ahspi 500 -j ACCEPT
\`\`\`

- Do not add \`-p ah\` in ip6tables. There \`-p\` names the upper-layer protocol found after the extension headers, so it never sees AH, and ip6tables warns that the rule never matches.
- AH signs the addresses too, so it never survives NAT.
- IKE picks new SPIs at every rekey: a rule on a fixed SPI goes stale.`,
  options: [
    // Value: { min, max } SPI range.
    { names: ['--ahspi'], args: [spiRange], negatable: true, doc: 'The SPI, or a range `first:last` of SPIs: 32-bit numbers, in decimal or in hex with `0x`.' },
    // Value: header length in octets (iptables takes any 32-bit number).
    { names: ['--ahlen'], args: [uint('header length', 0, 0xffffffff)], negatable: true, doc: 'The total length of the AH header in bytes, including the integrity check value (24 with HMAC-SHA1-96).' },
    { names: ['--ahres'], args: [], doc: 'Matches only when the reserved field of the header is zero, as the standard requires.' },
  ],
  print: (ext) => printSkippingFullRanges(AH_IPV6, ext, { '--ahspi': 0xffffffff }),
};

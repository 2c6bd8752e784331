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
  doc: `Tests the SPI of an IPsec ESP packet, the number that tells the receiver which security association decrypts it. Most firewalls only need \`-p esp\` to let a tunnel through; the SPI is for telling tunnels apart.

\`\`\`iptables
-A INPUT -p udp -m multiport --dports 500,4500 -j ACCEPT
-A INPUT -p esp -m esp --espspi 0x1000:0x1fff -j ACCEPT
\`\`\`

- It needs \`-p esp\`, in ip6tables too.
- IKE picks new SPIs at every rekey, so a rule on a fixed SPI stops matching after a while.
- Behind NAT, ESP travels inside UDP port 4500 and \`-p esp\` never sees it. Allow UDP 500 and 4500 for IKE as well.`,
  options: [{ names: ['--espspi'], args: [spiRange], negatable: true, doc: 'The SPI, or a range `first:last` of SPIs: 32-bit numbers, in decimal or in hex with `0x`.' }],
  print: (ext) => printSkippingFullRanges(esp, ext, { '--espspi': 0xffffffff }),
};

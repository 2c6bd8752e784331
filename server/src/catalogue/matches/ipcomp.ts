import { BOTH_FAMILIES, MatchModule } from '../types';
import { findOption, printSkippingFullRanges } from '../grammars/header';
import { spiRange } from './esp';

export const ipcomp: MatchModule = {
  kind: 'match',
  name: 'ipcomp',
  families: BOTH_FAMILIES,
  protocols: ['ipcomp'],
  summary: 'The CPI of IPComp (IP payload compression) packets',
  doc: `Tests the CPI of an IPComp packet. IPComp compresses the payload of IPsec traffic; some VPNs negotiate it next to ESP, and it travels as its own protocol, number 108.

\`\`\`iptables
-A INPUT -p ipcomp -m ipcomp --ipcompspi 1000:1999 -j ACCEPT
\`\`\`

- It needs \`-p ipcomp\`.
- The CPI field has 16 bits: values above 65535 never match.
- Leave out \`--ipcompspi\` and iptables 1.8.9 stores \`--ipcompspi 0\`, so \`-m ipcomp\` alone matches CPI 0 only. Write \`-p ipcomp\` without the module to accept all IPComp.
- \`--compres\` is accepted, but the kernel does not test it.`,
  options: [
    // Value: { min, max } CPI range.
    { names: ['--ipcompspi'], args: [spiRange], negatable: true, doc: 'The CPI (compression parameter index), or a range `first:last`. The header field has 16 bits, so only 0 to 65535 can match.' },
    { names: ['--compres'], args: [], doc: 'Meant to require a zero reserved field. iptables stores it, but the kernel does not test it.' },
  ],
  print(ext) {
    // iptables 1.8.9 stores 0:0 when --ipcompspi is left out, and prints it back.
    const out = printSkippingFullRanges(ipcomp, ext, { '--ipcompspi': 0xffffffff });
    return findOption(ext, '--ipcompspi') ? out : ['--ipcompspi', '0', ...out];
  },
};

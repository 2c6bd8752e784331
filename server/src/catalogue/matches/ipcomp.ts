import { BOTH_FAMILIES, MatchModule } from '../types';
import { findOption, printSkippingFullRanges } from '../grammars/header';
import { spiRange } from './esp';

export const ipcomp: MatchModule = {
  kind: 'match',
  name: 'ipcomp',
  families: BOTH_FAMILIES,
  protocols: ['ipcomp'],
  summary: 'The CPI of IPComp (IP payload compression) packets',
  options: [
    // Value: { min, max } CPI range.
    { names: ['--ipcompspi'], args: [spiRange], negatable: true },
    { names: ['--compres'], args: [] },
  ],
  print(ext) {
    // iptables 1.8.9 stores 0:0 when --ipcompspi is left out, and prints it back.
    const out = printSkippingFullRanges(ipcomp, ext, { '--ipcompspi': 0xffffffff });
    return findOption(ext, '--ipcompspi') ? out : ['--ipcompspi', '0', ...out];
  },
};

import { BOTH_FAMILIES, MatchModule } from '../types';
import { uintRange } from '../values';
import { requireOneOf } from '../grammars/header';

export const tcpmss: MatchModule = {
  kind: 'match',
  name: 'tcpmss',
  families: BOTH_FAMILIES,
  protocols: ['tcp'],
  summary: 'The MSS option of TCP SYN and SYN/ACK packets',
  options: [
    // Value: { min, max } MSS range; iptables prints `:` as 0:65535.
    { names: ['--mss'], args: [uintRange('MSS value', 0, 65535)], negatable: true },
  ],
  check: (ext) => requireOneOf(ext, 'tcpmss', ['--mss'], '--mss 1400:65535'),
};

import { BOTH_FAMILIES, MatchModule } from '../types';
import { uintRange } from '../values';
import { requireOneOf } from '../grammars/header';

export const length: MatchModule = {
  kind: 'match',
  name: 'length',
  families: BOTH_FAMILIES,
  summary: 'Length of the layer-3 payload (IPv4 total length, IPv6 payload length)',
  options: [
    // Value: { min, max } length range in bytes; `:` prints as 0:65535.
    { names: ['--length'], args: [uintRange('length', 0, 65535)], negatable: true },
  ],
  check: (ext) => requireOneOf(ext, 'length', ['--length'], '--length 0:1000'),
};

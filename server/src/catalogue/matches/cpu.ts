import { BOTH_FAMILIES, MatchModule } from '../types';
import { uint } from '../values';

export const cpu: MatchModule = {
  kind: 'match',
  name: 'cpu',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'The CPU that processes the packet',
  // Value: number (CPU index).
  options: [{ names: ['--cpu'], args: [uint('CPU number', 0, 0xffffffff)], negatable: true }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m cpu needs --cpu NUMBER' }] : [];
  },
};

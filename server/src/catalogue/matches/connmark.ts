import { BOTH_FAMILIES, MatchModule } from '../types';
import { markMatchValue } from './mark';

export const connmark: MatchModule = {
  kind: 'match',
  name: 'connmark',
  families: BOTH_FAMILIES,
  summary: "The connection's mark (set by -j CONNMARK)",
  options: [{ names: ['--mark'], args: [markMatchValue], negatable: true }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m connmark needs --mark value[/mask]' }] : [];
  },
};

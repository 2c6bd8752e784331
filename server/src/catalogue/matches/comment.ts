import { BOTH_FAMILIES, MatchModule } from '../types';
import { text } from '../values';

export const comment: MatchModule = {
  kind: 'match',
  name: 'comment',
  families: BOTH_FAMILIES,
  semantics: 'modelled',
  summary: 'A note attached to the rule; matches every packet',
  options: [{ names: ['--comment'], args: [text('comment', 255)] }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m comment needs --comment "text"' }] : [];
  },
};

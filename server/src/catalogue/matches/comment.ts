import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { ok, saveString } from '../values';

/** The kernel keeps 256 bytes including the final NUL. */
const MAX_COMMENT = 255;

/**
 * Any text, the empty one included. iptables silently cuts a longer comment to 255 bytes,
 * so that is accepted with a warning. Value: the comment as kept.
 */
const commentText: ValueGrammar = {
  name: 'comment',
  parse(text) {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length <= MAX_COMMENT) return ok(text, saveString(text));
    const kept = bytes.subarray(0, MAX_COMMENT).toString('utf8').replace(/\uFFFD$/, '');
    return ok(kept, saveString(kept), { message: `The comment is ${bytes.length} bytes long: iptables keeps only the first ${MAX_COMMENT}` });
  },
};

export const comment: MatchModule = {
  kind: 'match',
  name: 'comment',
  families: BOTH_FAMILIES,
  semantics: 'modelled',
  summary: 'A note attached to the rule; matches every packet',
  options: [{ names: ['--comment'], args: [commentText] }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m comment needs --comment "text"' }] : [];
  },
};

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
  doc: `Attaches a note to a rule. It matches every packet, so it never changes what the rule does: the text only shows up in \`iptables -L\`, \`iptables -S\` and iptables-save. Use it to say why a rule exists, who asked for it, or which ticket it belongs to.

\`\`\`iptables
-A INPUT -i eth1 -p tcp --dport 5432 -m comment --comment "postgres from the app network" -j ACCEPT
\`\`\`

- The text holds at most 255 bytes; iptables silently cuts a longer one.
- Quote text that contains spaces, in a shell script as in a restore file.
- A rule may carry several comments. Chains and policies cannot carry any: put the note on the chain's first rule.`,
  options: [{ names: ['--comment'], args: [commentText], doc: 'The note itself: any text up to 255 bytes, in quotes when it contains spaces.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m comment needs --comment "text"' }] : [];
  },
};

import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail, ok } from '../values';

/** NFACCT_NAME_MAX is 32 bytes including the terminating NUL. */
const MAX_NAME = 31;

/** An nfacct object name; it must exist (nfacct add NAME) when the rule is loaded. Value: the name as stored. */
const accountingName: ValueGrammar = {
  name: 'accounting object name',
  parse(text) {
    if (text.length === 0) return fail('Empty accounting object name');
    if (Buffer.byteLength(text, 'utf8') > MAX_NAME) {
      const cut = text.slice(0, MAX_NAME);
      return ok(cut, cut, { message: `The name is longer than ${MAX_NAME} characters: iptables cuts it to '${cut}'`, kind: 'suspicious-value' });
    }
    return ok(text, text);
  },
};

export const nfacct: MatchModule = {
  kind: 'match',
  name: 'nfacct',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Counts matching packets in an nfacct accounting object (always matches)',
  doc: `Adds every packet that reaches the rule to a named accounting object, which you read with the \`nfacct\` tool. The match always succeeds, so it only counts: use it on a rule without a target, or add it to an existing rule.

\`\`\`iptables
-A FORWARD -s 192.168.1.0/24 -o eth0 -m nfacct --nfacct-name lan-upload
\`\`\`

Read the totals with \`nfacct get lan-upload\`.

- Create the object first (\`nfacct add lan-upload\`); a rule naming a missing object fails to load.
- Several rules may feed one object, and their counts add up.
- The counters live in the object, not in the rule, so they survive reloading the rules but not a reboot.`,
  options: [{ names: ['--nfacct-name'], args: [accountingName], doc: 'Name of an existing accounting object (up to 31 characters), created beforehand with `nfacct add NAME`.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m nfacct needs --nfacct-name NAME (an object created with nfacct add NAME)' }] : [];
  },
};

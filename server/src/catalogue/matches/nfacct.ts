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
  options: [{ names: ['--nfacct-name'], args: [accountingName] }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m nfacct needs --nfacct-name NAME (an object created with nfacct add NAME)' }] : [];
  },
};

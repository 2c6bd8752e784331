import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { ok, saveString } from '../values';

/** The match stores 30 bytes including the terminating NUL. */
const MAX_NAME = 29;

/**
 * A conntrack helper name, optionally with a port (`ftp`, `ftp-2121`). iptables cuts
 * longer names silently. Value: the name as stored.
 */
const helperName: ValueGrammar = {
  name: 'helper name',
  parse(text) {
    if (Buffer.byteLength(text, 'utf8') > MAX_NAME) {
      const cut = text.slice(0, MAX_NAME);
      return ok(cut, saveString(cut), { message: `The helper name is longer than ${MAX_NAME} characters: iptables cuts it to '${cut}', which no helper is called`, kind: 'suspicious-value' });
    }
    if (text.length === 0) return ok(text, '""', { message: 'An empty helper name never matches', kind: 'suspicious-value' });
    return ok(text, saveString(text));
  },
};
export const helper: MatchModule = {
  kind: 'match',
  name: 'helper',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Packets of connections set up by a conntrack helper (ftp, sip, ...)',
  options: [{ names: ['--helper'], args: [helperName], negatable: true }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m helper needs --helper NAME (for example ftp)' }] : [];
  },
};

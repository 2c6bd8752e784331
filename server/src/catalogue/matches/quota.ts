import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseUInt64 } from '../numbers';

/** A 64-bit byte count in C syntax. Value: bigint. */
const byteCount: ValueGrammar = {
  name: 'bytes',
  parse(text) {
    const n = parseUInt64(text);
    return n === undefined ? fail(`'${text}' is not a valid byte count: expected a whole number from 0 to 18446744073709551615`) : ok(n, String(n));
  },
};

export const quota: MatchModule = {
  kind: 'match',
  name: 'quota',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Match until a byte budget is used up (counted across all packets of the rule)',
  options: [{ names: ['--quota'], args: [byteCount], negatable: true }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m quota needs --quota BYTES' }] : [];
  },
};

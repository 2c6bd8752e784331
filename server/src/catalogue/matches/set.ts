import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ParsedExtension, ValueGrammar } from '../types';
import { parseUInt64 } from '../numbers';
import { fail, ok } from '../values';
import { findOption as find } from '../parsed';

/** IPSET_MAXNAMELEN is 32 bytes including the terminating NUL. */
const MAX_SET_NAME = 31;
/** IPSET_DIM_MAX: a set has at most six dimensions. */
const MAX_FLAGS = 6;

/** An ipset name. Whether the set exists is only known on the loading machine. Value: the name. */
const setName: ValueGrammar = {
  name: 'set name',
  parse(text) {
    if (text.length === 0) return fail('Empty set name');
    if (text.length > MAX_SET_NAME) return fail(`Set name '${text}' is too long: ipset names have at most ${MAX_SET_NAME} characters`);
    return ok(text, text);
  },
};

/** `src|dst[,src|dst]...`, lower case, one per set dimension. Value: ('src' | 'dst')[] in order. */
const setFlags: ValueGrammar = {
  name: 'src|dst[,...]',
  choices: ['src', 'dst', 'src,dst', 'dst,src'],
  parse(text) {
    const parts = text.split(',');
    let offset = 0;
    for (const p of parts) {
      if (p !== 'src' && p !== 'dst') return fail(`'${p}' is not a set direction: use src or dst (lower case), one per set dimension, separated by commas`, { at: [offset, offset + p.length] });
      offset += p.length + 1;
    }
    if (parts.length > MAX_FLAGS) return fail(`Too many directions: a set has at most ${MAX_FLAGS} dimensions, this list has ${parts.length}`);
    return ok(parts, text);
  },
};

/** A 64-bit counter value in C syntax. Value: bigint. */
const counter: ValueGrammar = {
  name: 'counter value',
  parse(text) {
    const v = parseUInt64(text);
    return v === undefined ? fail(`'${text}' is not a valid counter value: expected a whole number from 0 to 18446744073709551615`) : ok(v, v.toString());
  },
};

function oneOf(ext: ParsedExtension, names: string[], what: string): ExtensionProblem[] {
  const given = ext.options.filter((o) => names.includes(o.spec.names[0]));
  return given.length > 1 ? [{ kind: 'conflicting-options', message: `Only one ${what} comparison is allowed: keep one of ${given.map((o) => o.written).join(', ')}`, option: given[1] }] : [];
}

const PACKET_OPTIONS = ['--packets-eq', '--packets-lt', '--packets-gt'];
const BYTE_OPTIONS = ['--bytes-eq', '--bytes-lt', '--bytes-gt'];

export const set: MatchModule = {
  kind: 'match',
  name: 'set',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Membership of the source/destination address or port in an ipset',
  options: [
    // --set is the old name, still accepted (iptables prints a deprecation note).
    { names: ['--match-set', '--set'], args: [setName, setFlags], negatable: true },
    // iptables ignores repeats of these flags.
    { names: ['--return-nomatch'], args: [], repeatable: true },
    // Only `! --update-counters` has an effect; the plain form is the default.
    { names: ['--update-counters'], args: [], negatable: true, repeatable: true },
    { names: ['--update-subcounters'], args: [], negatable: true, repeatable: true },
    { names: ['--packets-eq'], args: [counter], negatable: true },
    { names: ['--packets-lt'], args: [counter] },
    { names: ['--packets-gt'], args: [counter] },
    { names: ['--bytes-eq'], args: [counter], negatable: true },
    { names: ['--bytes-lt'], args: [counter] },
    { names: ['--bytes-gt'], args: [counter] },
  ],
  check(ext) {
    if (!find(ext, '--match-set')) return [{ kind: 'missing-required-option', message: '-m set needs --match-set SETNAME src|dst[,...]' }];
    return [...oneOf(ext, PACKET_OPTIONS, 'packet counter'), ...oneOf(ext, BYTE_OPTIONS, 'byte counter')];
  },
  print(ext) {
    const out: string[] = [];
    for (const spec of set.options) {
      const o = find(ext, spec.names[0]);
      if (!o) continue;
      const name = spec.names[0];
      // The counter-update flags are only stored (and printed) when negated.
      if ((name === '--update-counters' || name === '--update-subcounters') && !ext.options.some((x) => x.spec === spec && x.negated)) continue;
      const negated = name.startsWith('--update') ? true : o.negated;
      out.push(...(negated ? ['!'] : []), name, ...o.canonical);
    }
    return out;
  },
};

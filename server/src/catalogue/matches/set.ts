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
  doc: `Matches when the packet's address (or address and port, or another combination) is in an ipset: a named table kept in the kernel and managed with the \`ipset\` command. One rule checks thousands of entries at hash-table speed, and you change the set without reloading the rules.

\`\`\`iptables
-A INPUT -m set --match-set blocklist src -j DROP
-A FORWARD -m set --match-set web_backends dst,dst -j ACCEPT
\`\`\`

- The set must exist when the rules are loaded, or iptables-restore fails with "Set ... doesn't exist". At boot, run \`ipset restore\` before the iptables rules.
- Give one direction per dimension of the set: \`hash:ip,port\` needs two, such as \`dst,dst\` (destination address, destination port). With fewer, the test never matches.
- A set in use cannot be destroyed. To replace its contents, fill a new set and \`ipset swap\` the two.
- IPv4 and IPv6 sets are separate: ip6tables refuses a set created with \`family inet\`, and iptables one with \`family inet6\`.`,
  options: [
    // --set is the old name, still accepted (iptables prints a deprecation note).
    { names: ['--match-set', '--set'], args: [setName, setFlags], negatable: true, doc: 'Set name, then which packet fields to look up, one per set dimension: `src` or `dst`, comma-separated (`src`; `dst,dst` for address and port). The set must exist when the rule is loaded.' },
    // iptables ignores repeats of these flags.
    { names: ['--return-nomatch'], args: [], repeatable: true, doc: 'Reverses the meaning of entries flagged `nomatch` in the set (hash:net and similar types): such an entry matches, and a plain entry does not.' },
    // Only `! --update-counters` has an effect; the plain form is the default.
    { names: ['--update-counters'], args: [], negatable: true, repeatable: true, doc: 'The matched entry\'s packet and byte counters are updated anyway; only the negated form `! --update-counters` changes anything, leaving them untouched.' },
    { names: ['--update-subcounters'], args: [], negatable: true, repeatable: true, doc: 'For a list:set, the counters of the matching entry inside the member set are updated anyway; `! --update-subcounters` leaves them untouched.' },
    { names: ['--packets-eq'], args: [counter], negatable: true, doc: 'Also requires the matched entry\'s packet counter to equal this number. The set needs the `counters` option, otherwise the test is ignored.' },
    { names: ['--packets-lt'], args: [counter], doc: 'Also requires the matched entry\'s packet counter to be below this number (set created with `counters`).' },
    { names: ['--packets-gt'], args: [counter], doc: 'Also requires the matched entry\'s packet counter to be above this number (set created with `counters`).' },
    { names: ['--bytes-eq'], args: [counter], negatable: true, doc: 'Also requires the matched entry\'s byte counter to equal this number (set created with `counters`).' },
    { names: ['--bytes-lt'], args: [counter], doc: 'Also requires the matched entry\'s byte counter to be below this number (set created with `counters`).' },
    { names: ['--bytes-gt'], args: [counter], doc: 'Also requires the matched entry\'s byte counter to be above this number, e.g. to catch heavy users (set created with `counters`).' },
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

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
  doc: `Matches packets until a byte budget is used up. The size of each matching packet is taken off the budget; once it reaches zero, the rule stops matching. Use it for a simple data cap on a host or a link.

\`\`\`iptables
-A FORWARD -s 192.168.1.50 -m quota --quota 10737418240 -j ACCEPT
-A FORWARD -s 192.168.1.50 -j DROP
\`\`\`

- An exhausted quota drops nothing by itself: the packets go on to the next rule, so put a DROP after it.
- The budget lives in the loaded rule. Reloading the rules or rebooting starts again from the number in the file, and nothing resets it at the start of a month.
- One counter for the whole rule: every host that reaches it draws from the same budget. Write one rule per host, or count with \`-m nfacct\`.`,
  options: [{ names: ['--quota'], args: [byteCount], negatable: true, doc: 'The budget in bytes, counting whole packets with their headers. With `!` the rule matches only once the budget is spent.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m quota needs --quota BYTES' }] : [];
  },
};

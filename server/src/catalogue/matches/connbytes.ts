import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ValueGrammar } from '../types';
import { enumOf, fail, ok } from '../values';
import { parseUInt64 } from '../numbers';

const MAX = 0xffffffffffffffffn;

/**
 * `from[:to]` of 64-bit C numbers; a missing end is 0 or the maximum. iptables-save leaves
 * out an unbounded upper end (`1000:` prints as `1000`). Value: {min, max} as bigint.
 */
const counterRange: ValueGrammar = {
  name: 'from[:to]',
  parse(text) {
    const parts = text.split(':');
    if (parts.length > 2) return fail(`'${text}' has too many ':': write from:to`);
    const ends: bigint[] = [];
    let offset = 0;
    for (const [i, part] of parts.entries()) {
      const n = part === '' && parts.length === 2 ? (i === 0 ? 0n : MAX) : parseUInt64(part);
      if (n === undefined) return fail(`'${part}' is not a valid count: expected a whole number from 0 to ${MAX}`, { at: [offset, offset + part.length] });
      ends.push(n);
      offset += part.length + 1;
    }
    const [min, max] = ends.length === 1 ? [ends[0], MAX] : ends;
    if (min > max) return fail(`Range ${text} is reversed: the first number must not be larger than the second (write ${max}:${min})`, { suggestion: `${max}:${min}` });
    return ok({ min, max }, max === MAX ? String(min) : `${min}:${max}`);
  },
};

const REQUIRED = ['--connbytes', '--connbytes-mode', '--connbytes-dir'];

export const connbytes: MatchModule = {
  kind: 'match',
  name: 'connbytes',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Packets, bytes or average packet size a connection has transferred so far',
  doc: `Tests how much a connection has transferred so far: packets, bytes or the average packet size, as counted by connection tracking. Use it to spot long downloads and give them a lower priority, or to act only on the first packets of a connection.

\`\`\`iptables
*mangle
-A POSTROUTING -p tcp -m connbytes --connbytes 10000000: --connbytes-dir both --connbytes-mode bytes -j DSCP --set-dscp-class CS1
\`\`\`

- All three options are required: the range, \`--connbytes-dir\` and \`--connbytes-mode\`.
- Counting needs conntrack accounting. Loading the rule switches it on, but connections opened before that carry no counters and never match.
- \`avgpkt\` with \`both\` averages the two directions together: on a download, the many small ACKs pull the average far below the size of the data packets.
- Packet and byte counts belong to the connection and only grow: a connection that passed the threshold once stays above it.`,
  options: [
    { names: ['--connbytes'], args: [counterRange], negatable: true, doc: 'The range to test, `from:to`, both ends included; `from` alone means "at least". It counts packets or bytes depending on `--connbytes-mode`.' },
    // Value: 'packets' | 'bytes' | 'avgpkt'.
    { names: ['--connbytes-mode'], args: [enumOf('connbytes mode', ['packets', 'bytes', 'avgpkt'])], doc: 'What to count: `packets`, `bytes`, or `avgpkt` (average bytes per packet so far).' },
    // Value: 'original' | 'reply' | 'both'.
    { names: ['--connbytes-dir'], args: [enumOf('connbytes direction', ['original', 'reply', 'both'])], doc: 'Which counters to use: `original` (what the side that opened the connection sent), `reply` (what came back) or `both` added together.' },
  ],
  check(ext) {
    const missing = REQUIRED.filter((name) => !ext.options.some((o) => o.spec.names[0] === name));
    if (missing.length === 0) return [];
    const problem: ExtensionProblem = {
      kind: 'missing-required-option',
      message: `-m connbytes needs all of --connbytes from[:to], --connbytes-mode (packets, bytes or avgpkt) and --connbytes-dir (original, reply or both); missing: ${missing.join(', ')}`,
    };
    return [problem];
  },
};

import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ValueGrammar } from '../types';
import { enumOf, fail, ok, uint } from '../values';
import { findOption as opt } from '../parsed';

/** The kernel compares a random 31-bit number with probability * 2^31. */
const SCALE = 0x80000000;

/** Reads a number as C's strtod does (decimal or hexadecimal floating point). */
function strtod(text: string): number | undefined {
  const s = text.replace(/^[ \t\n\v\f\r]+/, '');
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return Number(s);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?[0-9]+))?$/.exec(s);
  if (hex && (hex[2] || hex[3])) {
    const digits = hex[2] + hex[3];
    const value = parseInt(digits, 16) * 2 ** (Number(hex[4] ?? 0) - 4 * hex[3].length);
    return hex[1] === '-' ? -value : value;
  }
  return undefined;
}

/**
 * A probability from 0 to 1, kept by the kernel in steps of 1/2^31 and printed by
 * iptables-save with 11 decimals (0.1 comes back as 0.10000000009). Value: the probability
 * the kernel really uses.
 */
const probability: ValueGrammar = {
  name: 'probability (0.0 to 1.0)',
  parse(text) {
    const p = strtod(text);
    if (p === undefined || !(p >= 0 && p <= 1)) return fail(`'${text}' is not a valid probability: expected a number from 0.0 to 1.0`);
    const stored = Math.round(p * SCALE) / SCALE;
    return ok(stored, stored.toFixed(11));
  },
};

export const statistic: MatchModule = {
  kind: 'match',
  name: 'statistic',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Match a random share of packets, or every n-th packet',
  doc: `Matches a share of the packets, chosen at random or by counting: each packet with probability p, or every n-th packet. Use it for sampling, for simulating packet loss, or for spreading new connections over several backends.

\`\`\`iptables
*nat
-A PREROUTING -p tcp --dport 80 -m statistic --mode random --probability 0.33333 -j DNAT --to-destination 10.0.0.11
-A PREROUTING -p tcp --dport 80 -m statistic --mode random --probability 0.5 -j DNAT --to-destination 10.0.0.12
-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.13
\`\`\`

- Each rule only sees what the rules above left over. To split evenly over three backends, use 1/3, then 1/2, then a plain rule, as above. Three rules with 1/3 each leave about 30% of the traffic to whatever follows.
- The same holds for \`nth\`: each rule has its own counter of the packets that reach it.
- In the nat table only the first packet of a connection passes, so the choice sticks to the whole connection.`,
  options: [
    // Value: 'random' | 'nth'.
    { names: ['--mode'], args: [enumOf('statistic mode', ['random', 'nth'])], doc: '`random` picks packets by chance (with `--probability`); `nth` counts packets and picks one in every `--every`.' },
    { names: ['--probability'], args: [probability], negatable: true, doc: 'Chance, from 0.0 to 1.0, that a packet matches in random mode. The kernel keeps it in steps of 1/2^31, so iptables-save prints it with many decimals.' },
    // Values: n of "every n-th packet" and the starting counter.
    { names: ['--every'], args: [uint('packet interval', 1, 0xffffffff)], negatable: true, doc: 'In nth mode, matches one packet out of every n that reach the rule.' },
    { names: ['--packet'], args: [uint('packet counter', 0, 0xffffffff)], doc: 'In nth mode, which packet of each group of n matches, counted from 0: with `--every 3 --packet 0` the 1st, 4th, 7th... packets match. Default 0.' },
  ],
  check(ext) {
    const mode = opt(ext, '--mode');
    const prob = opt(ext, '--probability');
    const every = opt(ext, '--every');
    const packet = opt(ext, '--packet');
    if (!mode) return [{ kind: 'missing-required-option', message: '-m statistic needs --mode random (with --probability P) or --mode nth (with --every N --packet P)' }];
    const out: ExtensionProblem[] = [];
    if (mode.values[0] === 'random') {
      for (const o of [every, packet]) if (o) out.push({ kind: 'conflicting-options', message: `${o.written} only works with --mode nth`, option: o });
      if (!prob) out.push({ kind: 'missing-required-option', message: '--mode random needs --probability P (from 0.0 to 1.0)' });
    } else if (mode.values[0] === 'nth') {
      if (prob) out.push({ kind: 'conflicting-options', message: '--probability only works with --mode random', option: prob });
      if (!every || !packet) out.push({ kind: 'missing-required-option', message: `--mode nth needs both --every N and --packet P (P from 0 to N-1; --packet 0 starts with the first packet)` });
      const n = every?.values[0] as number | undefined;
      const p = packet?.values[0] as number | undefined;
      if (n !== undefined && p !== undefined && p >= n)
        out.push({ kind: 'invalid-value', message: `--packet ${p} is out of range: with --every ${n} it must be from 0 to ${n - 1}`, option: packet });
    }
    return out;
  },
};

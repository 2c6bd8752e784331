import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ParsedExtension, ParsedOption, ValueGrammar } from '../types';
import { parseUInt } from '../numbers';
import { fail, ok } from '../values';
import { findOption as find } from '../parsed';

/** Estimator names are stored in IFNAMSIZ (16) bytes, NUL included. */
const MAX_NAME = 15;

/** Name of a rate estimator created by the RATEEST target. Value: the name as stored. */
const estimatorName: ValueGrammar = {
  name: 'estimator name',
  parse(text) {
    if (text.length === 0) return fail('Empty estimator name');
    if (text.length > MAX_NAME) {
      const cut = text.slice(0, MAX_NAME);
      return ok(cut, cut, { message: `The estimator name is longer than ${MAX_NAME} characters: iptables cuts it to '${cut}'`, kind: 'suspicious-value' });
    }
    return ok(text, text);
  },
};

/** Rate units as tc spells them (matched in any case), in bits per second. */
const RATE_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['bit', 1],
  ['kibit', 1024],
  ['kbit', 1000],
  ['mibit', 1024 ** 2],
  ['mbit', 1e6],
  ['gibit', 1024 ** 3],
  ['gbit', 1e9],
  ['tibit', 1024 ** 4],
  ['tbit', 1e12],
  ['bps', 8],
  ['kibps', 8 * 1024],
  ['kbps', 8000],
  ['mibps', 8 * 1024 ** 2],
  ['mbps', 8e6],
  ['gibps', 8 * 1024 ** 3],
  ['gbps', 8e9],
  ['tibps', 8 * 1024 ** 4],
  ['tbps', 8e12],
];

/** A number as strtod reads it: decimal with fraction and exponent, or hexadecimal. */
const STRTOD = /^\s*\+?(0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/;

/** Prints a rate in bytes/s as iptables-save does (tc's old print_rate): bit, Kbit or Mbit. */
export function formatRate(bytesPerSecond: number): string {
  const bits = bytesPerSecond * 8;
  if (bits >= 1e9) return `${Math.round(bits / 1e6)}Mbit`;
  if (bits >= 1e6) return `${Math.round(bits / 1e3)}Kbit`;
  return `${bits}bit`;
}

/**
 * `N[unit]`: a number (fractions allowed) with an optional unit, bits per second without one.
 * Stored as whole bytes per second in 32 bits. Value: number (bytes per second).
 */
const rateValue: ValueGrammar = {
  name: 'rate (e.g. 8bit, 1.5mbit, 10KBps)',
  parse(text) {
    const m = STRTOD.exec(text);
    if (!m) return fail(`'${text}' is not a rate: write a number with an optional unit (bit, kbit, mbit, gbit, Bps, KBps, MBps, Kibit ...)`);
    const unitText = text.slice(m[0].length);
    const unit = unitText === '' ? 1 : RATE_UNITS.find(([u]) => u === unitText.toLowerCase())?.[1];
    if (unit === undefined) return fail(`'${unitText}' is not a rate unit: use bit, kbit, mbit, gbit, tbit, Kibit ..., Bps, KBps, MBps, KiBps ...`, { at: [m[0].length, text.length] });
    const number = m[1].startsWith('0x') || m[1].startsWith('0X') ? parseInt(m[1], 16) : Number(m[1]);
    const bytes = Math.trunc((number * unit) / 8);
    if (bytes > 0xffffffff) {
      const wrapped = Number(BigInt(bytes) % 2n ** 32n);
      return ok(wrapped, formatRate(wrapped), { message: `${text} is more than iptables can store (about 34 Gbit/s): the value wraps around to ${formatRate(wrapped)}`, kind: 'suspicious-value' });
    }
    return ok(bytes, formatRate(bytes));
  },
};

/** Packets per second, a 32-bit number in C syntax. Value: number. */
const ppsValue: ValueGrammar = {
  name: 'packets per second',
  parse(text) {
    const v = parseUInt(text, 0, 0xffffffff);
    return v === undefined ? fail(`'${text}' is not a packet rate: expected a whole number from 0 to 4294967295`) : ok(v, String(v));
  },
};

const OPERATORS = ['--rateest-lt', '--rateest-gt', '--rateest-eq'];

/** The comparison in effect: the last operator given; negating any of them inverts the match. */
function operator(ext: ParsedExtension): { name: string; negated: boolean } | undefined {
  const ops = ext.options.filter((o) => OPERATORS.includes(o.spec.names[0]));
  return ops.length === 0 ? undefined : { name: ops[ops.length - 1].spec.names[0], negated: ops.some((o) => o.negated) };
}

const value = (o: ParsedOption | undefined): unknown => o?.values[0];

export const rateest: MatchModule = {
  kind: 'match',
  name: 'rateest',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Compares the rate measured by a RATEEST estimator with a value or another estimator',
  doc: `Compares traffic rates measured by the RATEEST target: one estimator against a fixed value, or two estimators against each other. Use it to steer new connections to the less loaded of two links.

\`\`\`iptables
*mangle
-A PREROUTING -i eth0 -j RATEEST --rateest-name wan0 --rateest-interval 250ms --rateest-ewma 1s
-A PREROUTING -i eth0 -m conntrack --ctstate NEW -m rateest --rateest wan0 --rateest-gt --rateest-bps 80mbit -j CONNMARK --set-mark 0x2
\`\`\`

- The estimator must exist when the rule is checked. The nft backend checks rules in file order; the legacy one goes chain by chain in hook order (PREROUTING first, POSTROUTING last). Put the RATEEST rule earlier in the same chain to be safe.
- Every test needs an estimator name, a comparison (\`--rateest-lt\`, \`-gt\` or \`-eq\`) and what to compare (\`--rateest-bps\` or \`--rateest-pps\`).
- Rates are averages over the \`--rateest-ewma\` time, so they lag behind sudden changes.`,
  options: [
    { names: ['--rateest-delta'], args: [], doc: 'Compares spare capacity instead of load: each measured rate is taken off the fixed rate given with it (`--rateest-bps1`, `--rateest-bps2` ...), never going below 0.' },
    // Value: the estimator name. --rateest is the absolute-mode spelling of --rateest1.
    { names: ['--rateest1', '--rateest'], args: [estimatorName], doc: 'Name of the (first) estimator, created by a `-j RATEEST --rateest-name` rule. `--rateest` is the spelling used when comparing one estimator with a fixed value.' },
    // iptables takes a rate's value only when the next word does not start with '-' or '!'
    // (relative mode writes `--rateest-bps` alone), hence optionalArg: 'next-word'.
    // Value: number (bytes per second).
    { names: ['--rateest-bps1'], args: [rateValue], optionalArg: 'next-word', doc: 'With `--rateest-delta`, the capacity of the first estimator\'s link (e.g. `2.5mbit`); the measured byte rate is taken off it.' },
    // Value: number (packets per second).
    { names: ['--rateest-pps1'], args: [ppsValue], optionalArg: 'next-word', doc: 'With `--rateest-delta`, the packet rate the first estimator\'s measured rate is taken off, in packets per second.' },
    { names: ['--rateest-lt'], args: [], negatable: true, doc: 'Matches when the first value is lower than the second (the fixed rate or the second estimator).' },
    { names: ['--rateest-gt'], args: [], negatable: true, doc: 'Matches when the first value is greater than the second (the fixed rate or the second estimator).' },
    { names: ['--rateest-eq'], args: [], negatable: true, doc: 'Matches when both values are equal, which measured rates rarely are.' },
    // --rateest-bps and --rateest-pps are the absolute-mode spellings of the second rates.
    { names: ['--rateest-bps2', '--rateest-bps'], args: [rateValue], optionalArg: 'next-word', doc: 'Compares byte rates. With one estimator it takes the fixed rate (`--rateest-bps 80mbit`); with two estimators it stands alone, or, with `--rateest-delta`, gives the second link\'s capacity.' },
    { names: ['--rateest-pps2', '--rateest-pps'], args: [ppsValue], optionalArg: 'next-word', doc: 'Compares packet rates, in packets per second. With one estimator it takes the fixed rate; with two it stands alone, or gives the second capacity with `--rateest-delta`.' },
    { names: ['--rateest2'], args: [estimatorName], doc: 'Name of the second estimator, to compare two measured rates with each other instead of one rate with a fixed value.' },
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    const relative = !!find(ext, '--rateest2');
    if (!find(ext, '--rateest1'))
      problems.push({ kind: 'missing-required-option', message: relative ? '-m rateest needs --rateest1 NAME next to --rateest2' : '-m rateest needs --rateest NAME (an estimator created by -j RATEEST)' });
    if (!operator(ext)) problems.push({ kind: 'missing-required-option', message: '-m rateest needs a comparison: --rateest-lt, --rateest-gt or --rateest-eq' });
    if (!ext.options.some((o) => /^--rateest-[bp]ps/.test(o.spec.names[0])))
      problems.push({ kind: 'missing-required-option', message: '-m rateest needs --rateest-bps or --rateest-pps (what to compare: bytes or packets per second)' });
    return problems;
  },
  print(ext) {
    const relative = !!find(ext, '--rateest2');
    const delta = !!find(ext, '--rateest-delta');
    const op = operator(ext);
    const out: string[] = [];
    if (delta) out.push('--rateest-delta');
    out.push(relative ? '--rateest1' : '--rateest', String(value(find(ext, '--rateest1')) ?? ''));
    for (const [kind, format] of [['bps', formatRate], ['pps', String]] as const) {
      const first = find(ext, `--rateest-${kind}1`);
      const second = find(ext, `--rateest-${kind}2`);
      if (!first && !second) continue;
      const rate = (o: ParsedOption | undefined) => (format as (n: number) => string)((value(o) as number | undefined) ?? 0);
      if (delta) out.push(`--rateest-${kind}1`, rate(first));
      if (op) out.push(...(op.negated ? ['!'] : []), op.name);
      if (delta) out.push(`--rateest-${kind}2`, rate(second));
      else if (relative) out.push(`--rateest-${kind}`);
      else out.push(`--rateest-${kind}`, rate(second));
    }
    if (relative) out.push('--rateest2', String(value(find(ext, '--rateest2'))));
    return out;
  },
};

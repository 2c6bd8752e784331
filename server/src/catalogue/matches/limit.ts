import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail, formatRate, ok, uint } from '../values';
import { leadingNumber } from '../grammars/c-prefix-number';
import { findOption as opt } from '../parsed';

/** xt_limit counts time in 1/10000 s. */
const SCALE = 10000;
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['second', 1],
  ['minute', 60],
  ['hour', 3600],
  ['day', 86400],
];

/** Value of --limit: the average gap between packets in 1/10000 s (as the kernel stores it). */
export interface LimitRate {
  readonly period: number;
}

/**
 * Splits `N[/unit]` as the limit modules do: the unit is any case-insensitive prefix of
 * second, minute, hour or day (seconds when absent). Returns the unit's length in seconds.
 */
export function rateUnit(text: string): { seconds: number; slash: number } | { error: string; slash: number } {
  const slash = text.indexOf('/');
  if (slash === -1) return { seconds: 1, slash };
  const unit = text.slice(slash + 1).toLowerCase();
  const found = unit.length > 0 ? UNITS.find(([name]) => name.startsWith(unit)) : undefined;
  return found ? { seconds: found[1], slash } : { error: `'${text.slice(slash + 1)}' is not a time unit: write N/second, N/minute, N/hour or N/day (or a prefix such as /sec, /min)`, slash };
}

/**
 * --limit N[/unit]. iptables reads N with atoi, so trailing junk before the slash is ignored
 * (accepted with a warning) and a value needing more than 32 bits wraps around.
 */
const limitRate: ValueGrammar = {
  name: 'rate (N/second, N/minute, N/hour or N/day)',
  parse(text) {
    const unit = rateUnit(text);
    const numEnd = unit.slash === -1 ? text.length : unit.slash;
    if ('error' in unit) return fail(unit.error, { at: [unit.slash + 1, text.length] });
    const n = leadingNumber(text.slice(0, numEnd));
    // atoi returns an int; the module keeps it as an unsigned 32-bit number.
    const r = Number(BigInt.asUintN(32, n.value));
    if (r === 0) return fail(`'${text}' is not a valid rate: expected a positive whole number, optionally followed by /second, /minute, /hour or /day`);
    const period = Math.floor((SCALE * unit.seconds) / r);
    if (period === 0) return fail(`Rate ${text} is too fast: -m limit can express at most ${SCALE}/second (use -m hashlimit for more)`);
    const rest = text.slice(n.end, numEnd);
    const warning = rest.trim() !== '' ? { message: `iptables ignores '${rest}' after the number`, at: [n.end, numEnd] as [number, number] } : undefined;
    return ok({ period } satisfies LimitRate, formatRate(period), warning);
  },
};

const DEFAULT_PERIOD = (SCALE * 3600) / 3; // 3/hour
const DEFAULT_BURST = 5;

/**
 * The kernel's xt_limit (legacy backend) refuses a burst whose token count overflows 32 bits:
 * it turns avg*burst into "credits" with unsigned 32-bit arithmetic and requires the result
 * not to be smaller than the credits of one packet. Credits per 1/10000 s depend on HZ; this
 * uses HZ*credits-per-jiffy = 32000, the value for HZ=250 and HZ=1000.
 */
export function limitBurstOverflows(period: number, burst: number): boolean {
  const K = 32000n;
  const credits = (user: bigint): bigint => (user > 0xffffffffn / K ? BigInt.asUintN(32, (user / 10000n) * K) : (user * K) / 10000n);
  const total = BigInt.asUintN(32, BigInt(period) * BigInt(burst));
  return burst === 0 || credits(total) < credits(BigInt(period));
}

export const limit: MatchModule = {
  kind: 'match',
  name: 'limit',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Match at most N packets per time unit, with an initial burst (token bucket)',
  doc: `Matches packets up to an average rate, using a token bucket. The bucket holds \`--limit-burst\` tokens (5 by default); each matching packet takes one, and tokens come back at the \`--limit\` rate (3/hour by default). The whole rule has one bucket, shared by every sender.

\`\`\`iptables
-A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/second --limit-burst 10 -j ACCEPT
-A INPUT -p icmp --icmp-type echo-request -j DROP
-A INPUT -m limit --limit 3/min -j LOG --log-prefix "INPUT drop: "
\`\`\`

- \`-m limit\` alone drops nothing. Packets over the rate just do not match and go on to the next rule, so a limited ACCEPT needs a DROP after it.
- One bucket for everyone: a single flooding host uses up the tokens of all the others. Use \`-m hashlimit\` for a limit per address.
- It cannot be negated. To match the traffic above a rate, use \`-m hashlimit --hashlimit-above\`.
- Without \`--limit\` you get only 3 packets per hour after the first 5.`,
  options: [
    { names: ['--limit'], args: [limitRate], doc: 'Average rate at which tokens come back: `N/second`, `N/minute`, `N/hour` or `N/day` (`/sec`, `/min` work too). It is the long-run maximum of matching packets; the default is 3/hour.' },
    // Value: the bucket size in packets.
    { names: ['--limit-burst'], args: [uint('burst', 0, 10000)], doc: 'Size of the bucket: how many packets can match in a row before the rate applies (default 5). A quiet period refills it at the `--limit` rate.' },
  ],
  check(ext) {
    const rate = opt(ext, '--limit');
    const burstOpt = opt(ext, '--limit-burst');
    const period = rate ? (rate.values[0] as LimitRate | undefined)?.period : DEFAULT_PERIOD;
    const burst = burstOpt ? (burstOpt.values[0] as number | undefined) : DEFAULT_BURST;
    if (period === undefined || burst === undefined || !limitBurstOverflows(period, burst)) return [];
    const message =
      burst === 0
        ? '--limit-burst 0 is refused by the kernel (legacy backend): the bucket must hold at least one packet'
        : `The kernel (legacy backend) refuses --limit-burst ${burst} with --limit ${formatRate(period)}: the token count overflows; use a smaller burst or a faster rate`;
    return [{ kind: 'invalid-value', message, option: burstOpt ?? rate }];
  },
  print(ext) {
    // iptables-save always prints the rate (3/hour by default) and a burst other than 5.
    const rate = opt(ext, '--limit');
    const burst = opt(ext, '--limit-burst');
    const out = ['--limit', rate ? rate.canonical[0] : formatRate(DEFAULT_PERIOD)];
    if (burst && burst.values[0] !== DEFAULT_BURST) out.push('--limit-burst', burst.canonical[0]);
    return out;
  },
};

import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ParsedExtension, ParsedOption, ValueGrammar, ValueProblem } from '../types';
import { enumList, fail, ok, saveString, uint } from '../values';
import { familyBits, maskPrefix, parseIPv6 } from '../addresses';
import { parseUInt } from '../numbers';
import { leadingNumber } from '../grammars/c-prefix-number';
import { parseInetAton } from '../grammars/xt-host';
import { rateUnit } from './limit';
import { findOption as opt } from '../parsed';

// hashlimit (revision 3) keeps packet rates as a period in 1/1000000 s and byte rates as a
// "cost" per byte; iptables-save prints both back from those numbers, so what it prints can
// differ from what was written (60/min comes back as 1/sec, 100b/s as 96b/s).

const SCALE = 1000000n;
const U32 = 0xffffffffn;

/** Value of --hashlimit-upto / --hashlimit-above. */
export type HashlimitRate =
  | {
      readonly kind: 'packets';
      /** N of N/unit, as written. */
      readonly count: bigint;
      readonly unitSeconds: number;
      /** Average gap between packets in 1/1000000 s. */
      readonly period: bigint;
    }
  | {
      readonly kind: 'bytes';
      /** Kernel cost per 16 bytes; 0 when the rate is too large to express. */
      readonly cost: bigint;
      /** The rate the kernel really enforces, in bytes per second (a multiple of 16). */
      readonly bytesPerSecond: bigint;
    };

const PRINT_UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['day', 86400n * SCALE],
  ['hour', 3600n * SCALE],
  ['min', 60n * SCALE],
  ['sec', SCALE],
];

/** A packet period as iptables-save prints it, and that unit's length in ms. */
function formatPacketRate(period: bigint): { text: string; quantumMs: number } {
  let i = 1;
  for (; i < PRINT_UNITS.length; i++) {
    const mult = PRINT_UNITS[i][1];
    if (period > mult || mult / period < mult % period) break;
  }
  const [name, mult] = PRINT_UNITS[i - 1];
  return { text: `${mult / period}/${name}`, quantumMs: Number((mult / SCALE) * 1000n) };
}

const costOf = (bytes: bigint): bigint => U32 / ((bytes >> 4n) + 1n);
const bytesOf = (cost: bigint): bigint => (cost === 0n ? 0n : (U32 / cost - 1n) << 4n);

/**
 * A byte rate as iptables-save prints it: in mb or kb when cutting the value down to that
 * unit (with a 32-bit mask, as iptables does) still gives the same cost, else in bytes.
 */
function formatByteRate(cost: bigint): string {
  const r = bytesOf(cost);
  for (const [unit, size] of [['m', 1048576n], ['k', 1024n]] as const) {
    if (r >= size && costOf(r & (U32 & ~(size - 1n))) === cost) return `${r / size}${unit}b/s`;
  }
  return `${r}b/s`;
}

/** A byte count as the burst of a byte rate is printed: the largest unit it reaches. */
function formatByteBurst(total: bigint): string {
  for (const [unit, size] of [['m', 1048576n], ['k', 1024n]] as const) if (total >= size) return `${total / size}${unit}b`;
  return `${total}b`;
}

/** `N[/unit]` packets or `N[k|m]b/s` bytes per second. Value: HashlimitRate. */
const hashlimitRate: ValueGrammar = {
  name: 'rate (N/sec, N/min, N/hour, N/day or Nkb/s, Nmb/s, Nb/s)',
  parse(text) {
    const bytesAt = text.indexOf('b/s');
    const n = leadingNumber(text);
    if (bytesAt > 0 && n.digits && n.value > 0n) {
      const unitChar = text[bytesAt - 1];
      const factor = unitChar === 'k' ? 1024n : unitChar === 'm' ? 1048576n : 1n;
      const bytes = n.value * factor;
      if (bytes > 0xffffffffffffffffn) return fail(`Byte rate ${text} is too large`);
      const cost = costOf(bytes);
      const rate: HashlimitRate = { kind: 'bytes', cost, bytesPerSecond: bytesOf(cost) };
      const ignored = text.slice(n.end, factor === 1n ? bytesAt : bytesAt - 1);
      let warning: ValueProblem | undefined;
      if (unitChar === 'K' || unitChar === 'M')
        warning = { message: `iptables only knows lower-case units: '${unitChar}b/s' is read as plain bytes per second (write ${n.value}${unitChar.toLowerCase()}b/s)`, at: [bytesAt - 1, bytesAt] };
      else if (ignored !== '') warning = { message: `iptables ignores '${ignored}' here`, at: [n.end, n.end + ignored.length] };
      else if (cost === 0n) warning = { message: `${text} is far more than the kernel can count: the limit will not work as written` };
      else if (rate.bytesPerSecond === 0n) warning = { message: `the kernel counts bytes in steps of 16: ${text} rounds down to 0b/s, which nothing can stay under` };
      return ok(rate, cost === 0n ? text : formatByteRate(cost), warning);
    }
    const unit = rateUnit(text);
    const numEnd = unit.slash === -1 ? text.length : unit.slash;
    if ('error' in unit) return fail(unit.error, { at: [unit.slash + 1, text.length] });
    // strtoull: a minus sign wraps around to a huge count, which is "too fast" below.
    const count = BigInt.asUintN(64, n.value);
    if (count === 0n) return fail(`'${text}' is not a valid rate: write N/sec, N/min, N/hour, N/day (N > 0) or a byte rate such as 512kb/s`);
    const period = (SCALE * BigInt(unit.seconds)) / count;
    if (period === 0n) return fail(`Rate ${text} is too fast: hashlimit counts at most 1000000 packets per second`);
    const rest = text.slice(n.end, numEnd);
    const warning = rest.trim() !== '' ? { message: `iptables ignores '${rest}' after the number`, at: [n.end, numEnd] as [number, number] } : undefined;
    return ok({ kind: 'packets', count, unitSeconds: unit.seconds, period } satisfies HashlimitRate, formatPacketRate(period).text, warning);
  },
};

/** Value of --hashlimit-burst: the number with its k/m suffix applied. */
export interface HashlimitBurst {
  readonly amount: bigint;
}

/**
 * A C number from 1 to 1000000, optionally followed by `k` (x1024) or `m` (x1048576); a byte
 * rate takes it as bytes (`400kb`), a packet rate as packets. Other trailing text is ignored.
 */
const hashlimitBurst: ValueGrammar = {
  name: 'burst (N, Nkb or Nmb)',
  parse(text) {
    const m = /^[ \t\n\v\f\r]*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
    const num = m ? parseUInt(m[1], 0, Number.MAX_SAFE_INTEGER) : undefined;
    if (!m || num === undefined || num < 1 || num > 1000000) return fail(`'${text}' is not a valid burst: expected a number from 1 to 1000000, optionally followed by k or m`);
    const rest = text.slice(m[0].length);
    const factor = rest.startsWith('k') ? 1024n : rest.startsWith('m') ? 1048576n : 1n;
    const amount = BigInt(num) * factor;
    const ignored = factor === 1n ? rest : rest.slice(1);
    const warning =
      ignored !== '' && ignored !== 'b'
        ? { message: `iptables ignores '${ignored}' here${/^[KM]/.test(ignored) ? ' (units are lower case: k or m)' : ''}`, at: [text.length - ignored.length, text.length] as [number, number] }
        : undefined;
    return ok({ amount } satisfies HashlimitBurst, String(amount), warning);
  },
};

/** --hashlimit-srcmask/-dstmask: a prefix length or a mask. Value: the prefix length. */
const hashMask: ValueGrammar = {
  name: 'prefix length',
  parse(text, ctx) {
    const bits = familyBits(ctx.family);
    const n = parseUInt(text, 0, 128);
    if (n !== undefined) {
      if (n > bits) return fail(`/${n} is longer than an ${ctx.family === 'ipv4' ? 'IPv4' : 'IPv6'} address: the kernel refuses it (at most ${bits})`);
      return ok(n, String(n));
    }
    const mask = ctx.family === 'ipv4' ? parseInetAton(text) : parseIPv6(text);
    const prefix = mask === undefined ? undefined : maskPrefix(ctx.family, mask);
    if (prefix === undefined) return fail(`'${text}' is neither a prefix length (0 to ${bits}) nor a contiguous network mask`);
    return ok(prefix, String(prefix));
  },
};

/** The kernel keeps at most this many buckets and entries; larger values are cut down to it. */
const HTABLE_LIMIT = 1048576;
/** Value: the count the kernel uses (0 = its default). */
const htableSize: ValueGrammar = {
  name: 'count',
  parse(text, ctx) {
    const r = uint('count', 0, 0xffffffff).parse(text, ctx);
    if (!r.ok || (r.value as number) <= HTABLE_LIMIT) return r;
    return ok(HTABLE_LIMIT, String(HTABLE_LIMIT), { message: `the kernel caps hash table sizes at ${HTABLE_LIMIT}: this becomes ${HTABLE_LIMIT}` });
  },
};

/**
 * The table name becomes /proc/net/ipt_hashlimit/NAME: the kernel refuses '/', and
 * iptables-save prints the name without quotes. Value: the name (cut to 254 characters).
 */
const tableName: ValueGrammar = {
  name: 'name',
  parse(text) {
    if (text === '') return fail('The hashlimit name must not be empty');
    if (text.includes('/')) return fail(`'${text}' contains '/': the name becomes a file name under /proc/net/ipt_hashlimit, and the kernel refuses it`);
    const kept = text.slice(0, 254);
    const warning =
      text.length > 254
        ? { message: `iptables keeps only the first 254 characters of the name` }
        : saveString(text) !== text
          ? { message: `iptables-save writes this name without quotes, so the saved rules will not load again: use letters, digits, '_' and '-' only` }
          : undefined;
    return ok(kept, kept, warning);
  },
};

const val = <T>(o: ParsedOption | undefined): T | undefined => o?.values[0] as T | undefined;

/**
 * The kernel refuses a packet rate whose burst overflows its 64-bit credit arithmetic
 * (1/day with the default burst of 5 does). Credits per 1/1000000 s depend on HZ; this uses
 * 137438953, the value for HZ=250 and HZ=1000.
 */
export function hashlimitBurstOverflows(period: bigint, burst: bigint): boolean {
  const credits = (user: bigint): bigint => BigInt.asUintN(64, user * 137438953n);
  return credits(BigInt.asUintN(64, period * burst)) < credits(period);
}

interface Effective {
  readonly rate: HashlimitRate;
  /** Burst in packets, or in tokens (multiples of the byte rate) for a byte rate. */
  readonly burst: bigint;
  readonly rateMatch: boolean;
  readonly expire: number;
  readonly interval: number;
}

/** The numbers iptables hands to the kernel, after its defaults. */
function effective(ext: ParsedExtension): Effective | undefined {
  const rate = val<HashlimitRate>(opt(ext, '--hashlimit-upto') ?? opt(ext, '--hashlimit-above'));
  if (!rate) return undefined;
  const burstOpt = opt(ext, '--hashlimit-burst');
  const burstAmount = val<HashlimitBurst>(burstOpt)?.amount;
  const rateMatch = !!opt(ext, '--hashlimit-rate-match');
  let burst: bigint;
  let expire: number;
  if (rate.kind === 'packets') {
    burst = burstAmount ?? 5n;
    expire = rate.unitSeconds * 1000;
  } else {
    const perToken = rate.bytesPerSecond;
    const given = burstAmount === undefined ? undefined : BigInt.asUintN(32, burstAmount);
    burst = given === undefined || perToken === 0n ? 0n : (given + perToken - 1n) / perToken;
    expire = burstAmount === undefined ? 15000 : 60000;
  }
  const expireOpt = val<number>(opt(ext, '--hashlimit-htable-expire'));
  const intervalOpt = val<number>(opt(ext, '--hashlimit-rate-interval'));
  return {
    rate,
    burst,
    rateMatch,
    expire: expireOpt ?? expire,
    interval: intervalOpt ?? (rate.kind === 'packets' && rateMatch ? rate.unitSeconds : 1),
  };
}

const MODES = ['srcip', 'srcport', 'dstip', 'dstport'];
const modeList = enumList('hashlimit mode', MODES);

/** What groups share a bucket: srcip, srcport, dstip, dstport. Value: the names in print order. */
const hashMode: ValueGrammar = {
  ...modeList,
  parse(text, ctx) {
    // iptables skips empty entries (`srcip,` is fine), and an empty list means one bucket.
    const parts = text.split(',').filter((p) => p !== '');
    return parts.length === 0 ? ok([], '') : modeList.parse(parts.join(','), ctx);
  },
};

export const hashlimit: MatchModule = {
  kind: 'match',
  name: 'hashlimit',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Rate limit per address, port or address block (one token bucket per group)',
  doc: `A rate limit like \`-m limit\`, but with a separate token bucket for each group of packets: per source address, per destination port, per /24 block, or a combination. It can also limit bytes per second. Use it to throttle each client on its own, so one flooder cannot starve the others.

\`\`\`iptables
-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m hashlimit --hashlimit-above 4/min --hashlimit-burst 8 --hashlimit-mode srcip --hashlimit-name ssh -j DROP
\`\`\`

- \`--hashlimit-mode\` decides what is counted separately. Without it, all packets share one bucket, as with \`-m limit\`; \`srcip\` gives each client its own, \`srcip,dstport\` one per client and port.
- \`--hashlimit-upto\` matches the traffic under the rate (ACCEPT it, then DROP the rest); \`--hashlimit-above\` matches only the excess (DROP it).
- Rules with the same \`--hashlimit-name\` share one table and its buckets. Give every limit its own name.
- When the table is full (\`--hashlimit-htable-max\`), packets from new groups are dropped outright.`,
  options: [
    // `! --hashlimit-upto R` means --hashlimit-above R and the reverse. `--hashlimit` is the old name.
    { names: ['--hashlimit-upto', '--hashlimit'], args: [hashlimitRate], negatable: true, doc: 'Matches while the group stays at or under this rate: `N/sec`, `N/min`, `N/hour`, `N/day`, or a byte rate such as `512kb/s`. Accept here and drop after; `--hashlimit` is the old name.' },
    { names: ['--hashlimit-above'], args: [hashlimitRate], negatable: true, doc: 'Matches only the traffic that goes over this rate, in the same units as `--hashlimit-upto`. Use it directly with DROP.' },
    { names: ['--hashlimit-burst'], args: [hashlimitBurst], doc: 'How much may pass at once before the rate applies: packets (default 5), or bytes such as `1mb` for a byte rate. When an idle group\'s entry expires, its burst starts full again.' },
    { names: ['--hashlimit-mode'], args: [hashMode], doc: 'What gets its own bucket: a comma-separated list of `srcip`, `srcport`, `dstip` and `dstport`. Without it, all packets share one bucket.' },
    { names: ['--hashlimit-name'], args: [tableName], doc: 'Name of the rule\'s hash table, shown as /proc/net/ipt_hashlimit/NAME (ip6t_hashlimit for IPv6). Rules with the same name share one table.' },
    // Values: counts and milliseconds.
    { names: ['--hashlimit-htable-size'], args: [htableSize], doc: 'Number of buckets in the hash table. Left out, the kernel picks a size from the machine\'s memory.' },
    { names: ['--hashlimit-htable-max'], args: [htableSize], doc: 'Largest number of groups the table tracks. When it is full, packets from new groups are dropped, so size it for your busiest moment.' },
    { names: ['--hashlimit-htable-gcinterval'], args: [uint('interval in ms', 0, 0xffffffff)], doc: 'How often, in milliseconds, the kernel sweeps the table for expired entries (default 1000).' },
    { names: ['--hashlimit-htable-expire'], args: [uint('time in ms', 0, 0xffffffff)], doc: 'How long, in milliseconds, an idle group keeps its entry before it is forgotten. The default follows the rate\'s unit: 60000 for a `/min` rate.' },
    { names: ['--hashlimit-srcmask'], args: [hashMask], doc: 'With `srcip` in the mode, groups source addresses by this prefix length: 24 gives each /24 one bucket. The default is the full address.' },
    { names: ['--hashlimit-dstmask'], args: [hashMask], doc: 'With `dstip` in the mode, groups destination addresses by this prefix length. The default is the full address.' },
    { names: ['--hashlimit-rate-match'], args: [], doc: 'Turns the rule into a rate test: instead of letting a burst through and matching packet by packet, it measures each group\'s rate and matches all its packets while that rate is over (or under) the value.' },
    // Value: seconds (decimal only).
    { names: ['--hashlimit-rate-interval'], args: [uint('interval in seconds', 1, 0xffffffff, { base: 10 })], doc: 'With `--hashlimit-rate-match`, how many seconds each rate measurement covers (default 1).' },
  ],
  check(ext) {
    const upto = opt(ext, '--hashlimit-upto');
    const above = opt(ext, '--hashlimit-above');
    const out: ExtensionProblem[] = [];
    if (!upto && !above) out.push({ kind: 'missing-required-option', message: '-m hashlimit needs a rate: --hashlimit-upto RATE or --hashlimit-above RATE' });
    if (upto && above) out.push({ kind: 'conflicting-options', message: '--hashlimit-upto and --hashlimit-above exclude each other: keep one', option: upto.index > above.index ? upto : above });
    if (!opt(ext, '--hashlimit-name')) out.push({ kind: 'missing-required-option', message: '-m hashlimit needs --hashlimit-name NAME (the name of its table under /proc/net/ipt_hashlimit)' });
    for (const name of ['--hashlimit-htable-gcinterval', '--hashlimit-htable-expire']) {
      const o = opt(ext, name);
      if (val<number>(o) === 0) out.push({ kind: 'invalid-value', message: `${name} 0 is refused by the kernel: use at least 1 (milliseconds)`, option: o });
    }
    const eff = effective(ext);
    const burstOpt = opt(ext, '--hashlimit-burst');
    const burstAmount = val<HashlimitBurst>(burstOpt)?.amount;
    if (eff?.rate.kind === 'packets') {
      if (burstAmount !== undefined && burstAmount > 1000000n)
        out.push({ kind: 'invalid-value', message: `--hashlimit-burst ${burstAmount} is too large for a packet rate: at most 1000000 packets`, option: burstOpt });
      else if (!eff.rateMatch && hashlimitBurstOverflows(eff.rate.period, eff.burst))
        out.push({
          kind: 'invalid-value',
          message: `The kernel refuses ${(upto ?? above)!.written} ${(upto ?? above)!.canonical[0]} with a burst of ${eff.burst}${burstOpt ? '' : ' (the default)'}: its token count overflows; set a smaller --hashlimit-burst (1 always works) or a faster rate`,
          option: burstOpt ?? upto ?? above,
        });
    } else if (eff?.rate.kind === 'bytes' && burstAmount !== undefined) {
      const perToken = eff.rate.bytesPerSecond;
      if (perToken === 0n) out.push({ kind: 'invalid-value', message: 'A burst cannot be used with a byte rate below 16b/s (iptables crashes on it): raise the rate', option: burstOpt });
      else if (burstAmount < perToken) out.push({ kind: 'invalid-value', message: `--hashlimit-burst must be at least the rate itself (${perToken}b)`, option: burstOpt });
    }
    return out;
  },
  print(ext, rule) {
    const upto = opt(ext, '--hashlimit-upto');
    const above = opt(ext, '--hashlimit-above');
    const limit = above ?? upto;
    const eff = effective(ext);
    if (!limit || !eff) return [];
    const out = [(limit === above) !== limit.negated ? '--hashlimit-above' : '--hashlimit-upto'];
    let quantum: number;
    if (eff.rate.kind === 'packets') {
      const printed = formatPacketRate(eff.rate.period);
      // In rate-match mode iptables prints the count per second and the unit as the interval.
      out.push(eff.rateMatch ? `${eff.rate.count}/sec` : printed.text, '--hashlimit-burst', String(eff.burst));
      quantum = eff.rateMatch ? 1000 : printed.quantumMs;
    } else {
      out.push(limit.canonical[0]);
      if (eff.burst > 0n) out.push('--hashlimit-burst', formatByteBurst(eff.burst * eff.rate.bytesPerSecond));
      quantum = eff.burst > 0n ? 60000 : 15000;
    }
    const mode = val<string[]>(opt(ext, '--hashlimit-mode'));
    if (mode && mode.length > 0) out.push('--hashlimit-mode', mode.join(','));
    const name = opt(ext, '--hashlimit-name');
    if (name) out.push('--hashlimit-name', name.canonical[0]);
    const size = val<number>(opt(ext, '--hashlimit-htable-size'));
    if (size) out.push('--hashlimit-htable-size', String(size));
    const max = val<number>(opt(ext, '--hashlimit-htable-max'));
    if (max) out.push('--hashlimit-htable-max', String(max));
    const gc = val<number>(opt(ext, '--hashlimit-htable-gcinterval'));
    if (gc !== undefined && gc !== 1000) out.push('--hashlimit-htable-gcinterval', String(gc));
    if (eff.expire !== quantum) out.push('--hashlimit-htable-expire', String(eff.expire));
    const bits = familyBits(rule.family);
    for (const name of ['--hashlimit-srcmask', '--hashlimit-dstmask']) {
      const mask = val<number>(opt(ext, name));
      if (mask !== undefined && mask !== bits) out.push(name, String(mask));
    }
    if (eff.rateMatch) {
      out.push('--hashlimit-rate-match');
      if (eff.interval !== 1) out.push('--hashlimit-rate-interval', String(eff.interval));
    }
    return out;
  },
};

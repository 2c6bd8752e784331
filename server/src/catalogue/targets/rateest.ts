import { BOTH_FAMILIES, ExtensionProblem, ParsedExtension, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { findOption } from '../grammars/mangle-targets';

const US_PER_SEC = 1_000_000;
/** Estimator names live in a 16-byte buffer. */
const MAX_NAME = 15;

/** --rateest-name: value is the name as the kernel gets it (cut to 15 bytes). */
const estimatorName: ValueGrammar = {
  name: 'estimator name',
  parse(text) {
    const kept = Buffer.from(text, 'utf8').subarray(0, MAX_NAME).toString('utf8');
    if (kept === '') return ok(kept, kept, { message: 'An empty estimator name is accepted, but iptables-save then prints nothing after --rateest-name and the saved rules do not load back', kind: 'suspicious-value' });
    if (kept !== text) return ok(kept, kept, { message: `Estimator names have at most ${MAX_NAME} bytes: iptables cuts this one to '${kept}', which the rateest match must then use`, kind: 'suspicious-value' });
    return ok(kept, kept);
  },
};

const UNITS: ReadonlyArray<readonly [readonly string[], number]> = [
  [['s', 'sec', 'secs'], US_PER_SEC],
  [['ms', 'msec', 'msecs'], 1000],
  [['us', 'usec', 'usecs', ''], 1],
];

/**
 * A time such as `250ms`, `1.5s`, `500us` (a bare number is microseconds), units in any
 * case. Value: whole microseconds (number).
 */
const duration: ValueGrammar = {
  name: 'time (e.g. 250ms, 1s)',
  parse(text) {
    const m = /^\s*\+?((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(text);
    const unit = m ? UNITS.find(([names]) => names.includes(m[2].toLowerCase())) : undefined;
    if (!m || !unit) return fail(`'${text}' is not a time: write a number with s, ms or us, e.g. 250ms`);
    const us = Math.trunc(Number(m[1]) * unit[1]);
    if (us >= 2 ** 63) return fail(`${text} is far too long: at most 4294 seconds can be written`);
    if (us <= 0xffffffff) return ok(us, String(us));
    // iptables stores the time in an unsigned int and keeps its low 32 bits.
    const kept = Number(BigInt.asUintN(32, BigInt(us)));
    return ok(kept, String(kept), { message: `${text} does not fit: iptables keeps the time in 32 bits of microseconds and turns it into ${formatTime(kept)}; at most 4294 seconds can be written`, kind: 'suspicious-value' });
  },
};

/** How iptables (after iproute) prints a time in microseconds: %.1fs, %.1fms or %uus. */
function formatTime(us: number): string {
  // printf rounds the exact value half to even; integer arithmetic keeps it exact.
  const tenths = (unit: number) => {
    const q = Math.floor(us / unit);
    const r = us % unit;
    const up = 2 * r > unit || (2 * r === unit && q % 2 === 1);
    const t = q + (up ? 1 : 0);
    return `${Math.floor(t / 10)}.${t % 10}`;
  };
  if (us >= US_PER_SEC) return `${tenths(US_PER_SEC / 10)}s`;
  if (us >= 1000) return `${tenths(100)}ms`;
  return `${us}us`;
}

export interface EstimatorSettings {
  /** Kernel interval code: the interval is 250 ms << (interval + 2), -2 to 3. */
  readonly interval: number;
  /** Averaging constant: the ewma time is the interval << ewmaLog. */
  readonly ewmaLog: number;
}

/** Why iptables refuses the times, and which option is to blame. */
interface Refusal {
  readonly option: string;
  readonly message: string;
}

/** What iptables makes of the two times, or why it refuses them. */
function settings(intervalUs: number, ewmaUs: number): EstimatorSettings | Refusal {
  let i = 0;
  while (i <= 5 && intervalUs > (1 << i) * (US_PER_SEC / 4)) i++;
  if (i > 5) return { option: '--rateest-interval', message: 'The interval is too long: iptables rounds it up to 250ms, 500ms, 1s, 2s, 4s or 8s and refuses anything above 8s' };
  let e = 1;
  for (; e < 32; e++) if (intervalUs / -Math.log(1 - 1 / 2 ** e) > ewmaUs) break;
  e--;
  if (e === 0 || e >= 31)
    return { option: '--rateest-ewmalog', message: 'The averaging time --rateest-ewmalog must be at least about 1.45 times --rateest-interval (e.g. 250ms and 500ms), and less than 2^30 times it' };
  return { interval: i - 2, ewmaLog: e };
}

function computed(ext: ParsedExtension): EstimatorSettings | Refusal | undefined {
  const interval = findOption(ext, '--rateest-interval')?.values[0] as number | undefined;
  const ewma = findOption(ext, '--rateest-ewmalog')?.values[0] as number | undefined;
  return interval === undefined || ewma === undefined ? undefined : settings(interval, ewma);
}

export const RATEEST: TargetSpec = {
  kind: 'target',
  name: 'RATEEST',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Feed the packet into a named rate estimator, read later with -m rateest',
  doc: `RATEEST counts the packets and bytes that hit the rule into a named rate estimator, which keeps a smoothed rate in bytes and packets per second. Other rules read it with \`-m rateest\`, for example to send new connections over the less busy uplink. The packet goes on to the next rule.

It works in any table and chain.

\`\`\`iptables
*mangle
-A POSTROUTING -o eth0 -j RATEEST --rateest-name wan0 --rateest-interval 250ms --rateest-ewmalog 1s
-A POSTROUTING -o eth0 -m rateest --rateest wan0 --rateest-gt --rateest-bps 50mbit -j CLASSIFY --set-class 1:20
COMMIT
\`\`\`

- The estimator must exist before a rule reads it: put the RATEEST rule first, in the same chain. iptables-legacy checks chains in hook order, not file order, and refuses a \`-m rateest\` rule whose estimator comes later.
- RATEEST rules with the same name add into one estimator.
- The interval is rounded up to 250ms, 500ms, 1s, 2s, 4s or 8s.`,
  options: [
    { names: ['--rateest-name'], args: [estimatorName], doc: `Name of the estimator (at most 15 characters), which \`-m rateest --rateest NAME\` reads. Rules with the same name feed the same estimator.` },
    { names: ['--rateest-interval'], args: [duration], doc: `How often the rate is sampled, e.g. \`250ms\` or \`1s\`; iptables rounds it up to 250ms, 500ms, 1s, 2s, 4s or 8s.` },
    { names: ['--rateest-ewmalog'], args: [duration], doc: `Averaging time of the smoothed rate, e.g. \`1s\`: a longer time reacts more slowly but jumps less. It must be at least about 1.5 times the interval.` },
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    for (const [name, example] of [['--rateest-name', 'NAME'], ['--rateest-interval', '250ms'], ['--rateest-ewmalog', '1s']])
      if (!findOption(ext, name)) problems.push({ kind: 'missing-required-option', message: `-j RATEEST needs ${name} ${example} (it takes --rateest-name, --rateest-interval and --rateest-ewmalog)` });
    const s = computed(ext);
    if (s && 'message' in s) problems.push({ kind: 'invalid-value', message: s.message, option: findOption(ext, s.option) });
    return problems;
  },
  print(ext) {
    // iptables stores codes and prints the times they stand for: the interval rounded up
    // to a power of two times 250ms, the ewma time as interval << ewmaLog (in 32 bits).
    const s = computed(ext);
    const name = findOption(ext, '--rateest-name')?.canonical[0] ?? '';
    if (s === undefined || 'message' in s) return ['--rateest-name', name];
    const intervalUs = (US_PER_SEC << (s.interval + 2)) / 4;
    const ewmaUs = Number(BigInt.asUintN(32, BigInt(intervalUs) << BigInt(s.ewmaLog)));
    return ['--rateest-name', name, '--rateest-interval', formatTime(intervalUs), '--rateest-ewmalog', formatTime(ewmaUs)];
  },
};

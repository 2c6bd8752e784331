import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ParsedExtension, ParsedOption, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { findOption as opt } from '../parsed';

const pad = (n: number): string => String(n).padStart(2, '0');
const formatDaytime = (s: number): string => `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;

/** `hh:mm[:ss]` in decimal (leading zeros are fine). Value: seconds since midnight. */
const daytime: ValueGrammar = {
  name: 'time (hh:mm[:ss])',
  parse(text) {
    const m = /^[ \t\n\v\f\r]*([0-9]+):([0-9]+)(?::([0-9]+))?$/.exec(text);
    const [h, min, s] = m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [NaN, NaN, NaN];
    if (!m || h > 23 || min > 59 || s > 59) return fail(`'${text}' is not a valid time of day: write hh:mm or hh:mm:ss, from 00:00:00 to 23:59:59`);
    const value = h * 3600 + min * 60 + s;
    return ok(value, formatDaytime(value));
  },
};

/** iptables' default --datestop: the largest signed 32-bit time. */
const DATE_MAX = 2 ** 31 - 1;

function formatDate(t: number): string {
  const d = new Date(t * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * `YYYY[-MM[-DD[Thh[:mm[:ss]]]]]` in UTC, years 1970 to 2038. Like iptables, a zero or
 * out-of-month day is carried over (2020-02-30 is 2020-03-01, month 0 is December of the
 * year before). Value: seconds since 1970-01-01 UTC.
 */
const date: ValueGrammar = {
  name: 'date (YYYY[-MM[-DD[Thh[:mm[:ss]]]]])',
  parse(text) {
    const m = /^([0-9]+)(?:-([0-9]*)(?:-([0-9]*)(?:T([0-9]*)(?::([0-9]*)(?::([0-9]*))?)?)?)?)?$/.exec(text);
    const bad = () => fail(`'${text}' is not a valid date: write YYYY[-MM[-DD[Thh[:mm[:ss]]]]], e.g. 2024-12-24T18:00, between 1970 and 2038`);
    if (!m) return bad();
    // A part left out takes its default; a part written empty (`2020-`) counts as 0.
    const field = (i: number, absent: number): number => (m[i] === undefined ? absent : Number(m[i] || 0));
    const [year, month, day, h, min, s] = [Number(m[1]), field(2, 1), field(3, 1), field(4, 0), field(5, 0), field(6, 0)];
    if (year < 1970 || year > 2038 || month > 12 || day > 31 || h > 23 || min > 59 || s > 59) return bad();
    const t = Date.UTC(year, month - 1, day, h, min, s) / 1000;
    if (t < 0) return bad();
    return ok(t, formatDate(t));
  },
};

/** Parses the comma-separated numbers of --monthdays (empty entries are skipped). */
const monthdays: ValueGrammar = {
  name: 'day of month (1-31)[,...]',
  parse(text) {
    const days = new Set<number>();
    let offset = 0;
    for (const part of text.split(',')) {
      const at: [number, number] = [offset, offset + part.length];
      offset += part.length + 1;
      if (part === '') continue;
      if (!/^[0-9]+$/.test(part) || Number(part) > 31) return fail(`'${part}' is not a day of the month: use 1 to 31`, { at });
      days.add(Number(part));
    }
    const list = [...days].sort((a, b) => a - b);
    const warning = days.has(0) ? { message: 'day 0 does not exist: iptables accepts it, but it never matches' } : undefined;
    return ok(list, list.join(','), warning);
  },
};

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * --weekdays: 1 to 7 or names, of which iptables compares only the first two letters
 * (case-sensitive: `Mo`, `Monday` and `Mox` are all Monday). Value: day numbers (1 = Monday).
 */
const weekdays: ValueGrammar = {
  name: 'weekday (Mon..Sun or 1-7)[,...]',
  choices: WEEKDAYS,
  parse(text) {
    const days = new Set<number>();
    let offset = 0;
    let warning: { message: string; at: [number, number] } | undefined;
    for (const part of text.split(',')) {
      const at: [number, number] = [offset, offset + part.length];
      offset += part.length + 1;
      if (/^[0-9]+$/.test(part) || part === '') {
        const n = Number(part || 0);
        if (n === 0) return fail(`'${part}' is not a weekday: days are numbered 1 (Monday) to 7 (Sunday)`, { at });
        if (n > 7) warning ??= { message: `day ${n} does not exist: iptables accepts it, but it never matches (use 1 to 7)`, at };
        days.add(n);
        continue;
      }
      const i = WEEKDAYS.findIndex((d) => part.length >= 2 && d.startsWith(part.slice(0, 2)));
      if (i === -1) return fail(`'${part}' is not a weekday: use Mon, Tue, Wed, Thu, Fri, Sat, Sun (first letter upper case) or 1 to 7`, { at });
      days.add(i + 1);
    }
    const list = [...days].sort((a, b) => a - b);
    return ok(list, list.map((d) => WEEKDAYS[d - 1] ?? String(d)).join(','), warning);
  },
};

const val = <T>(ext: ParsedExtension, name: string): T | undefined => opt(ext, name)?.values[0] as T | undefined;

/** The set a day list option selects once negation is applied (iptables stores the complement). */
function selected(o: ParsedOption | undefined, all: readonly number[]): number[] | undefined {
  if (!o) return undefined;
  const days = o.values[0] as number[];
  return o.negated ? all.filter((d) => !days.includes(d)) : days;
}

const ALL_MONTHDAYS = Array.from({ length: 31 }, (_, i) => i + 1);
const ALL_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const sameSet = (a: number[], b: readonly number[]): boolean => a.length === b.length && b.every((d) => a.includes(d));

export const time: MatchModule = {
  kind: 'match',
  name: 'time',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Time of day, weekday, day of month or date range when the packet arrives',
  doc: `Matches by when the packet arrives: time of day, day of the week, day of the month, or a date range. Use it for office-hours access, a night-time backup window, or a rule that stops working on a given date.

\`\`\`iptables
# weekdays 08:00-18:00 in UTC+1: the times are written in UTC
-A FORWARD -s 192.168.10.0/24 -m time --timestart 07:00 --timestop 17:00 --weekdays Mon,Tue,Wed,Thu,Fri -j ACCEPT
\`\`\`

- Times are UTC unless you add \`--kerneltz\`, and the kernel's time zone is often never set or not updated for daylight saving time.
- Only packets are checked, not connections: if RELATED,ESTABLISHED is accepted earlier, a connection opened inside the window stays open after it ends.
- A window that crosses midnight works, but with \`--weekdays\` both pieces belong to the listed day (Monday 00:00-01:00 and Monday 23:00-24:00). Add \`--contiguous\` for one stretch into the next morning.
- A bare date means 00:00:00 of that day: \`--datestop 2025-12-31\` ends as Dec 31 begins.`,
  // In the order iptables-save prints them.
  options: [
    { names: ['--timestart'], args: [daytime], doc: 'Start of the daily window, `hh:mm` or `hh:mm:ss`, in UTC unless `--kerneltz`. Default 00:00:00.' },
    { names: ['--timestop'], args: [daytime], doc: 'End of the daily window, included, in UTC unless `--kerneltz` (default 23:59:59). When it is earlier than `--timestart`, the window runs past midnight.' },
    { names: ['--monthdays'], args: [monthdays], negatable: true, doc: 'Days of the month, 1 to 31, comma-separated. A month without that day (February 30) simply never matches it.' },
    { names: ['--weekdays'], args: [weekdays], negatable: true, doc: 'Days of the week, comma-separated: `Mon` to `Sun` (only the first two letters count, and case matters: `Mo`, `Tu`) or 1 (Monday) to 7 (Sunday).' },
    { names: ['--datestart'], args: [date], doc: 'First moment the rule can match, `YYYY[-MM[-DD[Thh[:mm[:ss]]]]]`, in UTC unless `--kerneltz`.' },
    { names: ['--datestop'], args: [date], doc: 'Last moment the rule can match, included, same format. A bare date means 00:00:00 of that day; add `T23:59:59` to include the whole day.' },
    { names: ['--kerneltz'], args: [], doc: 'Reads all times in the kernel\'s time zone instead of UTC. Many systems never set that zone or do not update it for daylight saving time, so check it before relying on it.' },
    // The old spelling of --kerneltz (a separate option, so both may be given).
    { names: ['--localtz'], args: [], doc: 'Old spelling of `--kerneltz`: times are read in the kernel\'s time zone instead of UTC.' },
    { names: ['--contiguous'], args: [], doc: 'When `--timestop` is earlier than `--timestart`, treats the window as one stretch that starts on the listed day and ends the next morning, instead of two pieces of the same day.' },
    // UTC is the default; the option is accepted and has no effect.
    { names: ['--utc'], args: [], doc: 'Reads times as UTC, which is already the default: the option changes nothing.' },
  ],
  check(ext) {
    const out: ExtensionProblem[] = [];
    const start = val<number>(ext, '--timestart') ?? 0;
    const stop = val<number>(ext, '--timestop') ?? 86399;
    const contiguous = opt(ext, '--contiguous');
    if (contiguous && start < stop)
      out.push({ kind: 'conflicting-options', message: '--contiguous only applies to a period that runs past midnight (--timestart later than --timestop): remove it', option: contiguous });
    const utc = opt(ext, '--utc');
    const local = opt(ext, '--kerneltz') ?? opt(ext, '--localtz');
    if (utc && local) out.push({ kind: 'conflicting-options', message: `--utc and ${local.written} exclude each other: times are UTC unless --kerneltz is given`, option: utc.index > local.index ? utc : local });
    const dateStart = val<number>(ext, '--datestart');
    const dateStop = val<number>(ext, '--datestop');
    if (dateStart !== undefined && dateStop !== undefined && dateStart > dateStop)
      out.push({ kind: 'suspicious-value', message: '--datestart is after --datestop: the rule never matches', option: opt(ext, '--datestop') });
    return out;
  },
  print(ext) {
    const out: string[] = [];
    const start = opt(ext, '--timestart');
    const stop = opt(ext, '--timestop');
    if ((start && start.values[0] !== 0) || (stop && stop.values[0] !== 86399))
      out.push('--timestart', start?.canonical[0] ?? '00:00:00', '--timestop', stop?.canonical[0] ?? '23:59:59');
    // Negated day lists are stored (and printed) as the days they leave.
    const mdays = selected(opt(ext, '--monthdays'), ALL_MONTHDAYS);
    if (mdays && !sameSet(mdays, ALL_MONTHDAYS)) out.push('--monthdays', mdays.filter((d) => d > 0).join(','));
    const wdays = selected(opt(ext, '--weekdays'), ALL_WEEKDAYS);
    if (wdays && !sameSet(wdays, ALL_WEEKDAYS)) out.push('--weekdays', wdays.filter((d) => d <= 7).map((d) => WEEKDAYS[d - 1]).join(','));
    const dateStart = opt(ext, '--datestart');
    if (dateStart && dateStart.values[0] !== 0) out.push('--datestart', dateStart.canonical[0]);
    // iptables 1.8 always prints the stop date, the default included.
    out.push('--datestop', opt(ext, '--datestop')?.canonical[0] ?? formatDate(DATE_MAX));
    if (opt(ext, '--kerneltz') || opt(ext, '--localtz')) out.push('--kerneltz');
    if (opt(ext, '--contiguous')) out.push('--contiguous');
    return out;
  },
};

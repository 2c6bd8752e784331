// Helpers shared by the protocol and header matches (tcp, udp, esp, frag, rt ...): port
// grammars bound to one protocol's service names, byte values that iptables truncates, and
// the printing rule most of these modules follow (a full range is left out unless negated).

import { ExtensionBase, ExtensionProblem, OptionSpec, ParsedExtension, ValueGrammar } from '../types';
import { ok, fail, parsePortRange } from '../values';
import { parseCUnsigned } from '../numbers';
export { findOption } from '../parsed';

/**
 * `port[:port]` looking up service names for one protocol only (`tcp`, `sctp`), or for any
 * protocol when `proto` is undefined (udp and dccp ask the services database without one).
 * Value: { min, max } (PortRangeValue).
 */
export function portRangeFor(proto: string | undefined): ValueGrammar {
  return { name: 'port[:port]', parse: (text, ctx) => parsePortRange(text, { family: ctx.family, protocol: proto }) };
}

/** A `{ min, max }` value that covers every number up to `max`. */
export const isFullRange = (v: unknown, max: number): boolean => {
  const r = v as { min: number; max: number } | undefined;
  return r !== undefined && r.min === 0 && r.max === max;
};

/**
 * Prints options in catalogue order, leaving out the range options listed in `fullMax`
 * when they cover everything and are not negated (iptables-save omits them; a negated
 * full range is printed as `0:max`).
 */
export function printSkippingFullRanges(spec: ExtensionBase, ext: ParsedExtension, fullMax: Readonly<Record<string, number>>): string[] {
  const out: string[] = [];
  for (const s of spec.options) {
    for (const o of ext.options) {
      if (o.spec !== s) continue;
      const max = fullMax[s.names[0]];
      if (max !== undefined && !o.negated && isFullRange(o.values[0], max)) continue;
      const args = max !== undefined && isFullRange(o.values[0], max) ? [`0:${max}`] : o.canonical;
      out.push(...(o.negated ? ['!'] : []), s.names[0], ...args);
    }
  }
  return out;
}

/**
 * A number iptables reads with strtol and then stores in 8 bits (hbh/dst option types and
 * lengths): a minus sign and values above 255 are accepted but wrap around, which we warn
 * about. Value: the stored byte (0-255).
 */
export function parseWrappedByte(text: string, what: string): { value: number; warning?: string } | { error: string } {
  const negative = text.startsWith('-');
  const n = parseCUnsigned(negative ? text.slice(1) : text);
  if (n === undefined) return { error: text === '' ? `A number is missing (${what})` : `'${text}' is not a number (${what})` };
  const stored = Number(((negative ? -n : n) % 256n + 256n) % 256n);
  if (!negative && n <= 255n) return { value: stored };
  return { value: stored, warning: `${what} ${text} does not fit in 0-255: iptables keeps only the low 8 bits and stores ${stored}` };
}

/** Problems for options of `ext` that may not be combined (iptables names the later one). */
export function exclusive(ext: ParsedExtension, names: readonly string[], hint = ''): ExtensionProblem[] {
  const given = ext.options.filter((o) => names.includes(o.spec.names[0]));
  if (given.length < 2) return [];
  const [first, second] = [...given].sort((a, b) => a.index - b.index);
  return [{ kind: 'conflicting-options', message: `${second.written} cannot be combined with ${first.written}${hint}`, option: second }];
}

/** A problem when none of `names` is given. */
export function requireOneOf(ext: ParsedExtension, module: string, names: readonly string[], example: string): ExtensionProblem[] {
  if (ext.options.some((o) => names.includes(o.spec.names[0]))) return [];
  const list = names.length === 1 ? names[0] : `one of ${names.join(', ')}`;
  return [{ kind: 'missing-required-option', message: `-m ${module} needs ${list}, for example ${example}` }];
}

/** A flag option (no argument). */
export const flag = (name: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({ names: [name], args: [], ...extra });

/** A whole number 0..max printed in decimal, with a warning when `warn` says the value cannot work. Value: number. */
export function uintWarn(name: string, max: number, warn?: (v: number) => string | undefined): ValueGrammar {
  return {
    name,
    parse(text) {
      const n = parseCUnsigned(text);
      if (n === undefined || n > BigInt(max)) return fail(`'${text}' is not a valid ${name}: expected a whole number from 0 to ${max}`);
      const v = Number(n);
      const w = warn?.(v);
      return ok(v, String(v), w ? { message: w, kind: 'suspicious-value' } : undefined);
    },
  };
}

// Helpers shared by the packet-mangling and special targets (DSCP, TOS, TTL, HMARK, SET,
// TCPMSS ...): option lookup, the checks most of them need (one action required, actions
// that exclude each other) and the fixed-width hex numbers their save functions print.

import { ExtensionProblem, OptionSpec, ParsedExtension, ParsedOption, RuleContext, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';

/** The option of `ext` whose printed name is `name` (the last one when repeated). */
export function findOption(ext: ParsedExtension, name: string): ParsedOption | undefined {
  let found: ParsedOption | undefined;
  for (const o of ext.options) if (o.spec.names[0] === name) found = o;
  return found;
}

/** An option without argument. */
export const flag = (name: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({ names: [name], args: [], ...extra });

/** `0x` followed by at least `width` hex digits, as C's `0x%0Nx` prints. */
export const hexPadded = (n: number, width: number): string => '0x' + n.toString(16).padStart(width, '0');

/**
 * An unsigned number in C syntax (`16`, `0x10`, `020`) from `min` to `max`.
 * Value: number. Printed in decimal, or as `0x%0<width>x` when `hexWidth` is given.
 */
export function cNumber(name: string, min: number, max: number, hexWidth?: number): ValueGrammar {
  return {
    name,
    parse(text) {
      const v = parseCUnsigned(text);
      if (v === undefined || v < BigInt(min) || v > BigInt(max))
        return fail(`'${text}' is not a valid ${name}: expected a whole number from ${min} to ${max}`);
      const n = Number(v);
      return ok(n, hexWidth === undefined ? String(n) : hexPadded(n, hexWidth));
    },
  };
}

/**
 * A number iptables reads as 32 bits and then silently cuts to `bits` bits (SYNPROXY's
 * --mss and --wscale). Value: the number the kernel gets. A larger number is accepted
 * with a warning naming what it becomes.
 */
export function truncatedNumber(name: string, bits: number): ValueGrammar {
  const max = 2 ** bits - 1;
  return {
    name,
    parse(text) {
      const v = parseCUnsigned(text);
      if (v === undefined || v > 0xffffffffn) return fail(`'${text}' is not a valid ${name}: expected a whole number from 0 to ${max}`);
      const n = Number(v) % 2 ** bits;
      const warning =
        v > BigInt(max)
          ? { message: `${name} ${text} is too large: iptables keeps only the low ${bits} bits, so the kernel gets ${n}; the largest value is ${max}`, kind: 'suspicious-value' }
          : undefined;
      return ok(n, String(n), warning);
    },
  };
}

/** Options of `names` that appear in `ext`, in the order written. */
const present = (ext: ParsedExtension, names: readonly string[]): ParsedOption[] => ext.options.filter((o) => names.includes(o.spec.names[0]));

/** `missing-required-option` with `message` when none of `names` is given. */
export function requireOne(ext: ParsedExtension, names: readonly string[], message: string): ExtensionProblem[] {
  return present(ext, names).length === 0 ? [{ kind: 'missing-required-option', message }] : [];
}

/**
 * `conflicting-options` on the second of two options from `names` (iptables refuses any
 * pair of them in one rule). `what` says in a few words what each of them does.
 */
export function exclusive(ext: ParsedExtension, names: readonly string[], what: string): ExtensionProblem[] {
  const given = present(ext, names);
  if (given.length < 2) return [];
  const [first, second] = given;
  return [
    {
      kind: 'conflicting-options',
      message: `${second.written} cannot be combined with ${first.written}: ${what}. Keep only one of them`,
      option: second,
    },
  ];
}

/** True when the rule matches exactly TCP (`-p tcp`, not negated), as the kernel requires. */
export const isTcpRule = (rule: RuleContext): boolean => rule.protocol === 'tcp' && !rule.protocolNegated;

// `value[/mask]` or a name from an iproute2 table (realm: /etc/iproute2/rt_realms, devgroup:
// /etc/iproute2/group). Numbers are 32-bit in C syntax and print in hex; a name cannot carry
// a mask. Names are looked up on the machine that loads the rules, so we only know the ones
// every iproute2 installation ships; others are accepted as written.

import { ValueGrammar } from '../types';
import { parseCUnsigned, parseUInt } from '../numbers';
import { fail, ok } from '../values';

export interface NamedValue {
  /** Undefined for a name we cannot resolve here. */
  readonly value?: number;
  readonly mask: number;
  readonly name?: string;
}

const FULL = 0xffffffff;

/**
 * Value: NamedValue. `names` maps the standard names to their numbers; a full-mask value
 * that has a standard name is printed as that name, as iptables-save does.
 */
export function namedValueMask(what: string, names: Readonly<Record<string, number>>): ValueGrammar {
  const byValue = new Map(Object.entries(names).map(([n, v]) => [v, n]));
  return {
    name: `${what}[/mask] or name`,
    parse(text) {
      const slash = text.indexOf('/');
      const valueText = slash === -1 ? text : text.slice(0, slash);
      const value = parseUInt(valueText, 0, FULL);
      if (value === undefined) {
        if (parseCUnsigned(valueText) !== undefined)
          return fail(`${valueText} is too large: a ${what} is a 32-bit number (at most 0xffffffff)`, { at: [0, valueText.length] });
        if (slash !== -1) return fail(`A ${what} name cannot take a mask: write the number instead of '${valueText}'`, { at: [0, valueText.length] });
        if (!/^[A-Za-z_][\w.-]*$/.test(text)) return fail(`'${text}' is neither a number nor a ${what} name`);
        const known = names[text];
        const v: NamedValue = known === undefined ? { mask: FULL, name: text } : { value: known, mask: FULL, name: text };
        return ok(v, text);
      }
      let mask = FULL;
      if (slash !== -1) {
        const maskText = text.slice(slash + 1);
        const m = parseUInt(maskText, 0, FULL);
        if (m === undefined) return fail(`'${maskText}' is not a valid mask: expected a number up to 0xffffffff`, { at: [slash + 1, text.length] });
        mask = m;
      }
      const named = mask === FULL ? byValue.get(value) : undefined;
      const canonical = named ?? (mask === FULL ? `0x${value.toString(16)}` : `0x${value.toString(16)}/0x${mask.toString(16)}`);
      return ok({ value, mask, name: named } satisfies NamedValue, canonical);
    },
  };
}

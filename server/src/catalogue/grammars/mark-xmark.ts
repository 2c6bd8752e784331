// Mark arguments of the MARK, CONNMARK and TPROXY targets. The kernel only knows one
// operation, "clear the bits of mask, then XOR value" (--set-xmark); iptables translates the
// friendlier spellings into it and iptables-save prints the result as `0xVALUE/0xMASK`.

import { ValueGrammar } from '../types';
import { parseUInt } from '../numbers';
import { fail, ok } from '../values';

export interface XMark {
  /** Bits XORed into the mark after clearing. */
  readonly value: number;
  /** Bits cleared first. */
  readonly mask: number;
}

const ALL = 0xffffffff;
export const hex = (n: number): string => '0x' + (n >>> 0).toString(16);
export const formatXMark = (m: XMark): string => `${hex(m.value)}/${hex(m.mask)}`;

/** Splits `value[/mask]` (32-bit C numbers); the mask defaults to all ones. */
function parseValueMask(text: string, what: string): { value: number; mask: number } | ReturnType<typeof fail> {
  const slash = text.indexOf('/');
  const valueText = slash === -1 ? text : text.slice(0, slash);
  const value = parseUInt(valueText, 0, ALL);
  if (value === undefined) return fail(`'${valueText}' is not a valid ${what}: expected a number from 0 to 0xffffffff`, { at: [0, valueText.length] });
  if (slash === -1) return { value, mask: ALL };
  const maskText = text.slice(slash + 1);
  const mask = parseUInt(maskText, 0, ALL);
  if (mask === undefined) return fail(`'${maskText}' is not a valid mask: expected a number from 0 to 0xffffffff`, { at: [slash + 1, text.length] });
  return { value, mask };
}

/** `value[/mask]` taken as is (--set-xmark, --tproxy-mark). Value: XMark. */
export const xmark: ValueGrammar = {
  name: 'value[/mask]',
  parse(text) {
    const r = parseValueMask(text, 'mark');
    if ('ok' in r) return r;
    return ok(r satisfies XMark, formatXMark(r));
  },
};

/** `value[/mask]` meaning "set these bits of the mark" (--set-mark): clears value|mask. Value: XMark. */
export const setMark: ValueGrammar = {
  name: 'value[/mask]',
  parse(text) {
    const r = parseValueMask(text, 'mark');
    if ('ok' in r) return r;
    const m: XMark = { value: r.value, mask: (r.mask | r.value) >>> 0 };
    return ok(m, formatXMark(m));
  },
};

/** A 32-bit number (--and-mark, --or-mark, --xor-mark, --nfmask ...). Value: number. */
export function bits32(what: string): ValueGrammar {
  return {
    name: what,
    parse(text) {
      const v = parseUInt(text, 0, ALL);
      return v === undefined ? fail(`'${text}' is not valid here: expected one number from 0 to 0xffffffff (${what})`) : ok(v, hex(v));
    },
  };
}

/** What --and-mark, --or-mark and --xor-mark BITS stand for. */
export const andMark = (bits: number): XMark => ({ value: 0, mask: ~bits >>> 0 });
export const orMark = (bits: number): XMark => ({ value: bits, mask: bits });
export const xorMark = (bits: number): XMark => ({ value: bits, mask: 0 });

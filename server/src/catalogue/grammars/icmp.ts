// The `--icmp-type` / `--icmpv6-type` argument: a type name (any unique prefix, any case),
// a number, or `type/code` with an optional code range `type/min:max`.

import { ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseUInt } from '../numbers';

export interface IcmpTypeName {
  readonly name: string;
  readonly type: number;
  /** Codes the name covers; all codes (0-255) when absent. */
  readonly code?: number;
  /** Another spelling of the entry before it (ping, pong, ...). */
  readonly alias?: boolean;
}

/** Value of an ICMP type option: the type and the range of codes it matches. */
export interface IcmpTypeValue {
  readonly type: number;
  readonly code: { readonly min: number; readonly max: number };
}

/** Finds a name as iptables does: case-insensitive prefix, refusing prefixes of two names. */
export function lookupIcmpName(text: string, table: readonly IcmpTypeName[]): IcmpTypeName | IcmpTypeName[] | undefined {
  const lower = text.toLowerCase();
  const hits = table.filter((e) => e.name.toLowerCase().startsWith(lower));
  return hits.length === 1 ? hits[0] : hits.length > 1 ? hits : undefined;
}

/** `type`, `type/code` or `type/min:max`, C-style numbers, each 0-255. */
function parseNumeric(text: string): IcmpTypeValue | 'bad-type' | 'bad-code' {
  const slash = text.indexOf('/');
  const type = parseUInt(slash === -1 ? text : text.slice(0, slash), 0, 255);
  if (type === undefined) return 'bad-type';
  if (slash === -1) return { type, code: { min: 0, max: 255 } };
  const codes = text.slice(slash + 1).split(':');
  if (codes.length > 2) return 'bad-code';
  const min = parseUInt(codes[0], 0, 255);
  const max = codes.length === 2 ? parseUInt(codes[1], 0, 255) : min;
  if (min === undefined || max === undefined) return 'bad-code';
  return { type, code: { min, max } };
}

/**
 * The grammar of one family's ICMP type option. iptables-save prints numbers: the type
 * alone when every code matches, else `type/code` with the lowest code of the range;
 * `anyName` (IPv4 only) is printed for type 255 with every code. The kernel takes type
 * 255 as "every type" whatever the codes.
 */
export function icmpTypeGrammar(label: string, table: readonly IcmpTypeName[], anyName?: string): ValueGrammar {
  const print = (v: IcmpTypeValue): string => {
    const allCodes = v.code.min === 0 && v.code.max === 255;
    if (anyName && v.type === 255 && allCodes) return anyName;
    return allCodes ? String(v.type) : `${v.type}/${v.code.min}`;
  };
  return {
    name: `${label} type (name, number or type/code)`,
    choices: table.filter((e) => !e.alias).map((e) => e.name),
    parse(text) {
      const named = lookupIcmpName(text, table);
      if (Array.isArray(named))
        return fail(`'${text}' is ambiguous: it could be ${named[0].name} or ${named[1].name}${named.length > 2 ? ' (or others)' : ''}; write the name in full`);
      if (named) {
        const v: IcmpTypeValue = { type: named.type, code: named.code === undefined ? { min: 0, max: 255 } : { min: named.code, max: named.code } };
        return ok(v, print(v));
      }
      const v = parseNumeric(text);
      if (v === 'bad-type')
        return fail(`'${text}' is not a known ${label} type name or a type number from 0 to 255`);
      if (v === 'bad-code')
        return fail(`'${text}': the code after '/' must be a number from 0 to 255, or a range min:max`, { at: [text.indexOf('/') + 1, text.length] });
      const warning =
        v.code.min > v.code.max
          ? { message: `The code range ${v.code.min}:${v.code.max} is reversed and matches no packet: write ${v.code.max}:${v.code.min}`, kind: 'suspicious-value' }
          : undefined;
      return ok(v, print(v), warning);
    },
  };
}

// Number parsing with the exact rules of iptables (xtables_strtoul_base, which wraps C's
// strtoumax): base 0 means `0x1f` is hexadecimal and `017` is octal, a leading minus is
// refused, and the whole text must be consumed.

/** Parses an unsigned integer as iptables does; undefined when iptables would refuse it. */
export function parseCUnsigned(text: string, base: 0 | 10 | 16 = 0): bigint | undefined {
  let s = text.replace(/^[ \t\n\v\f\r]+/, '');
  if (s.startsWith('-')) return undefined;
  if (s.startsWith('+')) s = s.slice(1);
  let radix: number = base;
  let digits = s;
  if ((radix === 0 || radix === 16) && /^0[xX][0-9a-fA-F]/.test(s)) {
    radix = 16;
    digits = s.slice(2);
  } else if (radix === 0) {
    radix = s.startsWith('0') && s.length > 1 ? 8 : 10;
    if (radix === 8) digits = s.slice(1);
  }
  const pattern = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!pattern.test(digits)) return undefined;
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '';
  return BigInt(prefix + digits);
}

/** Plain decimal numbers without a leading zero: the common case, parsed without BigInt. */
const PLAIN_DECIMAL = /^(0|[1-9]\d{0,14})$/;

/** Parses an unsigned integer within [min, max]; undefined when out of range or malformed. */
export function parseUInt(text: string, min: number, max: number, base: 0 | 10 | 16 = 0): number | undefined {
  if (base !== 16 && PLAIN_DECIMAL.test(text)) {
    const n = Number(text);
    return n >= min && n <= max ? n : undefined;
  }
  const v = parseCUnsigned(text, base);
  if (v === undefined || v < BigInt(min) || v > BigInt(max)) return undefined;
  return Number(v);
}

/** Like parseUInt for 64-bit quantities (byte counters, quotas), returned as bigint. */
export function parseUInt64(text: string, min = 0n, max = 0xffffffffffffffffn): bigint | undefined {
  const v = parseCUnsigned(text);
  if (v === undefined || v < min || v > max) return undefined;
  return v;
}

/** True when the text is written with a leading zero, which C reads as octal (`010` = 8). */
export function isOctalLooking(text: string): boolean {
  return /^0[0-7]+$/.test(text);
}

export function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}

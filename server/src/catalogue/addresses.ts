// IPv4 and IPv6 addresses and masks, parsed and printed the way iptables does.
// Addresses are held as bigint so that both families share one representation.

import { Family } from './types';
import { parseUInt } from './numbers';

export interface Address {
  readonly family: Family;
  readonly value: bigint;
}

/** An address with a (possibly non-contiguous) mask, as `-s`/`-d` hold them. */
export interface MaskedAddress {
  readonly family: Family;
  /** The address with the mask applied, as the kernel stores it. */
  readonly address: bigint;
  readonly mask: bigint;
  /** Prefix length when the mask is contiguous, else undefined. */
  readonly prefix?: number;
}

export const familyBits = (family: Family): number => (family === 'ipv4' ? 32 : 128);
const allOnes = (family: Family): bigint => (1n << BigInt(familyBits(family))) - 1n;

export function prefixMask(family: Family, prefix: number): bigint {
  const bits = familyBits(family);
  return prefix === 0 ? 0n : (allOnes(family) >> BigInt(bits - prefix)) << BigInt(bits - prefix);
}

/** The prefix length of a contiguous mask, or undefined for masks like 255.0.255.0. */
export function maskPrefix(family: Family, mask: bigint): number | undefined {
  const bits = familyBits(family);
  for (let p = 0; p <= bits; p++) if (prefixMask(family, p) === mask) return p;
  return undefined;
}

/**
 * Parses a dotted IPv4 address as iptables does (__numeric_to_ipaddr): each part is a C
 * number (so `010` is octal 8 and `0x0a` is 10), and a short form such as `10` or `10.1`
 * is completed with zeros (`10.0.0.0`, `10.1.0.0`). Masks must have all four parts.
 */
export function parseIPv4(text: string, isMask = false): bigint | undefined {
  if (text.length === 0 || text.length > 19) return undefined;
  const parts = text.split('.');
  if (parts.length > 4 || (isMask && parts.length !== 4)) return undefined;
  let value = 0n;
  for (let i = 0; i < 4; i++) {
    const part = parts[i];
    const byte = part === undefined ? 0 : parseUInt(part, 0, 255);
    if (byte === undefined) return undefined;
    value = (value << 8n) | BigInt(byte);
  }
  return value;
}

export function formatIPv4(value: bigint): string {
  const v = Number(value);
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** Parses an IPv6 address as inet_pton(AF_INET6) does, including a trailing dotted IPv4 part. */
export function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined;
  let head = text;
  let tailWords: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = text.slice(lastColon + 1);
    if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return undefined;
    const bytes = v4.split('.').map(Number);
    if (bytes.some((b, i) => b > 255 || (v4.split('.')[i].length > 1 && v4.split('.')[i].startsWith('0')))) return undefined;
    tailWords = [(bytes[0] << 8) | bytes[1], (bytes[2] << 8) | bytes[3]];
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parseGroups(halves[0]);
  const right = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!left || !right) return undefined;
  const given = left.length + right.length + tailWords.length;
  let words: number[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    words = [...left, ...new Array<number>(8 - given).fill(0), ...right, ...tailWords];
  } else {
    if (given !== 8) return undefined;
    words = [...left, ...tailWords];
  }
  return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** Formats an IPv6 address exactly as glibc's inet_ntop does. */
export function formatIPv6(value: bigint): string {
  const words: number[] = [];
  for (let i = 7; i >= 0; i--) words.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // Longest run of zero words (at least two), first one on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestStart !== -1 && i >= bestStart && i < bestStart + bestLen) {
      if (i === bestStart) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // Embedded IPv4 for ::a.b.c.d and ::ffff:a.b.c.d, as glibc prints them.
    if (i === 6 && bestStart === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${words[6] >> 8}.${words[6] & 255}.${words[7] >> 8}.${words[7] & 255}`;
      break;
    }
    out += words[i].toString(16);
  }
  if (bestStart !== -1 && bestStart + bestLen === 8) out += ':';
  return out;
}

export function parseAddress(family: Family, text: string): bigint | undefined {
  return family === 'ipv4' ? parseIPv4(text) : parseIPv6(text);
}

export function formatAddress(family: Family, value: bigint): string {
  return family === 'ipv4' ? formatIPv4(value) : formatIPv6(value);
}

/** Prints an address with its mask as iptables-save does: `/len` when contiguous, else the mask. */
export function formatMasked(m: MaskedAddress): string {
  const mask = m.prefix !== undefined ? String(m.prefix) : formatAddress(m.family, m.mask);
  return `${formatAddress(m.family, m.address)}/${mask}`;
}

export function looksLikeIPv6(text: string): boolean {
  return text.includes(':') && /^[0-9a-fA-F:.]+(\/.*)?$/.test(text);
}

export function looksLikeIPv4(text: string): boolean {
  return /^[0-9]+(\.[0-9a-fA-FxX]*)*(\/.*)?$/.test(text) || /^0[xX]/.test(text);
}

export { allOnes };

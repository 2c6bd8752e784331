// Addresses as the target options of type "host" and "host/mask" take them (TEE --gateway,
// TPROXY --on-ip, NETMAP --to, DNPT/SNPT prefixes). iptables hands these to getaddrinfo, not
// to its own -s/-d parser, so IPv4 follows inet_aton: `1.2.3` is 1.2.0.3 (the last part
// fills the remaining bytes), `010` is octal and `0x0a` hex. Host names are resolved once,
// at load time. A mask is a prefix length, else an address-shaped mask; a mask with holes
// counts as a full-length one (iptables turns its "no prefix" answer into all ones).

import { Family, ValueProblem } from '../types';
import { familyBits, formatAddress, maskPrefix, parseIPv6, prefixMask } from '../addresses';
import { parseCUnsigned, parseUInt } from '../numbers';

const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

/** IPv4 text as inet_aton reads it: one to four C numbers, the last one filling the rest. */
export function parseInetAton(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => !/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(p))) return undefined;
  const nums = parts.map((p) => parseCUnsigned(p));
  if (nums.some((n) => n === undefined)) return undefined;
  let value = 0n;
  for (let i = 0; i < nums.length - 1; i++) {
    if (nums[i]! > 255n) return undefined;
    value |= nums[i]! << BigInt(24 - 8 * i);
  }
  const restBits = BigInt(32 - 8 * (nums.length - 1));
  const last = nums[nums.length - 1]!;
  if (last >= 1n << restBits) return undefined;
  return value | last;
}

/** IPv4 text as inet_pton reads it: exactly four decimal bytes, no leading zeros. */
export function parseInetPton4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

/** inet_aton reads `010` as octal and `1.2.3` as 1.2.0.3: say what such a spelling means. */
function shortFormWarning(text: string, address: bigint): ValueProblem | undefined {
  const parts = text.split('.');
  const means = formatAddress('ipv4', address);
  if (parts.some((p) => /^0[0-9]/.test(p)))
    return { message: `'${text}' has a part with a leading zero, which iptables reads as octal (it means ${means})`, kind: 'octal-address' };
  if (parts.length < 4 || parts.some((p) => /^0[xX]/.test(p))) return { message: `'${text}' is a short or hexadecimal form of ${means}: write ${means}` };
  return undefined;
}

export type HostResult =
  | { ok: true; address?: bigint; hostname?: string; warning?: ValueProblem }
  | { ok: false; message: string; kind?: string };

const familyName = (f: Family) => (f === 'ipv4' ? 'IPv4' : 'IPv6');

/** One address or host name for `family`, as getaddrinfo would accept it. */
export function parseHost(text: string, family: Family): HostResult {
  const address = family === 'ipv4' ? parseInetAton(text) : parseIPv6(text);
  if (address !== undefined) return { ok: true, address, warning: family === 'ipv4' ? shortFormWarning(text, address) : undefined };
  if (family === 'ipv4' && text.includes(':') && parseIPv6(text) !== undefined)
    return { ok: false, message: `'${text}' is an IPv6 address in an IPv4 rule (use ip6tables / a rules.v6 file)`, kind: 'family-mismatch' };
  if (family === 'ipv6' && parseInetPton4(text) !== undefined)
    return { ok: false, message: `'${text}' is an IPv4 address in an IPv6 rule (use iptables / a rules.v4 file)`, kind: 'family-mismatch' };
  if (!HOST_NAME.test(text) || !/[A-Za-z_]/.test(text) || /^0[xX][0-9a-fA-F]*$/.test(text))
    return { ok: false, message: `'${text}' is not a valid ${familyName(family)} address` };
  return {
    ok: true,
    hostname: text,
    warning: { message: `'${text}' is a host name: iptables resolves it through DNS once, when the rules are loaded, and fails to load them if it cannot`, kind: 'hostname' },
  };
}

export interface HostMaskParse {
  readonly family: Family;
  /** The address as written (not masked); undefined for a host name. */
  readonly address?: bigint;
  readonly hostname?: string;
  /** Prefix length; a mask with holes gives the full length, as in iptables. */
  readonly prefix: number;
  /** The mask had holes (iptables silently replaced it by a full one). */
  readonly holes: boolean;
  /** No `/` was written. */
  readonly bare: boolean;
}

/** `address[/len|/mask]`; `at` ranges in problems are relative to `text`. */
export function parseHostMask(text: string, family: Family): { ok: true; value: HostMaskParse; warning?: ValueProblem } | ({ ok: false } & ValueProblem) {
  const bits = familyBits(family);
  const slash = text.indexOf('/');
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const host = parseHost(addrText, family);
  if (!host.ok) return { ok: false, message: host.message, kind: host.kind, at: [0, addrText.length] };
  const warning = host.warning ? { ...host.warning, at: [0, addrText.length] as [number, number] } : undefined;
  if (slash === -1) return { ok: true, value: { family, address: host.address, hostname: host.hostname, prefix: bits, holes: false, bare: true }, warning };
  const maskText = text.slice(slash + 1);
  const at: [number, number] = [slash + 1, text.length];
  let prefix = parseUInt(maskText, 0, bits);
  let holes = false;
  if (prefix === undefined) {
    const mask = family === 'ipv4' ? parseInetAton(maskText) : parseIPv6(maskText);
    if (mask === undefined) return { ok: false, message: `'/${maskText}' is neither a prefix length (0 to ${bits}) nor a network mask`, at };
    const p = maskPrefix(family, mask);
    holes = p === undefined;
    prefix = p ?? bits;
  }
  return { ok: true, value: { family, address: host.address, hostname: host.hostname, prefix, holes, bare: false }, warning };
}

/** The address with the bits beyond `prefix` cleared. */
export const maskedAddress = (family: Family, address: bigint, prefix: number): bigint => address & prefixMask(family, prefix);

export { formatAddress };

// `address[/mask]` as the options of type "host/mask" take it (policy --tunnel-src/-dst,
// ipvs --vaddr). Unlike -s/-d, iptables keeps the address unmasked and prints it as written
// (`1.2.3.4/16` stays `1.2.3.4/16`), leaves the mask out when it is a full one or not
// contiguous, and reads the prefix length as a number up to 128 in both families.

import { Family, ValueGrammar } from '../types';
import { familyBits, formatAddress, maskPrefix, parseAddress, parseIPv4, parseIPv6, prefixMask } from '../addresses';
import { parseUInt } from '../numbers';
import { fail, ok } from '../values';

export interface HostMaskValue {
  readonly family: Family;
  /** The address as written (not masked); undefined for a host name resolved at load time. */
  readonly address?: bigint;
  readonly mask: bigint;
  /** Prefix length when the mask is contiguous. */
  readonly prefix?: number;
  readonly hostname?: string;
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

/** Value: HostMaskValue. */
export const hostMask: ValueGrammar = {
  name: 'address[/mask]',
  parse(text, ctx) {
    const family = ctx.family;
    const bits = familyBits(family);
    const slash = text.indexOf('/');
    const addrText = slash === -1 ? text : text.slice(0, slash);
    let mask = prefixMask(family, bits);
    let prefix: number | undefined = bits;
    let warning: { message: string; at: [number, number] } | undefined;
    if (slash !== -1) {
      const maskText = text.slice(slash + 1);
      const at: [number, number] = [slash + 1, text.length];
      const n = parseUInt(maskText, 0, 128);
      if (n !== undefined) {
        prefix = Math.min(n, bits);
        mask = prefixMask(family, prefix);
        if (n > bits) warning = { message: `/${maskText} is longer than an IPv4 address: iptables takes it as /32`, at };
      } else {
        const m = family === 'ipv4' ? parseIPv4(maskText, true) : parseIPv6(maskText);
        if (m === undefined) return fail(`Invalid mask '/${maskText}': use a prefix length from 0 to ${bits}${family === 'ipv4' ? ' or a dotted mask' : ''}`, { at });
        mask = m;
        prefix = maskPrefix(family, m);
      }
    }
    const address = parseAddress(family, addrText);
    const at: [number, number] = [0, addrText.length];
    if (address === undefined) {
      if (addrText.includes(',')) return fail('Only one address is allowed here, not a list', { at });
      if (family === 'ipv4' && addrText.includes(':') && parseIPv6(addrText) !== undefined)
        return fail(`'${addrText}' is an IPv6 address in an IPv4 rule`, { at, kind: 'family-mismatch' });
      if (family === 'ipv6' && /^\d+\.\d+\.\d+\.\d+$/.test(addrText))
        return fail(`'${addrText}' is an IPv4 address in an IPv6 rule`, { at, kind: 'family-mismatch' });
      if (!HOST_NAME.test(addrText) || !/[A-Za-z]/.test(addrText))
        return fail(`'${addrText}' is not a valid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`, { at });
      const value: HostMaskValue = { family, mask, prefix, hostname: addrText };
      return ok(value, text, { message: `'${addrText}' is a host name: iptables resolves it through DNS once, when the rules are loaded`, at, kind: 'hostname' });
    }
    const value: HostMaskValue = { family, address, mask, prefix };
    // A full or non-contiguous mask is not printed at all.
    const suffix = prefix === undefined || prefix === bits ? '' : `/${prefix}`;
    return ok(value, formatAddress(family, address) + suffix, warning);
  },
};

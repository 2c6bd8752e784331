// Arguments of the NAT targets: `[addr[-addr]][:port[-port[/base]]]` (DNAT --to-destination,
// SNAT --to-source) and `port[-port]` (MASQUERADE/REDIRECT --to-ports), read the way
// iptables does: addresses with inet_pton (strict dotted quads, IPv6 in brackets when a
// port follows), ports as C numbers where only a single port or a base may be a service
// name, ranges written with a dash.

import { ExtensionProblem, Family, ParsedExtension, RuleContext, ValueGrammar, ValueProblem, ValueResult } from '../types';
import { SERVICES } from '../data/netdb';
import { formatAddress, parseIPv6 } from '../addresses';
import { fail, ok, protocolNumber } from '../values';
import { parseInetPton4 } from './xt-host';

export interface NatPorts {
  readonly min: number;
  readonly max: number;
  /** Shifted mapping (DNAT only): the port that maps to `min`. */
  readonly base?: number;
}

export interface NatRange {
  /** The new address range; absent when only the port changes. */
  readonly addresses?: { readonly family: Family; readonly min: bigint; readonly max: bigint };
  readonly ports?: NatPorts;
}

/** How a target treats `/base` after a port range. */
export type BaseMode = 'kept' | 'dropped' | 'refused';

/** strtoumax(base 0) from `pos`: the number and where it stopped, or undefined without digits. */
function scanNumber(text: string, pos: number): { value: bigint; end: number } | undefined {
  let i = pos;
  if (text[i] === '-') return undefined; // iptables refuses a minus sign before strtoumax sees it
  if (text[i] === '+') i++;
  let m: RegExpExecArray | null;
  const rest = text.slice(i);
  if ((m = /^0[xX][0-9a-fA-F]+/.exec(rest))) return { value: BigInt(m[0]), end: i + m[0].length };
  if ((m = /^0[0-7]*/.exec(rest))) return { value: BigInt('0o' + (m[0].slice(1) || '0')), end: i + m[0].length };
  if ((m = /^[0-9]+/.exec(rest))) return { value: BigInt(m[0]), end: i + m[0].length };
  return undefined;
}

/** getservbyname(name, NULL): the first protocol that has the name. */
function serviceAnyProtocol(name: string): number | undefined {
  for (const proto of ['tcp', 'udp', 'sctp', 'dccp']) {
    const port = SERVICES[`${name}/${proto}`];
    if (port !== undefined) return port;
  }
  return undefined;
}

type Scanned = { value: bigint; end: number } | undefined;
const inRange = (n: Scanned, min: number): boolean => !!n && n.value >= BigInt(min) && n.value <= 65535n;

/**
 * `port[-port[/base]]`; problem ranges are relative to `text`. A single port or a base may
 * be a service name, range ends may not.
 */
export function parseNatPorts(text: string, base: BaseMode): { ok: true; value: NatPorts; warning?: ValueProblem } | ({ ok: false } & ValueProblem) {
  const bad = (message: string, at: [number, number] = [0, text.length]) => ({ ok: false as const, message, at });
  const scanned = scanNumber(text, 0);
  if (!scanned || !inRange(scanned, 0)) {
    const service = serviceAnyProtocol(text);
    if (service !== undefined) return { ok: true, value: { min: service, max: service } };
    if (scanned && scanned.end === text.length) return bad(`Port ${text} is out of range: ports go from 0 to 65535`);
    return bad(text === '' ? 'A port is missing after the colon' : `'${text}' is not a port number or a known service name`);
  }
  const first = scanned;
  if (first.end === text.length) return { ok: true, value: { min: Number(first.value), max: Number(first.value) } };
  const sep = text[first.end];
  if (sep === ':') return bad(`Port ranges here are written with a dash: ${text.slice(0, first.end)}-${text.slice(first.end + 1)}`, [first.end, first.end + 1]);
  if (sep !== '-') return bad(`Unexpected '${text.slice(first.end)}' after port ${text.slice(0, first.end)}`, [first.end, text.length]);
  const second = scanNumber(text, first.end + 1);
  if (!second || !inRange(second, 0)) {
    const rest = text.slice(first.end + 1);
    return bad(`'${rest}' is not a valid end of port range: expected a number from 0 to 65535 (service names are only allowed for a single port)`, [first.end + 1, text.length]);
  }
  const min = Number(first.value);
  const max = Number(second.value);
  if (max < min) return bad(`Port range ${text.slice(0, second.end)} is reversed: write ${max}-${min}`, [0, second.end]);
  if (second.end === text.length) return { ok: true, value: { min, max } };
  if (text[second.end] !== '/') return bad(`Unexpected '${text.slice(second.end)}' after port range ${text.slice(0, second.end)}`, [second.end, text.length]);
  const baseAt: [number, number] = [second.end + 1, text.length];
  if (base === 'refused') return bad('A base port (/port, a shifted port mapping) is only supported by DNAT', [second.end, text.length]);
  const baseText = text.slice(second.end + 1);
  const third = scanNumber(text, second.end + 1);
  let basePort: number | undefined;
  let warning: ValueProblem | undefined;
  if (third && inRange(third, 1)) {
    basePort = Number(third.value);
    // iptables does not look at what follows the base number.
    if (third.end !== text.length) warning = { message: `iptables ignores '${text.slice(third.end)}' after the base port`, at: [third.end, text.length] };
  } else {
    basePort = serviceAnyProtocol(baseText);
    if (basePort === undefined) return bad(`'${baseText}' is not a valid base port: expected a number from 1 to 65535 or a service name`, baseAt);
  }
  if (base === 'dropped') {
    // SNAT and MASQUERADE keep only the "shifted" flag: iptables-save prints /0, which
    // iptables then refuses to read back.
    warning = { message: 'Only DNAT uses a base port: here iptables drops it and iptables-save prints /0, which cannot be loaded again; remove the /base', at: [second.end, text.length] };
    return { ok: true, value: { min, max, base: 0 }, warning };
  }
  return { ok: true, value: { min, max, base: basePort }, warning };
}

/** Prints ports as iptables-save does: `min[-max][/base]`. */
export function formatNatPorts(p: NatPorts): string {
  return `${p.min}${p.max !== p.min ? `-${p.max}` : ''}${p.base !== undefined ? `/${p.base}` : ''}`;
}

/** Moves a problem's `at` range by `offset` characters (for a part of the whole argument). */
function shift<T extends ValueProblem>(r: T, offset: number): T {
  return r.at ? { ...r, at: [r.at[0] + offset, r.at[1] + offset] } : r;
}

function parseNatAddress(text: string, family: Family): bigint | undefined {
  return family === 'ipv4' ? parseInetPton4(text) : parseIPv6(text);
}

function addressProblem(text: string, family: Family, at: [number, number]): ValueResult {
  if (family === 'ipv4' && text.includes(':') && parseIPv6(text) !== undefined)
    return fail(`'${text}' is an IPv6 address in an IPv4 rule (use ip6tables / a rules.v6 file)`, { at, kind: 'family-mismatch' });
  if (family === 'ipv6' && parseInetPton4(text) !== undefined)
    return fail(`'${text}' is an IPv4 address in an IPv6 rule (use iptables / a rules.v4 file)`, { at, kind: 'family-mismatch' });
  const hint = family === 'ipv4' ? ' (NAT targets take four plain decimal numbers, no host names, short forms or leading zeros)' : ' (no host names)';
  return fail(`'${text}' is not a valid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address${hint}`, { at });
}

/** `[addr[-addr]][:port[-port[/base]]]`, IPv6 as `[addr[-addr]]:port`. Value: NatRange. */
export function natRange(base: BaseMode): ValueGrammar {
  return {
    name: base === 'kept' ? 'address[-address][:port[-port[/base]]]' : 'address[-address][:port[-port]]',
    parse(text, ctx) {
      const family = ctx.family;
      let addrStart = 0;
      let addrEnd: number;
      let colon: number;
      let warning: ValueProblem | undefined;
      const bracket = text.indexOf('[');
      if (bracket === -1) {
        // One colon separates the port; more than one means an IPv6 address without a port.
        colon = text.indexOf(':');
        if (colon !== -1 && text.indexOf(':', colon + 1) !== -1) colon = -1;
        addrEnd = colon === -1 ? text.length : colon;
      } else {
        if (family === 'ipv4') return fail('Square brackets are only for IPv6 addresses: write addr:port', { at: [bracket, bracket + 1] });
        const close = text.indexOf(']', bracket + 1);
        if (close === -1) return fail("Missing ']' after the IPv6 address");
        addrStart = bracket + 1;
        addrEnd = close;
        colon = text.indexOf(':', close + 1);
        const ignoredAfter = text.slice(close + 1, colon === -1 ? text.length : colon);
        if (bracket > 0 || ignoredAfter)
          warning = { message: `iptables ignores '${bracket > 0 ? text.slice(0, bracket) : ignoredAfter}' here: write [address]:port` };
      }
      let ports: NatPorts | undefined;
      if (colon !== -1) {
        const p = parseNatPorts(text.slice(colon + 1), base);
        if (!p.ok) return shift(p, colon + 1);
        ports = p.value;
        if (p.warning) warning ??= shift(p.warning, colon + 1);
        // iptables takes `:port` and `[]:port` as "ports only" (it tests the colon's position).
        if (colon === 0 || colon === 2) {
          if (colon === 2 && text.slice(0, 2) !== '[]') warning ??= { message: `iptables ignores '${text.slice(0, 2)}' before the port`, at: [0, 2] };
          return ok({ ports } satisfies NatRange, `:${formatNatPorts(ports)}`, warning);
        }
      }
      const addrText = text.slice(addrStart, addrEnd);
      const dash = addrText.indexOf('-');
      const minText = dash === -1 ? addrText : addrText.slice(0, dash);
      const min = parseNatAddress(minText, family);
      if (min === undefined) return addressProblem(minText, family, [addrStart, addrStart + minText.length]);
      let max = min;
      if (dash !== -1) {
        const maxText = addrText.slice(dash + 1);
        const m = parseNatAddress(maxText, family);
        if (m === undefined) return addressProblem(maxText, family, [addrStart + dash + 1, addrEnd]);
        max = m;
        // The kernel takes a reversed range as given; it cannot map anything sensible.
        if (max < min) warning ??= { message: `Address range ${addrText} is reversed: the first address must not be larger than the second`, at: [addrStart, addrEnd] };
      }
      const brackets = family === 'ipv6' && ports !== undefined;
      const addr = `${formatAddress(family, min)}${max !== min ? `-${formatAddress(family, max)}` : ''}`;
      const canonical = `${brackets ? `[${addr}]` : addr}${ports ? `:${formatNatPorts(ports)}` : ''}`;
      return ok({ addresses: { family, min, max }, ports } satisfies NatRange, canonical, warning);
    },
  };
}

/** `port[-port]` of --to-ports. Value: NatPorts. */
export function natPorts(base: BaseMode): ValueGrammar {
  return {
    name: 'port[-port]',
    parse(text) {
      const p = parseNatPorts(text, base);
      if (!p.ok) return p;
      return ok(p.value, formatNatPorts(p.value), p.warning);
    },
  };
}

/** Protocols (by number) for which iptables accepts a NAT port: tcp, udp, sctp, dccp, and icmp (its id). */
const PORT_PROTOCOLS = new Set([6, 17, 132, 33, 1]);

/**
 * A `protocol-required` problem when `optionName` carries ports but the rule's -p is not a
 * protocol with ports. iptables looks at the protocol number only, ignoring a `!`.
 */
export function natPortProtocolProblems(ext: ParsedExtension, rule: RuleContext, optionName: string): ExtensionProblem[] {
  const o = ext.options.find((x) => x.spec.names[0] === optionName);
  const v = o?.values[0] as NatRange | NatPorts | undefined;
  if (!o || !v) return [];
  const hasPorts = 'min' in v || v.ports !== undefined;
  if (!hasPorts) return [];
  const num = rule.protocol ? protocolNumber(rule.protocol) : undefined;
  if (num !== undefined && PORT_PROTOCOLS.has(num)) return [];
  const why = rule.protocol ? `, not -p ${rule.protocol}` : '';
  return [{ kind: 'protocol-required', message: `${ext.name} ${optionName} with a port needs -p tcp, -p udp, -p sctp or -p dccp in the rule${why} (write it before -j)`, option: o }];
}

/**
 * `2001:db8::1:8080` is one IPv6 address to iptables, never an address and a port. In a rule
 * for a port protocol, a last group of decimal digits looks like an intended port: warn.
 */
export function ipv6PortLookalike(ext: ParsedExtension, rule: RuleContext, optionName: string): ExtensionProblem[] {
  const o = ext.options.find((x) => x.spec.names[0] === optionName);
  const v = o?.values[0] as NatRange | undefined;
  const num = rule.protocol ? protocolNumber(rule.protocol) : undefined;
  if (!o || !v?.addresses || v.ports || rule.family !== 'ipv6' || num === undefined || num === 1 || !PORT_PROTOCOLS.has(num)) return [];
  const written = o.canonical[0];
  const last = /:(\d{2,5})$/.exec(written);
  if (!last || written.includes('-')) return [];
  const addr = written.slice(0, -last[0].length);
  if (parseIPv6(addr) === undefined) return [];
  return [
    {
      kind: 'suspicious-value',
      message: `'${written}' is read as one IPv6 address, with no port: to change the port as well write [${addr}]:${last[1]}`,
      option: o,
    },
  ];
}

// Reusable grammars for option arguments. Each follows the parsing rules of the iptables
// extension that uses it (numbers in C syntax, service names, masks, ranges) and prints the
// value the way iptables-save does. Module files build their own grammars from these.

import { Family, ValueContext, ValueGrammar, ValueProblem, ValueResult } from './types';
import { isOctalLooking, parseCUnsigned, parseUInt } from './numbers';
import { SERVICES, PROTOCOLS } from './data/netdb';
import { closest } from './suggest';
import {
  MaskedAddress,
  familyBits,
  formatAddress,
  formatMasked,
  looksLikeIPv4,
  looksLikeIPv6,
  maskPrefix,
  parseAddress,
  parseIPv4,
  parseIPv6,
  prefixMask,
} from './addresses';

export const ok = (value: unknown, canonical: string, warning?: ValueProblem): ValueResult =>
  warning ? { ok: true, value, canonical, warning } : { ok: true, value, canonical };
export const fail = (message: string, extra: Omit<ValueProblem, 'message'> = {}): ValueResult => ({
  ok: false,
  message,
  ...extra,
});

/** Shifts the `at` range of a nested result by `offset` characters. */
function shifted(r: ValueResult, offset: number, length: number): ValueResult {
  if (r.ok) return r.warning ? { ...r, warning: { ...r.warning, at: r.warning.at ? [r.warning.at[0] + offset, r.warning.at[1] + offset] : [offset, offset + length] } } : r;
  const at: [number, number] = r.at ? [r.at[0] + offset, r.at[1] + offset] : [offset, offset + length];
  return { ...r, at };
}

// ---------------------------------------------------------------------------- numbers

export interface UIntOptions {
  /** Print in hexadecimal (marks, masks). */
  readonly hex?: boolean;
  readonly base?: 0 | 10 | 16;
}

export function uint(name: string, min: number, max: number, opts: UIntOptions = {}): ValueGrammar {
  return {
    name,
    parse(text) {
      const v = parseUInt(text, min, max, opts.base ?? 0);
      if (v === undefined) return fail(`'${text}' is not a valid ${name}: expected a whole number from ${min} to ${max}`);
      return ok(v, opts.hex ? '0x' + v.toString(16) : String(v));
    },
  };
}

/** `value[/mask]`, both 32-bit numbers, printed in hex (mark, connmark). */
export function valueMask(name: string, opts: { maskRequired?: boolean; bits?: number } = {}): ValueGrammar {
  const max = opts.bits === undefined || opts.bits >= 32 ? 0xffffffff : 2 ** opts.bits - 1;
  return {
    name,
    parse(text) {
      const slash = text.indexOf('/');
      const valueText = slash === -1 ? text : text.slice(0, slash);
      const value = parseUInt(valueText, 0, max);
      if (value === undefined) return fail(`'${valueText}' is not a valid ${name} value: expected a number up to ${'0x' + max.toString(16)}`, { at: [0, valueText.length] });
      if (slash === -1) {
        if (opts.maskRequired) return fail(`${name} needs a mask: value/mask`);
        return ok({ value, mask: max }, '0x' + value.toString(16));
      }
      const maskText = text.slice(slash + 1);
      const mask = parseUInt(maskText, 0, max);
      if (mask === undefined) return fail(`'${maskText}' is not a valid mask: expected a number up to ${'0x' + max.toString(16)}`, { at: [slash + 1, text.length] });
      return ok({ value, mask }, `0x${value.toString(16)}/0x${mask.toString(16)}`);
    },
  };
}

/** `min[:max]` with both ends optional as iptables allows (`:5`, `5:`, `:`). */
export function uintRange(name: string, min: number, max: number, opts: { separator?: string; canonicalSeparator?: string } = {}): ValueGrammar {
  const sep = opts.separator ?? ':';
  return {
    name,
    parse(text) {
      const i = text.indexOf(sep);
      const loText = i === -1 ? text : text.slice(0, i);
      const hiText = i === -1 ? text : text.slice(i + sep.length);
      const lo = i !== -1 && loText === '' ? min : parseUInt(loText, min, max);
      if (lo === undefined) return fail(`'${loText}' is not a valid ${name}: expected a number from ${min} to ${max}`, { at: [0, loText.length] });
      const hi = i !== -1 && hiText === '' ? max : parseUInt(hiText, min, max);
      if (hi === undefined) return fail(`'${hiText}' is not a valid ${name}: expected a number from ${min} to ${max}`, { at: [i + sep.length, text.length] });
      if (lo > hi) return fail(`${name} ${text} is reversed: the first number must not be larger than the second`);
      const out = opts.canonicalSeparator ?? sep;
      return ok({ min: lo, max: hi }, lo === hi ? String(lo) : `${lo}${out}${hi}`);
    },
  };
}

// ---------------------------------------------------------------------------- ports

/** Port-carrying protocols whose service names iptables looks up. */
function serviceProtocols(ctx: ValueContext): string[] {
  const p = ctx.protocol;
  if (p === 'tcp' || p === 'udp' || p === 'sctp' || p === 'dccp') return [p];
  return ['tcp', 'udp'];
}

/** Resolves a port number or service name (`ssh`, `http`) as xtables_parse_port does. */
export function parsePort(text: string, ctx: ValueContext): number | undefined {
  const n = parseUInt(text, 0, 65535);
  if (n !== undefined) return n;
  for (const proto of serviceProtocols(ctx)) {
    const port = SERVICES[`${text}/${proto}`];
    if (port !== undefined) return port;
  }
  return undefined;
}

function portProblem(text: string, ctx: ValueContext, at: [number, number]): ValueResult {
  const n = parseCUnsigned(text);
  if (n !== undefined) return fail(`Port ${text} is out of range: ports go from 0 to 65535`, { at });
  const names = Object.keys(SERVICES).filter((k) => k.endsWith('/tcp') || k.endsWith('/udp')).map((k) => k.slice(0, k.indexOf('/')));
  const suggestion = /^[a-zA-Z]/.test(text) ? closest(text, new Set(names)) : undefined;
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
  void ctx;
  return fail(`'${text}' is not a port number or a known service name${hint}`, { at, suggestion });
}

export const port: ValueGrammar = {
  name: 'port',
  parse(text, ctx) {
    const p = parsePort(text, ctx);
    return p === undefined ? portProblem(text, ctx, [0, text.length]) : ok(p, String(p));
  },
};

export interface PortRangeValue {
  readonly min: number;
  readonly max: number;
}

/** Parses `a`, `a:b`, `a:`, `:b` or `:` (tcp/udp --sport/--dport). */
export function parsePortRange(text: string, ctx: ValueContext, sep = ':'): ValueResult {
  const i = text.indexOf(sep);
  if (i === -1) {
    const p = parsePort(text, ctx);
    return p === undefined ? portProblem(text, ctx, [0, text.length]) : ok({ min: p, max: p }, String(p));
  }
  const loText = text.slice(0, i);
  const hiText = text.slice(i + 1);
  const lo = loText === '' ? 0 : parsePort(loText, ctx);
  if (lo === undefined) return portProblem(loText, ctx, [0, i]);
  const hi = hiText === '' ? 65535 : parsePort(hiText, ctx);
  if (hi === undefined) return portProblem(hiText, ctx, [i + 1, text.length]);
  if (lo > hi) return fail(`Port range ${text} is reversed: the first port must not be larger than the second (write ${hi}:${lo})`, { suggestion: `${hi}${sep}${lo}` });
  return ok({ min: lo, max: hi } satisfies PortRangeValue, lo === hi ? String(lo) : `${lo}:${hi}`);
}

export const portRange: ValueGrammar = { name: 'port[:port]', parse: (text, ctx) => parsePortRange(text, ctx) };

/** Comma-separated ports and ranges as multiport takes them; a range counts as two ports. */
export function portList(maxPorts = 15, allowRanges = true): ValueGrammar {
  return {
    name: allowRanges ? 'port[,port|,port:port]' : 'port[,port]',
    parse(text, ctx) {
      const items: PortRangeValue[] = [];
      let offset = 0;
      let count = 0;
      for (const part of text.split(',')) {
        if (part === '') return fail(`Empty entry in port list '${text}'`, { at: [offset, offset] });
        if (part.includes(':') && !allowRanges) return fail('Port ranges are not allowed here', { at: [offset, offset + part.length] });
        const r = parsePortRange(part, ctx);
        if (!r.ok) return shifted(r, offset, part.length);
        const v = r.value as PortRangeValue;
        items.push(v);
        count += part.includes(':') ? 2 : 1;
        offset += part.length + 1;
      }
      if (count > maxPorts) return fail(`Too many ports: multiport takes at most ${maxPorts} (a range counts as two), this list has ${count}`);
      return ok(items, items.map((v) => (v.min === v.max ? String(v.min) : `${v.min}:${v.max}`)).join(','));
    },
  };
}

// ---------------------------------------------------------------------------- addresses

export interface HostValue {
  /** Resolved addresses; empty for a host name that needs DNS. */
  readonly addresses: readonly MaskedAddress[];
  readonly hostname?: string;
}

/**
 * Parses one `address[/mask]` as -s/-d take it, with iptables' short forms (`10/8`),
 * C-style numbers and dotted or prefix masks. Host names are accepted with a warning:
 * iptables resolves them once, when the rule is loaded.
 */
export function parseMaskedAddress(text: string, family: Family): ValueResult {
  const slash = text.indexOf('/');
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const maskText = slash === -1 ? undefined : text.slice(slash + 1);
  const bits = familyBits(family);
  let mask = prefixMask(family, bits);
  let prefix: number | undefined = bits;
  if (maskText !== undefined) {
    const at: [number, number] = [slash + 1, text.length];
    const n = parseUInt(maskText, 0, bits);
    if (n !== undefined) {
      mask = prefixMask(family, n);
      prefix = n;
    } else {
      const m = family === 'ipv4' ? parseIPv4(maskText, true) : parseIPv6(maskText);
      if (m === undefined) return fail(`Invalid mask '/${maskText}': use a prefix length from 0 to ${bits}${family === 'ipv4' ? ' or a dotted mask' : ''}`, { at });
      mask = m;
      prefix = maskPrefix(family, m);
    }
  }
  const at: [number, number] = [0, addrText.length];
  const addr = parseAddress(family, addrText);
  if (addr === undefined) {
    if (family === 'ipv4' && looksLikeIPv6(addrText) && parseIPv6(addrText) !== undefined)
      return fail(`'${addrText}' is an IPv6 address in an IPv4 rule (use ip6tables / a rules.v6 file)`, { at, kind: 'family-mismatch' });
    if (family === 'ipv6' && parseIPv4(addrText) !== undefined && /^\d+\.\d+\.\d+\.\d+$/.test(addrText))
      return fail(`'${addrText}' is an IPv4 address in an IPv6 rule (use iptables / a rules.v4 file)`, { at, kind: 'family-mismatch' });
    if ((family === 'ipv4' && looksLikeIPv4(addrText)) || (family === 'ipv6' && looksLikeIPv6(addrText)))
      return fail(`'${addrText}' is not a valid ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`, { at });
    if (!isHostName(addrText)) return fail(`'${addrText}' is neither an address nor a host name`, { at });
    return {
      ok: true,
      value: { addresses: [], hostname: addrText } satisfies HostValue,
      canonical: text,
      warning: { message: `'${addrText}' is a host name: iptables resolves it through DNS once, when the rules are loaded, and fails to load them if it cannot`, at, kind: 'hostname' },
      unprintable: 'iptables-save prints the addresses a host name resolves to when loaded',
    };
  }
  const masked: MaskedAddress = { family, address: addr & mask, mask, prefix };
  const warning =
    family === 'ipv4' && addrText.split('.').some(isOctalLooking)
      ? { message: `'${addrText}' has a part with a leading zero, which iptables reads as octal (it means ${formatAddress(family, addr)})`, at, kind: 'octal-address', suggestion: formatAddress(family, addr) }
      : undefined;
  return ok({ addresses: [masked] } satisfies HostValue, formatMasked(masked), warning);
}

function isHostName(text: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(text) && /[A-Za-z]/.test(text);
}

/** -s / -d: one or more comma-separated `address[/mask]` (each becomes its own rule). */
export const hostList: ValueGrammar = {
  name: 'address[/mask][,...]',
  parse(text, ctx) {
    const all: MaskedAddress[] = [];
    const canon: string[] = [];
    const hostnames: string[] = [];
    let warning: ValueProblem | undefined;
    let unprintable: string | undefined;
    let offset = 0;
    for (const part of text.split(',')) {
      if (part === '') return fail(`Empty entry in address list '${text}'`, { at: [offset, offset] });
      const r = shifted(parseMaskedAddress(part, ctx.family), offset, part.length);
      if (!r.ok) return r;
      const v = r.value as HostValue;
      unprintable ??= r.unprintable;
      all.push(...v.addresses);
      if (v.hostname) hostnames.push(v.hostname);
      canon.push(r.canonical);
      warning ??= r.warning;
      offset += part.length + 1;
    }
    const result = ok({ addresses: all, hostname: hostnames[0] } satisfies HostValue, canon.join(','), warning);
    return unprintable ? { ...result, unprintable } : result;
  },
};

/** A single address without a mask (DNAT/SNAT targets, iprange ends). */
export function parseSingleAddress(text: string, family: Family): bigint | undefined {
  return parseAddress(family, text);
}

export interface AddressRangeValue {
  readonly family: Family;
  readonly min: bigint;
  readonly max: bigint;
}

/** `addr[-addr]` as iprange and NAT targets take it. */
export const addressRange: ValueGrammar = {
  name: 'address[-address]',
  parse(text, ctx) {
    const dash = text.indexOf('-');
    const loText = dash === -1 ? text : text.slice(0, dash);
    const hiText = dash === -1 ? text : text.slice(dash + 1);
    const lo = parseAddress(ctx.family, loText);
    if (lo === undefined) return fail(`'${loText}' is not a valid ${ctx.family === 'ipv4' ? 'IPv4' : 'IPv6'} address`, { at: [0, loText.length] });
    const hi = parseAddress(ctx.family, hiText);
    if (hi === undefined) return fail(`'${hiText}' is not a valid ${ctx.family === 'ipv4' ? 'IPv4' : 'IPv6'} address`, { at: [dash + 1, text.length] });
    const canonical = dash === -1 ? formatAddress(ctx.family, lo) : `${formatAddress(ctx.family, lo)}-${formatAddress(ctx.family, hi)}`;
    return ok({ family: ctx.family, min: lo, max: hi } satisfies AddressRangeValue, canonical);
  },
};

// ---------------------------------------------------------------------------- interfaces

export interface InterfaceValue {
  readonly name: string;
  /** `eth+` matches every interface whose name starts with `eth`. */
  readonly wildcard: boolean;
}

/** An interface name, at most 15 characters, optionally ending in `+` (prefix match). */
export const interfaceName: ValueGrammar = {
  name: 'interface',
  parse(text) {
    if (text.length === 0) return fail('Empty interface name');
    if (text.length > 15) return fail(`Interface name '${text}' is too long: Linux interface names have at most 15 characters`);
    const wildcard = text.endsWith('+');
    const name = wildcard ? text.slice(0, -1) : text;
    const warning = /[/ ]/.test(name) ? { message: `'${text}' contains '/' or a space, which interface names cannot hold: the rule will never match` } : undefined;
    return ok({ name, wildcard } satisfies InterfaceValue, text, warning);
  },
};

// ---------------------------------------------------------------------------- names and lists

export interface EnumOptions {
  readonly caseInsensitive?: boolean;
  /** Map accepted spellings to the printed form (aliases). */
  readonly aliases?: Readonly<Record<string, string>>;
}

function resolveEnum(text: string, values: readonly string[], opts: EnumOptions): string | undefined {
  const alias = opts.aliases?.[opts.caseInsensitive ? text.toLowerCase() : text] ?? opts.aliases?.[text];
  if (alias) return alias;
  if (opts.caseInsensitive) return values.find((v) => v.toLowerCase() === text.toLowerCase());
  return values.find((v) => v === text);
}

function enumProblem(name: string, text: string, values: readonly string[], at: [number, number]): ValueResult {
  const suggestion = closest(text, values);
  const list = values.length <= 12 ? `: one of ${values.join(', ')}` : '';
  return fail(`'${text}' is not a valid ${name}${suggestion ? ` (did you mean '${suggestion}'?)` : list}`, { at, suggestion });
}

export function enumOf(name: string, values: readonly string[], opts: EnumOptions = {}): ValueGrammar {
  return {
    name,
    choices: values,
    parse(text) {
      const v = resolveEnum(text, values, opts);
      return v === undefined ? enumProblem(name, text, values, [0, text.length]) : ok(v, v);
    },
  };
}

/** A comma-separated list of names, printed in catalogue order without duplicates (as bit sets print). */
export function enumList(name: string, values: readonly string[], opts: EnumOptions & { keepOrder?: boolean; separator?: string } = {}): ValueGrammar {
  const sep = opts.separator ?? ',';
  return {
    name: `${name}[${sep}...]`,
    choices: values,
    parse(text) {
      const chosen: string[] = [];
      let offset = 0;
      for (const part of text.split(sep)) {
        const v = resolveEnum(part, values, opts);
        if (v === undefined) return enumProblem(name, part, values, [offset, offset + part.length]);
        if (!chosen.includes(v)) chosen.push(v);
        offset += part.length + sep.length;
      }
      const ordered = opts.keepOrder ? chosen : values.filter((v) => chosen.includes(v));
      return ok(ordered, ordered.join(sep));
    },
  };
}

/**
 * Free text (comments, log prefixes), with a length limit. Printed as iptables-save does
 * (xtables_save_string): bare when it only holds letters, digits, `_` and `-`, else in
 * double quotes with `"`, `\` and `'` escaped.
 */
export function text(name: string, maxLength: number, opts: { allowEmpty?: boolean } = {}): ValueGrammar {
  return {
    name,
    parse(value) {
      if (!opts.allowEmpty && value.length === 0) return fail(`Empty ${name}`);
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes > maxLength) return fail(`The ${name} is too long: ${bytes} bytes, at most ${maxLength} are allowed`);
      return ok(value, saveString(value));
    },
  };
}

export function saveString(value: string): string {
  if (/^[_\-0-9a-zA-Z]+$/.test(value)) return value;
  return '"' + value.replace(/["\\']/g, (c) => '\\' + c) + '"';
}

// ---------------------------------------------------------------------------- protocols

/** The names iptables knows without /etc/protocols, as it prints them. */
const XTABLES_PROTOCOLS: Readonly<Record<string, number>> = {
  all: 0,
  tcp: 6,
  udp: 17,
  udplite: 136,
  icmp: 1,
  icmpv6: 58,
  'ipv6-icmp': 58,
  esp: 50,
  ah: 51,
  'ipv6-mh': 135,
  mh: 135,
  sctp: 132,
  dccp: 33,
  gre: 47,
};

export interface ProtocolValue {
  readonly number: number;
  /** Lower-case name as iptables-save prints it (a number when it has no name). */
  readonly name: string;
}

/** The /etc/protocols name of a protocol number, if it has one. */
export function protocolDbName(num: number): string | undefined {
  return PROTOCOLS.find((p) => p[1] === num)?.[0];
}

/** Name of a protocol number as iptables-save prints it: the /etc/protocols name, else the number. */
export function protocolName(num: number, family: Family): string {
  void family;
  if (num === 0) return 'all';
  return protocolDbName(num) ?? Object.entries(XTABLES_PROTOCOLS).find(([n, v]) => v === num && n !== 'all')?.[0] ?? String(num);
}

export function protocolNumber(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower in XTABLES_PROTOCOLS) return XTABLES_PROTOCOLS[lower];
  const n = parseUInt(text, 0, 255);
  if (n !== undefined) return n;
  const entry = PROTOCOLS.find((p) => p[0] === text || p[2].includes(text));
  return entry ? entry[1] : undefined;
}

export const protocol: ValueGrammar = {
  name: 'protocol',
  choices: ['tcp', 'udp', 'icmp', 'ipv6-icmp', 'sctp', 'dccp', 'udplite', 'esp', 'ah', 'gre', 'all'],
  parse(value, ctx) {
    const num = protocolNumber(value);
    if (num === undefined) {
      const names = [...Object.keys(XTABLES_PROTOCOLS), ...PROTOCOLS.map((p) => p[0])];
      const suggestion = closest(value, names);
      return fail(`Unknown protocol '${value}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`, { suggestion });
    }
    const name = num === 0 ? 'all' : protocolName(num, ctx.family);
    return ok({ number: num, name } satisfies ProtocolValue, name);
  },
};

// ---------------------------------------------------------------------------- rates

export interface RateValue {
  /** Average interval between packets, in 1/10000 s, as the limit module stores it. */
  readonly period: number;
}

/** Kernel scale of -m limit periods (XT_LIMIT_SCALE). */
const LIMIT_SCALE = 10000;
const RATE_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['second', 1],
  ['minute', 60],
  ['hour', 3600],
  ['day', 86400],
];
const PRINT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['day', LIMIT_SCALE * 86400],
  ['hour', LIMIT_SCALE * 3600],
  ['min', LIMIT_SCALE * 60],
  ['sec', LIMIT_SCALE],
];

/** Prints a period as libxt_limit's print_rate does: the largest unit that keeps it whole enough. */
export function formatRate(period: number): string {
  let i = 1;
  for (; i < PRINT_UNITS.length; i++) {
    const mult = PRINT_UNITS[i][1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, mult] = PRINT_UNITS[i - 1];
  return `${Math.floor(mult / period)}/${name}`;
}

/** `N[/unit]` as -m limit takes it: the unit is any prefix of second, minute, hour or day. */
export function rate(name = 'rate'): ValueGrammar {
  return {
    name: `${name} (N/second, N/minute, N/hour or N/day)`,
    parse(value) {
      const slash = value.indexOf('/');
      const numText = slash === -1 ? value : value.slice(0, slash);
      const unitText = slash === -1 ? 'second' : value.slice(slash + 1).toLowerCase();
      const n = parseUInt(numText, 1, 0xffffffff, 10);
      if (n === undefined) return fail(`'${numText}' is not a valid ${name}: expected a positive whole number`, { at: [0, numText.length] });
      const unit = unitText.length > 0 ? RATE_UNITS.find(([full]) => full.startsWith(unitText)) : undefined;
      if (!unit) return fail(`'${value.slice(slash + 1)}' is not a time unit: use second, minute, hour or day`, { at: [slash + 1, value.length] });
      const period = Math.floor((LIMIT_SCALE * unit[1]) / n);
      if (period === 0) return fail(`Rate ${value} is too fast: at most ${LIMIT_SCALE} per second can be expressed`);
      return ok({ period } satisfies RateValue, formatRate(period));
    },
  };
}

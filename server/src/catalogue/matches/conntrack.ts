import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { enumOf, fail, HostValue, ok, protocol, uintRange } from '../values';
import { formatAddress, prefixMask } from '../addresses';
import { parseCUnsigned } from '../numbers';
import { SERVICES } from '../data/netdb';
import { closest } from '../suggest';
import { parseHostMask } from '../grammars/xt-host';

/** Connection states in the order iptables prints them (bit order). */
export const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;
export type CtState = (typeof CT_STATES)[number];
/** The subset the older `-m state` module knows. */
export const STATE_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'] as const;
export const CT_STATUSES = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'] as const;

/**
 * A comma-separated list of names as conntrack and state read them: each entry may be any
 * case-insensitive prefix of a name (`est` is ESTABLISHED), the first name in `lookupOrder`
 * that starts with it wins, and empty entries are refused. Value: the names, deduplicated,
 * in `printOrder` (the bit order iptables-save uses).
 */
export function prefixNameList(what: string, printOrder: readonly string[], lookupOrder: readonly string[]): ValueGrammar {
  return {
    name: `${what}[,...]`,
    choices: printOrder,
    parse(text) {
      const chosen = new Set<string>();
      let offset = 0;
      for (const part of text.split(',')) {
        const at: [number, number] = [offset, offset + part.length];
        if (part === '') return fail(`Empty entry in the ${what} list: remove the extra comma`, { at: [offset, offset] });
        const name = lookupOrder.find((n) => n.startsWith(part.toUpperCase()));
        if (!name) {
          const suggestion = closest(part.toUpperCase(), printOrder);
          return fail(`'${part}' is not a ${what}${suggestion ? ` (did you mean '${suggestion}'?)` : `: use ${printOrder.join(', ')}`}`, { at, suggestion });
        }
        chosen.add(name);
        offset += part.length + 1;
      }
      const names = printOrder.filter((n) => chosen.has(n));
      return ok(names, names.join(','));
    },
  };
}

/** Value: CtState[] in print order. */
export const ctStateList = prefixNameList('connection state', CT_STATES, ['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT']);

const statusNames = prefixNameList('connection status', CT_STATUSES, CT_STATUSES);
/** Value: status names in print order; NONE (no bit) only survives on its own, as iptables prints it. */
const ctStatusList: ValueGrammar = {
  ...statusNames,
  parse(text, ctx) {
    const r = statusNames.parse(text, ctx);
    if (!r.ok) return r;
    const names = r.value as string[];
    const bits = names.filter((n) => n !== 'NONE');
    return bits.length > 0 ? ok(bits, bits.join(',')) : ok(['NONE'], 'NONE');
  },
};

/** --ctproto: a protocol name or number; 0 (`all`, `ip`) matches no tracked connection. Value: ProtocolValue; printed as the number. */
const ctProtocol: ValueGrammar = {
  name: 'protocol',
  choices: protocol.choices,
  parse(value, ctx) {
    const r = protocol.parse(value, ctx);
    if (!r.ok) return r;
    const num = (r.value as { number: number }).number;
    if (num === 0) return fail(`--ctproto ${value} means protocol 0, which no tracked connection has: name a real protocol (tcp, udp ...) or leave --ctproto out`);
    return ok(r.value, String(num));
  },
};

/**
 * --ctorigsrc and friends: one address or host name with an optional /len or /mask. iptables
 * reads it with getaddrinfo (so `10.1` is 10.0.0.1), keeps the address as written, prints the
 * mask only when it is a shorter prefix, and replaces a mask with holes by a full one.
 * Value: HostValue with the address masked, like -s/-d.
 */
const ctAddress: ValueGrammar = {
  name: 'address[/mask]',
  parse(text, ctx) {
    if (text.includes(',')) return fail(`${text} is a list: conntrack address options take one address[/mask]; use one rule per address (or -m set)`);
    const r = parseHostMask(text, ctx.family);
    if (!r.ok) return r;
    const v = r.value;
    const bits = ctx.family === 'ipv4' ? 32 : 128;
    const slash = text.indexOf('/');
    const warning =
      r.warning ??
      (v.holes
        ? { message: `'${text.slice(slash + 1)}' is not a prefix length (0 to ${bits}) nor a contiguous mask: iptables silently uses /${bits} instead`, at: [slash + 1, text.length] as [number, number] }
        : undefined);
    if (v.address === undefined) return ok({ addresses: [], hostname: v.hostname } satisfies HostValue, text, warning);
    const mask = prefixMask(ctx.family, v.prefix);
    const value: HostValue = { addresses: [{ family: ctx.family, address: v.address & mask, mask, prefix: v.prefix }] };
    const canonical = formatAddress(ctx.family, v.address) + (v.prefix < bits ? `/${v.prefix}` : '');
    return ok(value, canonical, warning);
  },
};

/**
 * One end of a conntrack port range: a service name or a decimal number. iptables keeps only
 * the low 16 bits of a larger number (70000 becomes 4464), so that is accepted with a warning.
 */
function ctPortEnd(text: string): { port: number; warning?: string } | undefined {
  const trimmed = text.replace(/^[ \t\n\v\f\r]+/, '');
  if (/^\+?[0-9]+$/.test(trimmed)) {
    const n = parseCUnsigned(trimmed, 10)!;
    const port = Number(n % 65536n);
    return n > 65535n ? { port, warning: `port ${text} is larger than 65535: iptables keeps only the low 16 bits, giving ${port}` } : { port };
  }
  for (const proto of ['tcp', 'udp', 'sctp', 'dccp']) {
    const port = SERVICES[`${text}/${proto}`];
    if (port !== undefined) return { port };
  }
  return undefined;
}

/** `port[:port]` with either end optional (`:1024`, `1024:`); numbers are decimal only. Value: {min, max}. */
const ctPortRange: ValueGrammar = {
  name: 'port[:port]',
  parse(text) {
    const parts = text.split(':');
    if (parts.length > 2) return fail(`'${text}' has too many ':': write one port or a range first:last`);
    const ends: number[] = [];
    let warning: { message: string; at: [number, number] } | undefined;
    let offset = 0;
    for (const [i, part] of parts.entries()) {
      if (part === '' && parts.length === 2) ends.push(i === 0 ? 0 : 65535);
      else {
        const end = ctPortEnd(part);
        if (!end) return fail(`'${part}' is not a port number or a known service name (conntrack takes decimal numbers only)`, { at: [offset, offset + part.length] });
        ends.push(end.port);
        if (end.warning) warning ??= { message: end.warning, at: [offset, offset + part.length] };
      }
      offset += part.length + 1;
    }
    const [min, max] = ends.length === 1 ? [ends[0], ends[0]] : ends;
    if (min > max) return fail(`Port range ${text} is reversed: the first port must not be larger than the second (write ${max}:${min})`, { suggestion: `${max}:${min}` });
    return ok({ min, max }, min === max ? String(min) : `${min}:${max}`, warning);
  },
};

export const conntrack: MatchModule = {
  kind: 'match',
  name: 'conntrack',
  families: BOTH_FAMILIES,
  semantics: 'modelled',
  summary: 'Connection tracking state, status, direction and original/reply addresses',
  // In the order iptables-save prints them.
  options: [
    { names: ['--ctstate'], args: [ctStateList], negatable: true },
    { names: ['--ctproto'], args: [ctProtocol], negatable: true },
    { names: ['--ctorigsrc'], args: [ctAddress], negatable: true },
    { names: ['--ctorigdst'], args: [ctAddress], negatable: true },
    { names: ['--ctreplsrc'], args: [ctAddress], negatable: true },
    { names: ['--ctrepldst'], args: [ctAddress], negatable: true },
    { names: ['--ctorigsrcport'], args: [ctPortRange], negatable: true },
    { names: ['--ctorigdstport'], args: [ctPortRange], negatable: true },
    { names: ['--ctreplsrcport'], args: [ctPortRange], negatable: true },
    { names: ['--ctrepldstport'], args: [ctPortRange], negatable: true },
    { names: ['--ctstatus'], args: [ctStatusList], negatable: true },
    // Value: {min, max} seconds.
    { names: ['--ctexpire'], args: [uintRange('remaining lifetime in seconds', 0, 0xffffffff)], negatable: true },
    // Value: 'ORIGINAL' | 'REPLY'.
    { names: ['--ctdir'], args: [enumOf('direction', ['ORIGINAL', 'REPLY'], { caseInsensitive: true })] },
  ],
  check(ext) {
    return ext.options.length === 0
      ? [{ kind: 'missing-required-option', message: '-m conntrack needs at least one option, such as --ctstate RELATED,ESTABLISHED' }]
      : [];
  },
};

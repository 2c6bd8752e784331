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
  doc: `Tests what connection tracking knows about the packet's connection: its state, its addresses and ports before and after NAT, its status flags and its remaining lifetime. Every stateful firewall is built on it.

\`\`\`iptables
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT
\`\`\`

- Put the RELATED,ESTABLISHED rule near the top. Every packet of every open connection walks down the chain until it is accepted, and a broad DROP above that rule also kills the replies to your own outgoing traffic.
- NEW only means "not seen before". A stray TCP ACK after a conntrack flush is NEW too; add \`--syn\` when you mean a real connection request.
- \`-m state --state\` is the old spelling of \`--ctstate\`, with fewer states.
- After DNAT the packet's destination is the internal server. \`--ctorigdst\` still shows the public address the client asked for.`,
  // In the order iptables-save prints them.
  options: [
    { names: ['--ctstate'], args: [ctStateList], negatable: true, doc: 'States to accept, comma-separated; any one is enough. NEW: first packet seen; ESTABLISHED: traffic went both ways; RELATED: tied to an existing connection (FTP data, ICMP errors); INVALID: conntrack cannot place it; UNTRACKED: exempted with `-j CT --notrack`; SNAT/DNAT: the connection is NATed.' },
    { names: ['--ctproto'], args: [ctProtocol], negatable: true, doc: 'Protocol of the tracked connection (`tcp`, `udp`, `icmp` ... or a number). It describes the connection, not the packet: an ICMP error about a TCP connection counts as `tcp`.' },
    { names: ['--ctorigsrc'], args: [ctAddress], negatable: true, doc: 'Source address of the connection\'s first packet, i.e. the client, before any NAT. One address with an optional /prefix.' },
    { names: ['--ctorigdst'], args: [ctAddress], negatable: true, doc: 'Destination the client originally asked for, before DNAT rewrote it. Use it to recognise port-forwarded traffic by its public address.' },
    { names: ['--ctreplsrc'], args: [ctAddress], negatable: true, doc: 'Source address of the reply packets: the host that really answers, which after DNAT is the internal server.' },
    { names: ['--ctrepldst'], args: [ctAddress], negatable: true, doc: 'Destination address of the reply packets, which after SNAT or MASQUERADE is this router\'s own address.' },
    { names: ['--ctorigsrcport'], args: [ctPortRange], negatable: true, doc: 'Source port (or `first:last` range) of the original direction: the client\'s port before NAT.' },
    { names: ['--ctorigdstport'], args: [ctPortRange], negatable: true, doc: 'Destination port (or range) the client originally connected to, before DNAT or REDIRECT changed it.' },
    { names: ['--ctreplsrcport'], args: [ctPortRange], negatable: true, doc: 'Source port (or range) of the reply packets: the port the real server answers from after DNAT.' },
    { names: ['--ctrepldstport'], args: [ctPortRange], negatable: true, doc: 'Destination port (or range) of the reply packets; after SNAT it can be a port this router picked.' },
    { names: ['--ctstatus'], args: [ctStatusList], negatable: true, doc: 'Internal flags of the connection: EXPECTED (announced by a helper), SEEN_REPLY (answers seen), ASSURED (kept when the table fills up), CONFIRMED (its first packet got through). NONE matches a connection with none of them.' },
    // Value: {min, max} seconds.
    { names: ['--ctexpire'], args: [uintRange('remaining lifetime in seconds', 0, 0xffffffff)], negatable: true, doc: 'Seconds left before the connection entry times out, as one number or a `min:max` range. Traffic keeps resetting the timer, so low values point to idle connections.' },
    // Value: 'ORIGINAL' | 'REPLY'.
    { names: ['--ctdir'], args: [enumOf('direction', ['ORIGINAL', 'REPLY'], { caseInsensitive: true })], doc: '`ORIGINAL` matches packets going the way the connection started (client to server), `REPLY` the answers. Without it, both directions match.' },
  ],
  check(ext) {
    return ext.options.length === 0
      ? [{ kind: 'missing-required-option', message: '-m conntrack needs at least one option, such as --ctstate RELATED,ESTABLISHED' }]
      : [];
  },
};

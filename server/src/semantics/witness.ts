// Witness packets: a concrete packet out of a set, chosen to look like real traffic, and the
// "realistic" packets a finding about existence may use as its witness.
//
// The packet universe of the engine is larger than reality on purpose (fields are
// independent), which keeps every claim of absence sound. A claim of existence ("this
// packet is dropped by line 5") needs a packet the kernel can really see, so its witness is
// taken from the set intersected with what conntrack and routing actually produce: TCP flag
// combinations conntrack accepts for the state, ICMP types that can be NEW, ESTABLISHED or
// RELATED, no martian addresses. The kernel tests check the witnesses against the real thing.

import { Hook } from '../catalogue/types';
import { formatAddress } from '../catalogue/addresses';
import { protocolName } from '../catalogue/values';
import { FALSE, Node } from './bdd';
import { CT_STATE_VALUES, FieldName, PacketSpace, TCP_FLAG_BITS } from './fields';
import { InterfaceClasses } from './interfaces';

export interface Witness {
  readonly proto: string;
  readonly src: string;
  readonly dst: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly in?: string;
  readonly out?: string;
  readonly state?: string;
  readonly flags?: string;
  readonly icmp_type?: number;
  readonly icmp_code?: number;
  /** TTL / hop limit, only when it is not the usual 64 (neighbour discovery needs 255). */
  readonly ttl?: number;
}

const TCP = 6;
const ICMP = 1;
const ICMPV6 = 58;
const PORT_PROTOCOLS = [6, 17, 33, 132, 136];
const STATE = (name: (typeof CT_STATE_VALUES)[number]) => CT_STATE_VALUES.indexOf(name);

/** TCP flag sets conntrack accepts (PSH, ECE and CWR aside), from its table of valid flags. */
const VALID_TCP_FLAGS = ['SYN', 'SYN,URG', 'SYN,ACK', 'RST', 'RST,ACK', 'FIN,ACK', 'FIN,ACK,URG', 'ACK', 'ACK,URG'];
/** Flags that can open a connection: a SYN, or an ACK picked up mid-stream (nf_conntrack_tcp_loose). */
const NEW_TCP_FLAGS = ['SYN', 'SYN,URG', 'ACK', 'ACK,URG'];

function flagBits(list: string): number {
  return list.split(',').reduce((bits, f) => bits | TCP_FLAG_BITS[f], 0);
}

function flagsIn(space: PacketSpace, lists: readonly string[]): Node {
  // PSH does not change what conntrack thinks of the flags.
  return space.bdd.orAll(lists.map((l) => space.masked('flags', BigInt(flagBits(l)), BigInt(0x3f & ~TCP_FLAG_BITS.PSH))));
}

/** ICMP types conntrack sees as opening a flow, answering one, or reporting an error about one. */
const ICMP_TYPES = {
  ipv4: { new: [8, 13, 15, 17], reply: [0, 14, 16, 18], error: [3, 4, 5, 11, 12] },
  ipv6: { new: [128, 139], reply: [129, 140], error: [1, 2, 3, 4] },
};
/**
 * ICMPv6 neighbour discovery and MLD: never tracked (state UNTRACKED). A redirect (137) is
 * not among them: conntrack finds it INVALID (checked in the kernel).
 */
const ICMPV6_UNTRACKED = [130, 131, 132, 133, 134, 135, 136, 143];
/**
 * Neighbour discovery (router/neighbour solicitation and advertisement, redirect): hop
 * limit 255, and router advertisements and redirects from a link-local address, or the
 * kernel ignores them.
 */
const ICMPV6_ND = [133, 134, 135, 136, 137];
const ICMPV6_FROM_LINK_LOCAL = [134, 137];

/**
 * Legitimate packets the kernel can really see on this hook, as far as the engine models
 * them: what conntrack lets through as NEW, ESTABLISHED or RELATED (INVALID packets are not
 * traffic anyone wants delivered), with addresses routing does not drop.
 */
export function realisticPackets(space: PacketSpace, interfaces: InterfaceClasses, hook: Hook | undefined, opts: { nat: boolean }): Node {
  const { bdd } = space;
  const v4 = space.family === 'ipv4';
  const icmp = v4 ? ICMP : ICMPV6;
  const types = ICMP_TYPES[space.family];
  const is = (field: FieldName, v: number) => space.equals(field, v);
  const state = (name: (typeof CT_STATE_VALUES)[number]) => is('state', STATE(name));
  const implies = (a: Node, b: Node) => bdd.or(bdd.not(a), b);
  const parts: Node[] = [bdd.not(state('INVALID'))];
  // TCP: flags conntrack accepts in each state.
  const tcp = is('proto', TCP);
  parts.push(implies(bdd.and(tcp, state('NEW')), flagsIn(space, NEW_TCP_FLAGS)));
  parts.push(implies(bdd.and(tcp, state('ESTABLISHED')), bdd.and(flagsIn(space, VALID_TCP_FLAGS), space.masked('flags', BigInt(TCP_FLAG_BITS.ACK), BigInt(TCP_FLAG_BITS.ACK)))));
  // RELATED without a helper expectation: ICMP errors about a tracked flow.
  parts.push(implies(state('RELATED'), bdd.and(is('proto', icmp), space.oneOf('icmpType', types.error))));
  parts.push(implies(bdd.and(is('proto', icmp), state('NEW')), space.oneOf('icmpType', types.new)));
  parts.push(implies(bdd.and(is('proto', icmp), state('ESTABLISHED')), space.oneOf('icmpType', types.reply)));
  // UNTRACKED only for what the kernel never tracks.
  parts.push(implies(state('UNTRACKED'), v4 ? FALSE : bdd.and(is('proto', ICMPV6), space.oneOf('icmpType', ICMPV6_UNTRACKED))));
  if (!v4) parts.push(implies(bdd.and(is('proto', ICMPV6), space.oneOf('icmpType', ICMPV6_UNTRACKED)), state('UNTRACKED')));
  if (!v4) parts.push(implies(bdd.and(is('proto', ICMPV6), space.oneOf('icmpType', ICMPV6_ND)), is('ttl', 255)));
  if (!opts.nat) parts.push(is('ctnat', 0));
  // Ports: 0 is not a port real traffic uses.
  const ported = space.oneOf('proto', PORT_PROTOCOLS);
  parts.push(implies(ported, bdd.and(bdd.not(is('sport', 0)), bdd.not(is('dport', 0)))));
  // Martians: routing drops them before the filter table.
  const bits = v4 ? 32 : 128;
  const prefix = (field: 'src' | 'dst', text: bigint, len: number) => space.masked(field, text, ((1n << BigInt(len)) - 1n) << BigInt(bits - len));
  // Loopback traffic goes from this host to itself: loopback addresses on both ends (other
  // local addresses also use lo, but these are the ones a witness can count on), and
  // loopback addresses never come from a real interface.
  const lo = interfaces.indexOf('lo');
  const onLo = lo === undefined ? FALSE : bdd.or(is('iif', lo), is('oif', lo));
  const loopbackEnds = v4 ? bdd.and(prefix('src', 0x7f000000n, 8), prefix('dst', 0x7f000000n, 8)) : bdd.and(is('src', 1), is('dst', 1));
  parts.push(implies(onLo, loopbackEnds), implies(loopbackEnds, onLo));
  if (v4) {
    parts.push(bdd.not(prefix('src', 0n, 8)), bdd.not(prefix('dst', 0n, 8)), bdd.not(prefix('src', 0xe0000000n, 3)));
    parts.push(implies(bdd.not(onLo), bdd.and(bdd.not(prefix('src', 0x7f000000n, 8)), bdd.not(prefix('dst', 0x7f000000n, 8)))));
  } else {
    parts.push(bdd.not(is('src', 0)), bdd.not(prefix('src', 0xffn << 120n, 8)));
    parts.push(implies(bdd.not(onLo), bdd.and(bdd.not(is('src', 1)), bdd.not(is('dst', 1)))));
    parts.push(implies(bdd.and(is('proto', ICMPV6), space.oneOf('icmpType', ICMPV6_FROM_LINK_LOCAL)), prefix('src', 0xfe80n << 112n, 10)));
  }
  if (hook === 'FORWARD') parts.push(space.range('ttl', 2, 255));
  parts.push(space.range('length', 60, 1500), is('frag', 0));
  return bdd.andAll(parts);
}

/** Values a witness prefers when the set leaves the choice open: plain, documented traffic. */
function preferences(space: PacketSpace, interfaces: InterfaceClasses): (field: FieldName, chosen: (f: FieldName) => bigint) => bigint | undefined {
  const v4 = space.family === 'ipv4';
  const firstReal = BigInt(interfaces.classes.find((c) => c.name !== '' && c.name !== 'lo')?.index ?? 1);
  return (field, chosen) => {
    switch (field) {
      case 'iif':
      case 'oif':
        return firstReal;
      case 'proto':
        return BigInt(TCP);
      case 'state':
        return BigInt(STATE('NEW'));
      case 'sport':
        return 40000n;
      case 'dport':
        return 22n;
      case 'src':
        return v4 ? 0xc6336407n : 0x20010db8000100000000000000000007n; // 198.51.100.7, 2001:db8:1::7
      case 'dst':
        return v4 ? 0xc000020an : 0x20010db800000000000000000000000an; // 192.0.2.10, 2001:db8::a
      case 'flags':
        return BigInt(chosen('state') === BigInt(STATE('NEW')) ? TCP_FLAG_BITS.SYN : TCP_FLAG_BITS.ACK);
      case 'icmpType': {
        const state = chosen('state');
        const types = ICMP_TYPES[space.family];
        return BigInt(state === BigInt(STATE('RELATED')) ? types.error[0] : state === BigInt(STATE('ESTABLISHED')) ? types.reply[0] : types.new[0]);
      }
      case 'ttl':
        return 64n;
      case 'length':
        return 60n;
      case 'mac':
        return 0x525400123456n;
      default:
        return 0n;
    }
  };
}

/** A packet of `set` (undefined when empty), described for people and for the kernel tests. */
export function witnessOf(space: PacketSpace, interfaces: InterfaceClasses, set: Node): Witness | undefined {
  if (set === FALSE) return undefined;
  const bits = space.pick(set, preferences(space, interfaces));
  if (!bits) return undefined;
  const value = (f: FieldName) => space.valueOf(bits, f);
  const proto = Number(value('proto'));
  const iface = (f: 'iif' | 'oif') => interfaces.nameOf(Number(value(f))) || undefined;
  const state = CT_STATE_VALUES[Number(value('state'))];
  const w: Record<string, unknown> = {
    proto: proto === ICMPV6 ? 'icmpv6' : proto === ICMP ? 'icmp' : protocolName(proto, space.family),
    src: formatAddress(space.family, value('src')),
    dst: formatAddress(space.family, value('dst')),
  };
  if (PORT_PROTOCOLS.includes(proto)) {
    w.sport = Number(value('sport'));
    w.dport = Number(value('dport'));
  }
  if (iface('iif')) w.in = iface('iif');
  if (iface('oif')) w.out = iface('oif');
  w.state = state;
  if (proto === TCP) w.flags = flagNames(Number(value('flags')));
  if (proto === ICMP || proto === ICMPV6) {
    w.icmp_type = Number(value('icmpType'));
    w.icmp_code = Number(value('icmpCode'));
  }
  const ttl = Number(value('ttl'));
  if (ttl !== 64) w.ttl = ttl;
  return w as unknown as Witness;
}

function flagNames(bits: number): string {
  const names = Object.entries(TCP_FLAG_BITS)
    .filter(([, b]) => (bits & b) !== 0)
    .map(([n]) => n);
  return names.length ? names.join(',') : 'NONE';
}

/** One line for messages: `tcp 198.51.100.7:40000 -> 192.0.2.10:22 in eth0 (NEW, SYN)`. */
export function describeWitness(w: Witness): string {
  const v6 = w.src.includes(':');
  const host = (a: string, port?: number) => (port === undefined ? a : v6 ? `[${a}]:${port}` : `${a}:${port}`);
  const icmp = w.icmp_type !== undefined ? ` type ${w.icmp_type}${w.icmp_code ? ` code ${w.icmp_code}` : ''}` : '';
  const ifaces = [w.in ? `in ${w.in}` : '', w.out ? `out ${w.out}` : ''].filter(Boolean).join(' ');
  const extra = [w.state, w.flags].filter(Boolean).join(', ');
  // A protocol without a name is shown by number: `protocol 7 198.51.100.7 -> ...`.
  const proto = /^\d+$/.test(w.proto) ? `protocol ${w.proto}` : w.proto;
  return `${proto}${icmp} ${host(w.src, w.sport)} -> ${host(w.dst, w.dport)}${ifaces ? ' ' + ifaces : ''}${extra ? ` (${extra})` : ''}`;
}


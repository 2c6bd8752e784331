// The packet fields iptables matches on, laid out as BDD variables, and the primitive sets
// over them (ranges, prefixes, value/mask pairs, enumerations).
//
// A packet is an assignment to every variable. Fields a packet does not carry (ports of an
// ICMP packet, the output interface in INPUT) are still variables: no rule distinguishes
// packets by them, so they do not change which rules match, and witnesses leave them out.
// Variable order puts the fields rules test most, and test on their high bits, near the
// top, which keeps the diagrams small.

import { Family } from '../catalogue/types';
import { Bdd, FALSE, Node, TRUE } from './bdd';

export type FieldName =
  | 'iif'
  | 'oif'
  | 'proto'
  | 'state'
  | 'ctnat'
  | 'dport'
  | 'sport'
  | 'dst'
  | 'src'
  | 'flags'
  | 'icmpType'
  | 'icmpCode'
  | 'frag'
  | 'tos'
  | 'ttl'
  | 'length'
  | 'pkttype'
  | 'mark'
  | 'mac';

export interface Field {
  readonly name: FieldName;
  /** Index of the field's most significant bit. */
  readonly first: number;
  readonly bits: number;
}

/** Connection-tracking states a packet can be in (exactly one), in field-value order. */
export const CT_STATE_VALUES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'] as const;
export type CtState = (typeof CT_STATE_VALUES)[number];

/** Packet types, as -m pkttype names them. */
export const PKTTYPE_VALUES = ['unicast', 'broadcast', 'multicast', 'otherhost'] as const;

/** TCP flag bits in the flags field, as the TCP header orders them. */
export const TCP_FLAG_BITS: Readonly<Record<string, number>> = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 };

/** The value's bits as a string of '0'/'1', most significant first, `width` long. */
function bitsOf(value: bigint, width: number): string {
  return (value & ((1n << BigInt(width)) - 1n)).toString(2).padStart(width, '0');
}

export class PacketSpace {
  readonly fields: ReadonlyMap<FieldName, Field>;
  readonly bdd: Bdd;
  private readonly fieldByVar: Field[] = [];

  constructor(
    readonly family: Family,
    /** Number of interface classes (see interfaces.ts). */
    readonly interfaceClasses: number,
    /** Nodes to make room for up front (the diagram grows beyond it when needed). */
    capacity?: number,
  ) {
    const addressBits = family === 'ipv4' ? 32 : 128;
    const ifBits = Math.max(1, Math.ceil(Math.log2(Math.max(2, interfaceClasses))));
    // Order measured on the corpus's largest ruleset: interfaces and source address on top
    // (chains are usually selected by them), the MAC next to the source it is paired with,
    // then destination, protocol and ports; rarely tested fields at the bottom.
    const layout: Array<[FieldName, number]> = [
      ['iif', ifBits],
      ['src', addressBits],
      ['mac', 48],
      ['oif', ifBits],
      ['dst', addressBits],
      ['proto', 8],
      ['dport', 16],
      ['sport', 16],
      ['state', 3],
      ['ctnat', 2],
      ['flags', 6],
      ['icmpType', 8],
      ['icmpCode', 8],
      ['frag', 1],
      ['tos', 8],
      ['ttl', 8],
      ['length', 16],
      ['pkttype', 2],
      ['mark', 32],
    ];
    const fields = new Map<FieldName, Field>();
    let next = 0;
    for (const [name, bits] of layout) {
      fields.set(name, { name, first: next, bits });
      next += bits;
    }
    this.fields = fields;
    for (const f of fields.values()) for (let i = 0; i < f.bits; i++) this.fieldByVar[f.first + i] = f;
    this.bdd = new Bdd(next, capacity);
  }

  field(name: FieldName): Field {
    return this.fields.get(name)!;
  }

  /** The field a variable belongs to, and the bit's weight within it. */
  fieldOfVar(v: number): { field: Field; bit: number } {
    const field = this.fieldByVar[v];
    if (!field) throw new Error(`variable ${v} is outside the packet`);
    return { field, bit: field.bits - 1 - (v - field.first) };
  }

  // ---------------------------------------------------------------- primitive sets

  /** field == value */
  equals(name: FieldName, value: bigint | number): Node {
    return this.masked(name, BigInt(value), this.allOnes(name));
  }

  /** (field & mask) == (value & mask): prefixes, marks with masks, masks with holes. */
  masked(name: FieldName, value: bigint, mask: bigint): Node {
    // Rules repeat the same addresses, ports and MACs: build each constraint once.
    const key = `${name}/${value}/${mask}`;
    let known = this.maskedMemo.get(key);
    if (known === undefined) this.maskedMemo.set(key, (known = this.buildMasked(name, value, mask)));
    return known;
  }

  private readonly maskedMemo = new Map<string, Node>();

  private buildMasked(name: FieldName, value: bigint, mask: bigint): Node {
    const f = this.field(name);
    const v = bitsOf(value, f.bits);
    const m = bitsOf(mask, f.bits);
    let node: Node = TRUE;
    // Built from the least significant bit up, so each node is made once.
    for (let i = f.bits - 1; i >= 0; i--) {
      if (m[i] === '0') continue;
      node = v[i] === '1' ? this.bdd.make(f.first + i, FALSE, node) : this.bdd.make(f.first + i, node, FALSE);
    }
    return node;
  }

  /** min <= field <= max */
  range(name: FieldName, min: bigint | number, max: bigint | number): Node {
    const f = this.field(name);
    const lo = BigInt(min);
    const hi = BigInt(max);
    if (lo > hi) return FALSE;
    return this.bdd.and(this.atLeast(f, lo), this.atMost(f, hi));
  }

  /** field >= bound, built from the least significant bit up. */
  private atLeast(f: Field, bound: bigint): Node {
    const b = bitsOf(bound, f.bits);
    let node: Node = TRUE; // the empty suffix is >= the empty suffix
    for (let i = f.bits - 1; i >= 0; i--) {
      // bit above the bound's: anything below is fine; equal: the rest must be >= too.
      node = b[i] === '1' ? this.bdd.make(f.first + i, FALSE, node) : this.bdd.make(f.first + i, node, TRUE);
    }
    return node;
  }

  private atMost(f: Field, bound: bigint): Node {
    const b = bitsOf(bound, f.bits);
    let node: Node = TRUE;
    for (let i = f.bits - 1; i >= 0; i--) node = b[i] === '1' ? this.bdd.make(f.first + i, TRUE, node) : this.bdd.make(f.first + i, node, FALSE);
    return node;
  }

  private readonly fieldsMemo = new Map<Node, ReadonlySet<FieldName>>();

  /** The fields a set constrains. */
  fieldsOf(set: Node): ReadonlySet<FieldName> {
    let out = this.fieldsMemo.get(set);
    if (!out) {
      const fields = new Set<FieldName>();
      for (const v of this.bdd.support(set)) fields.add(this.fieldByVar[v].name);
      this.fieldsMemo.set(set, (out = fields));
    }
    return out;
  }

  /** field ∈ values */
  oneOf(name: FieldName, values: Iterable<bigint | number>): Node {
    let node: Node = FALSE;
    for (const v of values) node = this.bdd.or(node, this.equals(name, v));
    return node;
  }

  allOnes(name: FieldName): bigint {
    return (1n << BigInt(this.field(name).bits)) - 1n;
  }

  // ---------------------------------------------------------------- reading packets

  /** The value of a field in an assignment. */
  valueOf(bits: readonly boolean[], name: FieldName): bigint {
    const f = this.field(name);
    let v = 0n;
    for (let i = 0; i < f.bits; i++) v = (v << 1n) | (bits[f.first + i] ? 1n : 0n);
    return v;
  }

  /**
   * A member of `set` whose fields are as close as the set allows to `preferred`
   * (bit by bit from the most significant one, so a preferred value is kept whole when
   * possible). Fields absent from `preferred` default to 0. `preferred` may be a function
   * of the fields chosen before (in variable order), to prefer e.g. ACK for an ESTABLISHED
   * packet.
   */
  pick(set: Node, preferred: Partial<Record<FieldName, bigint>> | ((field: FieldName, chosen: (name: FieldName) => bigint) => bigint | undefined)): boolean[] | undefined {
    const valueFor = typeof preferred === 'function' ? preferred : (name: FieldName) => preferred[name];
    let current: { field: Field; value: bigint } | undefined;
    const prefer = (v: number, chosen: readonly boolean[]): boolean => {
      const { field, bit } = this.fieldOfVar(v);
      if (current?.field !== field) current = { field, value: valueFor(field.name, (name) => this.valueOf(chosen, name)) ?? 0n };
      return ((current.value >> BigInt(bit)) & 1n) === 1n;
    };
    return this.bdd.pick(set, prefer);
  }
}

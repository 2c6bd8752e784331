// What the loopback, reply and outbound checks (IPT301-307) share: the packets they talk
// about (loopback, replies, INVALID), realistic witnesses for them, the rule or policy that
// decides a witness (traced the way the kernel walks the chains), and where to report.

import { Hook } from '../../catalogue/types';
import { Rule, TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { ChainFacts, RuleFacts, TableFacts } from '../../semantics/engine';
import { CT_STATE_VALUES, CtState, FieldName, PacketSpace } from '../../semantics/fields';
import { describeWitness, Witness, witnessOf } from '../../semantics/witness';
import { assignment } from '../../semantics/trace';
import { Span } from '../../syntax/text';
import { CheckContext } from '../context';
import { WitnessFate } from '../types';
import { DefaultDrop } from './traffic';

export const state = (space: PacketSpace, name: CtState): Node => space.equals('state', CT_STATE_VALUES.indexOf(name));

/** The packet space and interface classes of a table's family. */
export function spaceOf(ctx: CheckContext, table: TableModel) {
  return ctx.getEngine().spaces.get(table.family)!;
}

/** Packets on the loopback interface, in (`iif`) or out (`oif`). */
export function loopback(ctx: CheckContext, table: TableModel, field: 'iif' | 'oif'): Node {
  const { space, interfaces } = spaceOf(ctx, table);
  const lo = interfaces.indexOf('lo');
  return lo === undefined ? FALSE : space.equals(field, lo);
}

/** Packets on real interfaces: neither in nor out on lo. */
export function offLoopback(ctx: CheckContext, table: TableModel): Node {
  const { bdd } = spaceOf(ctx, table).space;
  return bdd.diff(bdd.diff(bdd.not(FALSE), loopback(ctx, table, 'iif')), loopback(ctx, table, 'oif'));
}

/** The set with the fields' values forgotten (existential quantification). */
export function forget(space: PacketSpace, set: Node, fields: readonly FieldName[]): Node {
  const { bdd } = space;
  const vars = new Set<number>();
  for (const f of fields) {
    const field = space.field(f);
    for (let i = 0; i < field.bits; i++) vars.add(field.first + i);
  }
  const memo = new Map<Node, Node>();
  const walk = (n: Node): Node => {
    if (n < 2) return n;
    const known = memo.get(n);
    if (known !== undefined) return known;
    const v = bdd.varOf(n);
    const lo = walk(bdd.low(n));
    const hi = walk(bdd.high(n));
    const r = vars.has(v) ? bdd.or(lo, hi) : bdd.make(v, lo, hi);
    memo.set(n, r);
    return r;
  };
  return walk(set);
}

/** Ephemeral ports, where the replies to a client's connections arrive (Linux's default ip_local_port_range). */
const EPHEMERAL: readonly [number, number] = [32768, 60999];

/**
 * Reply traffic of ordinary protocols: TCP and UDP packets of established connections to
 * a client's ephemeral port, ICMP echo replies, and ICMP errors about a connection.
 */
export function replyPackets(ctx: CheckContext, table: TableModel): Node {
  const { space } = spaceOf(ctx, table);
  const { bdd } = space;
  const v4 = table.family === 'ipv4';
  const icmp = space.equals('proto', v4 ? 1 : 58);
  const ported = bdd.and(space.oneOf('proto', [6, 17]), space.range('dport', EPHEMERAL[0], EPHEMERAL[1]));
  const echoReply = bdd.and(icmp, space.equals('icmpType', v4 ? 0 : 129));
  const errors = bdd.and(icmp, space.oneOf('icmpType', v4 ? [3, 11] : [1, 2, 3]));
  return bdd.andAll([
    bdd.or(bdd.and(state(space, 'ESTABLISHED'), bdd.or(ported, echoReply)), bdd.and(state(space, 'RELATED'), errors)),
    offLoopback(ctx, table),
  ]);
}

/** A rule that accepts some ESTABLISHED packets and only RELATED or ESTABLISHED ones (`--ctstate RELATED,ESTABLISHED -j ACCEPT`). */
export function isReplyRule(space: PacketSpace, r: RuleFacts): boolean {
  if (r.action.kind !== 'verdict' || r.action.outcome !== 'ACCEPT' || !r.action.standard) return false;
  const { bdd } = space;
  const replies = bdd.or(state(space, 'ESTABLISHED'), state(space, 'RELATED'));
  return bdd.intersects(r.match.set, state(space, 'ESTABLISHED')) && bdd.subset(r.match.set, replies);
}

/** Does the rule's match test the connection state (`-m state`, `-m conntrack --ctstate`)? */
export function testsState(space: PacketSpace, r: RuleFacts): boolean {
  return space.fieldsOf(r.match.set).has('state');
}

/** The chains a chain may send packets to (itself included), following jumps and gotos. */
export function chainsFrom(facts: TableFacts, name: string): ChainFacts[] {
  const seen = new Set<string>();
  const out: ChainFacts[] = [];
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    const c = facts.chains.get(n);
    if (!c) return;
    out.push(c);
    for (const r of c.rules) if (r.action.kind === 'jump' || r.action.kind === 'goto') visit(r.action.chain);
  };
  visit(name);
  return out;
}

/**
 * A realistic witness out of `set` on a hook, trying the preferred subsets first (a reply
 * from port 443 reads better than one from port 22). Undefined when the set has no
 * realistic packet.
 */
export function pickWitness(ctx: CheckContext, table: TableModel, hook: Hook, set: Node, prefer: readonly Node[] = [], realistic?: Node): Witness | undefined {
  const { space, interfaces } = spaceOf(ctx, table);
  const { bdd } = space;
  const real = bdd.and(set, realistic ?? ctx.realisticOn(table, hook));
  if (real === FALSE) return undefined;
  // Leaving packets read better from this host's address (192.0.2.10) to a remote one.
  const v4 = table.family === 'ipv4';
  const outbound = bdd.and(space.equals('src', v4 ? 0xc000020an : 0x20010db800000000000000000000000an), space.equals('dst', v4 ? 0xc6336407n : 0x20010db8000100000000000000000007n));
  // Routed packets read better between two different interfaces.
  const classes = interfaces.classes.filter((c) => c.name !== '');
  const distinct = bdd.orAll(classes.map((c) => bdd.and(space.equals('iif', c.index), bdd.not(space.equals('oif', c.index)))));
  const side = hook === 'OUTPUT' ? outbound : hook === 'FORWARD' ? distinct : undefined;
  const order = side === undefined ? prefer : [...prefer.map((p) => bdd.and(p, side)), side, ...prefer];
  for (const p of order) {
    const s = space.bdd.and(real, p);
    if (s !== FALSE) return witnessOf(space, interfaces, s);
  }
  return witnessOf(space, interfaces, real);
}

/** Who decides a witness, as the kernel would walk the filter table. */
export interface Decision {
  readonly outcome: string;
  /** The deciding rule, or undefined for the chain's policy. */
  readonly rule?: Rule;
  /** "dropped by the policy", "rejected by line 12". */
  readonly text: string;
  /** The claim for the kernel tests, when the trace is certain. */
  readonly fate?: WitnessFate;
  /** 0-based positions of the rules the witness matched in the hook's own chain, in order. */
  readonly path: readonly number[];
}

const PARTICIPLE: Record<string, string> = { ACCEPT: 'accepted', DROP: 'dropped', REJECT: 'rejected', QUEUE: 'queued', RETURN: 'returned', OTHER: 'taken' };

/**
 * Traces the witness through the table (the last filter table of its family, the one the
 * tracer follows). Undefined when the table is not that one, or the trace does not end in
 * one of `outcomes`.
 */
export function decide(ctx: CheckContext, table: TableModel, witness: Witness, outcomes: readonly string[]): Decision | undefined {
  const last = ctx.ruleset.tables.filter((t) => t.family === table.family && t.table === 'filter').pop();
  if (last !== table) return undefined;
  const t = ctx.trace(witness, table.family);
  if (!outcomes.includes(t.verdict)) return undefined;
  const verb = PARTICIPLE[t.verdict] ?? 'taken';
  const path = t.matched.filter((m) => m.chain === t.hook).map((m) => m.rule - 1);
  if ('policy' in t.decidedBy) {
    return { outcome: t.verdict, text: `${verb} by the policy of ${t.decidedBy.chain}`, fate: t.certain ? { table: 'filter', outcome: t.verdict } : undefined, path };
  }
  const line = t.decidedBy.line;
  const rule = ruleAtLine(ctx, table, line);
  return { outcome: t.verdict, rule, text: `${verb} by line ${line}`, fate: t.certain ? { table: 'filter', outcome: t.verdict, line } : undefined, path };
}

/** The table's rule on a 1-based file line. */
export function ruleAtLine(ctx: CheckContext, table: TableModel, line: number): Rule | undefined {
  for (const chain of table.chains.values()) for (const r of chain.rules) if (ctx.lineOf(r) === line) return r;
  return undefined;
}

/** Where a finding about how a chain closes goes: its `:CHAIN POLICY` line, or the catch-all rule. */
export function chainSpan(ctx: CheckContext, table: TableModel, d: DefaultDrop): Span {
  if (d.by === 'rule' && d.rule) return ctx.spanOf(d.rule.rule);
  const decl = d.chain.chain.declaration;
  if (decl !== undefined) return ctx.tree.lines[decl].span;
  const block = ctx.tree.blocks[table.block];
  return ctx.tree.lines[block.header].span;
}

/** The witness in words, with who decides it: "tcp ... (ESTABLISHED, ACK) is dropped by the policy of INPUT". */
export function decidedWitness(w: Witness, d: Decision): string {
  return `${describeWitness(w)} is ${d.text}`;
}

/**
 * The leading rules of a chain that accept loopback traffic only (`-i lo -j ACCEPT`): new
 * rules for replies go after them, where people expect them.
 */
export function leadingLoopbackRules(ctx: CheckContext, table: TableModel, chain: ChainFacts): RuleFacts[] {
  const { bdd } = spaceOf(ctx, table).space;
  const lo = bdd.or(loopback(ctx, table, 'iif'), loopback(ctx, table, 'oif'));
  const out: RuleFacts[] = [];
  for (const r of chain.rules) {
    if (r.action.kind !== 'verdict' || r.action.outcome !== 'ACCEPT' || !bdd.subset(r.match.set, lo)) break;
    out.push(r);
  }
  return out;
}

/**
 * The words of a rule that select packets (no `-A CHAIN`, no target, no comment), for a
 * fix's effect: `['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED']`.
 */
export function matchWordsOf(rule: Rule): string[] {
  const s = rule.syntax;
  const words: string[] = [];
  const skip = new Set<number>();
  if (s.command) skip.add(s.command.item);
  if (s.target) skip.add(s.target.item);
  for (const m of s.matches) if (m.name === 'comment' && m.loadItem !== undefined) skip.add(m.loadItem);
  s.items.forEach((item, i) => {
    if (skip.has(i) || item.owner.kind === 'target') return;
    if (item.owner.kind === 'match' && s.matches[item.owner.instance]?.name === 'comment') return;
    if (item.negation) words.push('!');
    words.push(item.written, ...item.args.map((w) => w.text));
  });
  return words;
}

/**
 * The packet that opened the connection a reply belongs to (the reply turned around, state
 * NEW), or undefined when that is not a plain reversal (ICMP errors).
 */
export function originalOf(w: Witness): Witness | undefined {
  const base = { proto: w.proto, src: w.dst, dst: w.src, in: w.out, out: w.in, state: 'NEW' };
  if (w.proto === 'tcp') return { ...base, sport: w.dport, dport: w.sport, flags: 'SYN' };
  if (w.sport !== undefined) return { ...base, sport: w.dport, dport: w.sport };
  if (w.icmp_type === 0 || w.icmp_type === 129) return { ...base, icmp_type: w.icmp_type === 0 ? 8 : 128, icmp_code: 0 };
  return undefined;
}

/** Is the connection a reply belongs to certainly let through (so that the reply really exists)? */
export function originalAccepted(ctx: CheckContext, table: TableModel, w: Witness): boolean {
  const o = originalOf(w);
  if (!o) return false;
  const last = ctx.ruleset.tables.filter((t) => t.family === table.family && t.table === 'filter').pop();
  if (last !== table) return false;
  const t = ctx.trace(o, table.family);
  return t.verdict === 'ACCEPT' && t.certain;
}

/** The reply to a connection's first packet: turned around, ESTABLISHED. */
export function replyOf(o: Witness): Witness | undefined {
  const base = { proto: o.proto, src: o.dst, dst: o.src, in: o.out, out: o.in, state: 'ESTABLISHED' };
  if (o.proto === 'tcp') return { ...base, sport: o.dport, dport: o.sport, flags: 'ACK' };
  if (o.sport !== undefined) return { ...base, sport: o.dport, dport: o.sport };
  if (o.icmp_type === 8 || o.icmp_type === 128) return { ...base, icmp_type: o.icmp_type === 8 ? 0 : 129, icmp_code: 0 };
  return undefined;
}

/** The hook that sees the first packets of the connections whose replies pass through `hook`. */
export function openerOf(hook: 'INPUT' | 'OUTPUT' | 'FORWARD'): 'INPUT' | 'OUTPUT' | 'FORWARD' {
  return hook === 'INPUT' ? 'OUTPUT' : hook === 'OUTPUT' ? 'INPUT' : 'FORWARD';
}

/**
 * A reply out of `set` whose connection the firewall certainly lets open: replies are
 * only worth a finding when the connection they answer can exist. Looks first among the
 * connections the firewall opens (their replies, turned around), then among the replies
 * of the set; each time for the usual kinds of traffic (HTTPS, DNS, any TCP, UDP, ping) on
 * each interface.
 */
export function replyWitness(ctx: CheckContext, table: TableModel, hook: 'INPUT' | 'OUTPUT' | 'FORWARD', set: Node): Witness | undefined {
  const { space, interfaces } = spaceOf(ctx, table);
  const { bdd } = space;
  const realistic = bdd.and(set, ctx.realisticOn(table, hook));
  if (realistic === FALSE) return undefined;
  const tcp = space.equals('proto', 6);
  const udp = space.equals('proto', 17);
  const icmp = space.equals('proto', table.family === 'ipv4' ? 1 : 58);
  const real = interfaces.classes.filter((c) => c.name !== '' && c.name !== 'lo').slice(0, 8);
  const sidesOf = (h: string, field: 'iif' | 'oif') => {
    const sides: Node[] = [];
    if (h === 'FORWARD') for (const c of real) for (const o of real) if (o !== c) sides.push(bdd.and(space.equals('iif', c.index), space.equals('oif', o.index)));
    for (const c of real) sides.push(space.equals(field, c.index));
    return [...sides, bdd.not(FALSE)];
  };
  // From the connections the opener certainly accepts.
  const opener = openerOf(hook);
  const facts = ctx.tableFacts(table);
  const openerChain = facts.chains.get(opener);
  if (openerChain) {
    const opened = bdd.andAll([openerChain.outcomes().must.ACCEPT, state(space, 'NEW'), offLoopback(ctx, table), space.equals('sport', 40000)]);
    const port = (p: Node, n: number) => bdd.and(p, space.equals('dport', n));
    const kinds = [port(tcp, 443), port(udp, 53), tcp, udp, bdd.and(icmp, space.equals('icmpType', table.family === 'ipv4' ? 8 : 128))];
    for (const kind of kinds) {
      const k = bdd.and(opened, kind);
      if (k === FALSE) continue;
      for (const side of sidesOf(opener, opener === 'INPUT' ? 'iif' : 'oif')) {
        const o = pickWitness(ctx, table, opener, bdd.and(k, side));
        const r = o && replyOf(o);
        if (r && inSet(ctx, table, realistic, r) && originalAccepted(ctx, table, r)) return r;
      }
    }
  }
  // From the replies themselves.
  const kinds = [bdd.andAll([tcp, space.equals('sport', 443), space.equals('dport', 40000)]), bdd.andAll([udp, space.equals('sport', 53), space.equals('dport', 40000)]), tcp, udp, icmp];
  for (const kind of kinds) {
    const k = bdd.and(realistic, kind);
    if (k === FALSE) continue;
    for (const side of sidesOf(hook, hook === 'OUTPUT' ? 'oif' : 'iif')) {
      const w = pickWitness(ctx, table, hook, bdd.and(k, side));
      if (w && originalAccepted(ctx, table, w)) return w;
    }
  }
  return undefined;
}

/** Is the concrete packet in the set? */
export function inSet(ctx: CheckContext, table: TableModel, set: Node, w: Witness): boolean {
  const { space, interfaces } = spaceOf(ctx, table);
  return space.bdd.contains(set, assignment(space, interfaces, w));
}

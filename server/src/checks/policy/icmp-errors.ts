// What the ICMP checks share (IPT308 icmp-blocked, IPT309 icmpv6-nd-blocked): the ICMP
// errors a chain certainly drops although they belong to traffic it lets through.
//
// An ICMP error about a tracked connection is RELATED to it (one about no known connection
// is INVALID, and nobody needs it). It travels the way the connection's replies do: same
// interfaces, same destination, from the same side. So an error only matters on a path where the chain accepts
// replies (ESTABLISHED packets): a FORWARD chain of a host that routes nothing, or a path
// the ruleset never opens, has no connection for an error to be about. And a chain that
// drops by default without any rule about connection states is IPT302's finding
// (missing-established), not ours.

import { Hook } from '../../catalogue/types';
import { TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { TableFacts } from '../../semantics/engine';
import { CT_STATE_VALUES, FieldName, PacketSpace } from '../../semantics/fields';
import { CheckContext } from '../context';
import { despiteOtherTables, quantify } from './service-access';
import { handlesState } from './missing-established';
import { defaultDrop, fateIn } from './traffic';

/** The set of packets that agree with some member of `set` on the fields kept (the others are free). */
export function keepFields(space: PacketSpace, set: Node, fields: readonly FieldName[]): Node {
  const keep = new Set<number>();
  for (const f of fields) {
    const { first, bits } = space.field(f);
    for (let i = 0; i < bits; i++) keep.add(first + i);
  }
  return quantify(space, set, (v) => keep.has(v));
}

/** Packets that do not use the loopback interface. */
export function offLoopback(ctx: CheckContext, table: TableModel): Node {
  const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
  const lo = interfaces.indexOf('lo');
  if (lo === undefined) return 1;
  return space.bdd.and(space.bdd.not(space.equals('iif', lo)), space.bdd.not(space.equals('oif', lo)));
}

/**
 * The paths (in and out interfaces, source and destination) on which a built-in chain
 * certainly accepts some realistic replies: where ICMP errors about its connections come.
 * The error comes from a router on the way to the connection's peer, so from the side
 * (and, as far as the ruleset tells, the addresses) the replies come from: anti-spoofing
 * rules that accept replies on an interface only from its own network hold for its
 * errors too.
 */
export function replyPaths(ctx: CheckContext, table: TableModel, facts: TableFacts, hook: Hook): Node {
  const { space } = facts;
  const replies = space.bdd.andAll([ctx.realisticOn(table, hook), offLoopback(ctx, table), space.equals('state', CT_STATE_VALUES.indexOf('ESTABLISHED'))]);
  const accepted = despiteOtherTables(ctx, table, hook, replies, space.bdd.and(fateIn(facts, hook, replies).accepted, replies));
  return accepted === FALSE ? FALSE : keepFields(space, accepted, ['iif', 'oif', 'src', 'dst']);
}

/**
 * The realistic ICMP errors of `errors` (RELATED, off loopback) that the chain certainly
 * drops or rejects, on paths where it accepts replies; none when IPT302 (missing-established)
 * reports the chain.
 */
export function blockedErrors(ctx: CheckContext, table: TableModel, facts: TableFacts, hook: Hook, errors: Node): Node {
  // A closed chain that accepts nothing by its state is IPT302's finding, whose fix
  // (accepting RELATED,ESTABLISHED) lets the errors in too.
  if (defaultDrop(facts, hook) && !handlesState(facts, hook)) return FALSE;
  const { space } = facts;
  const { bdd } = space;
  const candidates = bdd.andAll([errors, space.equals('state', CT_STATE_VALUES.indexOf('RELATED')), ctx.realisticOn(table, hook), offLoopback(ctx, table)]);
  if (candidates === FALSE) return FALSE;
  const blocked = despiteOtherTables(ctx, table, hook, candidates, bdd.and(fateIn(facts, hook, candidates).blocked, candidates));
  if (blocked === FALSE) return FALSE;
  return bdd.and(blocked, replyPaths(ctx, table, facts, hook));
}

/** ICMP packets of a type, and of a code range (every code when absent). */
export function icmpOf(space: PacketSpace, type: number, code?: number): Node {
  const proto = space.equals('proto', space.family === 'ipv4' ? 1 : 58);
  const typed = space.bdd.and(proto, space.equals('icmpType', type));
  return code === undefined ? typed : space.bdd.and(typed, space.equals('icmpCode', code));
}

/** Whether the family's rulesets use connection tracking (state matches or NAT). */
export function tracks(ctx: CheckContext, table: TableModel): boolean {
  return ctx.getEngine().spaces.get(table.family)?.conntrack ?? false;
}

/** For a witness: the packets of `set` that do not leave by the interface they came in, when there are some. */
export function throughTwoInterfaces(ctx: CheckContext, table: TableModel, set: Node): Node {
  const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
  const { bdd } = space;
  const same = bdd.orAll(interfaces.classes.filter((c) => c.name !== '').map((c) => bdd.and(space.equals('iif', c.index), space.equals('oif', c.index))));
  const apart = bdd.diff(set, same);
  return apart === FALSE ? set : apart;
}

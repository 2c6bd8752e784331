// What the access checks share (IPT305 lockout, IPT306 must-allow-blocked, and the ICMP
// checks IPT308/IPT309): new connections from outside, the services the configuration says
// must stay reachable, how the kernel decides a witness (for messages and witnessFate), and
// where a fix inserts an ACCEPT.

import { Hook } from '../../catalogue/types';
import { formatAddress } from '../../catalogue/addresses';
import { MustAllow } from '../../config/config';
import { Rule, TableModel } from '../../model/ruleset';
import { FALSE, Node, TRUE } from '../../semantics/bdd';
import { FieldName, PacketSpace } from '../../semantics/fields';
import { RuleFacts, TableFacts } from '../../semantics/engine';
import { Witness } from '../../semantics/witness';
import { Span } from '../../syntax/text';
import { CheckContext } from '../context';
import { inFileOrder, insertAfter, insertAtStart, ruleLine, styleOf } from '../edits';
import { Edit, WitnessFate } from '../types';
import { fateIn } from './traffic';

/**
 * The filter tables the engine can analyse, the last one of each family only: each
 * `*filter` block of a file replaces the table the one before it loaded, so only the last
 * is what the kernel ends up with.
 */
export function filterTables(ctx: CheckContext): Array<{ table: TableModel; facts: TableFacts }> {
  const out: Array<{ table: TableModel; facts: TableFacts }> = [];
  const last = new Map<string, TableModel>();
  for (const table of ctx.ruleset.tables) if (table.table === 'filter') last.set(table.family, table);
  for (const table of ctx.tables()) {
    if (last.get(table.family) !== table) continue;
    const facts = ctx.tableFacts(table);
    if (!facts.skipped) out.push({ table, facts });
  }
  return out;
}

/**
 * The blocked packets worth a claim. When the ruleset accepts some of the same traffic,
 * but only on interfaces it names (`-i eth0`), the host's real interfaces are most likely
 * those: packets on interfaces the ruleset never mentions are left out of the claim.
 */
export function onNamedInterfaces(ctx: CheckContext, table: TableModel, field: 'iif' | 'oif', accepted: Node, blocked: Node): Node {
  const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
  // No interface name has a space: this finds the class of the names no rule mentions.
  const other = interfaces.indexOf(' ');
  if (other === undefined || accepted === FALSE) return blocked;
  const elsewhere = space.equals(field, other);
  return space.bdd.intersects(accepted, elsewhere) ? blocked : space.bdd.diff(blocked, elsewhere);
}

/** Realistic new connections over a real interface (not loopback) on a hook. */
export function newFromOutside(ctx: CheckContext, table: TableModel, hook: Hook): Node {
  return ctx.getEngine().spaces.get(table.family)!.space.bdd.and(ctx.realisticOn(table, hook), ctx.typical(table));
}

/** The mustAllow entries that concern a table's family (a `from` network has one family). */
export function mustAllowFor(ctx: CheckContext, table: TableModel): MustAllow[] {
  return ctx.config.mustAllow.filter((e) => !e.from || e.from.family === table.family);
}

/** A network as iptables writes it: `10.0.0.0/8`, or the bare address for a single host. */
export function networkText(from: NonNullable<MustAllow['from']>): string {
  const bits = from.family === 'ipv4' ? 32 : 128;
  const address = formatAddress(from.family, from.address);
  return from.prefix === bits ? address : `${address}/${from.prefix}`;
}

/** The match words of a mustAllow entry: `-s 10.0.0.0/8 -p tcp --dport 22`. */
export function serviceWords(entry: MustAllow): string[] {
  return [...(entry.from ? ['-s', networkText(entry.from)] : []), '-p', entry.protocol, '--dport', String(entry.port)];
}

/**
 * Whether INPUT certainly refuses every realistic new connection from a real interface
 * (nothing is accepted, and no rule the engine cannot model might accept any): the
 * packets, or undefined when something new may get in.
 */
export function lockedOut(ctx: CheckContext, table: TableModel, facts: TableFacts): Node | undefined {
  if (!facts.chains.get('INPUT')) return undefined;
  const fresh = newFromOutside(ctx, table, 'INPUT');
  const fate = fateIn(facts, 'INPUT', fresh);
  const { bdd } = facts.space;
  if (fate.blocked === FALSE || fate.accepted !== FALSE || fate.unsure !== FALSE) return undefined;
  const blocked = despiteOtherTables(ctx, table, 'INPUT', fresh, bdd.and(fate.blocked, fresh));
  return blocked !== FALSE && bdd.diff(fresh, blocked) === FALSE ? blocked : undefined;
}

/** Targets of other tables that leave a packet as the filter table will see it. */
const HARMLESS_TARGETS = new Set(['ACCEPT', 'RETURN', 'LOG', 'NFLOG', 'ULOG', 'TRACE', 'CLASSIFY', 'SNAT', 'MASQUERADE', 'SECMARK', 'CONNSECMARK', 'AUDIT']);
/** Targets that change only the packet's mark. */
const MARK_TARGETS = new Set(['MARK', 'CONNMARK', 'HMARK']);
/** The built-in chains of other tables that a packet goes through before the filter table's hook. */
const BEFORE: Readonly<Record<string, readonly string[]>> = {
  INPUT: ['PREROUTING', 'INPUT'],
  FORWARD: ['PREROUTING', 'FORWARD'],
  OUTPUT: ['OUTPUT'],
};

/**
 * What the other tables of the family may do to packets before the filter table's hook:
 * the packets a rule may rewrite, drop or untrack there (`touched`: NAT, NOTRACK, a DROP in
 * raw ...), and whether some rule sets marks (then the filter table's mark matches do not
 * tell what the packet will carry).
 */
const changes = new WeakMap<CheckContext, Map<string, { touched: Node; marks: boolean }>>();

function changedBefore(ctx: CheckContext, table: TableModel, hook: Hook): { touched: Node; marks: boolean } {
  const memo = changes.get(ctx) ?? new Map<string, { touched: Node; marks: boolean }>();
  changes.set(ctx, memo);
  const key = `${table.family}/${hook}`;
  const known = memo.get(key);
  if (known) return known;
  const { bdd } = ctx.getEngine().spaces.get(table.family)!.space;
  let touched = FALSE;
  let marks = false;
  for (const other of ctx.ruleset.tables) {
    if (other.family !== table.family || other.table === 'filter' || other.table === 'security') continue;
    const facts = ctx.tableFacts(other);
    for (const chain of other.chains.values()) {
      if (chain.builtin && !(BEFORE[hook] ?? []).includes(chain.name)) continue;
      const chainFacts = facts.chains.get(chain.name);
      chain.rules.forEach((rule, i) => {
        const t = rule.target;
        if (!t || t.kind === 'chain' || HARMLESS_TARGETS.has(t.name)) return;
        if (MARK_TARGETS.has(t.name)) marks = true;
        // A table the engine could not analyse (a jump loop) may touch anything.
        else touched = bdd.or(touched, chainFacts?.rules[i]?.match.set ?? TRUE);
      });
    }
  }
  memo.set(key, { touched, marks });
  return { touched, marks };
}

/**
 * The part of `decided` (a subset of `candidates` the filter table certainly blocks, or
 * certainly accepts) that stays so whatever the other tables do before: packets they may
 * rewrite or drop are left out, and when they set marks, only packets decided so with
 * every mark are kept.
 */
export function despiteOtherTables(ctx: CheckContext, table: TableModel, hook: Hook, candidates: Node, decided: Node): Node {
  if (decided === FALSE) return FALSE;
  const { space } = ctx.getEngine().spaces.get(table.family)!;
  const { bdd } = space;
  const { touched, marks } = changedBefore(ctx, table, hook);
  let out = bdd.diff(decided, touched);
  if (marks && out !== FALSE) out = bdd.diff(out, forgetFields(space, bdd.diff(candidates, decided), ['mark']));
  return out;
}

/** The packets that agree with some member of `set` on every field but `fields` (those are set free). */
export function forgetFields(space: PacketSpace, set: Node, fields: readonly FieldName[]): Node {
  const drop = new Set<number>();
  for (const f of fields) {
    const { first, bits } = space.field(f);
    for (let i = 0; i < bits; i++) drop.add(first + i);
  }
  return quantify(space, set, (v) => !drop.has(v));
}

/** Existential quantification of the variables `keep` rejects. */
export function quantify(space: PacketSpace, set: Node, keep: (v: number) => boolean): Node {
  const { bdd } = space;
  const memo = new Map<Node, Node>();
  const rec = (n: Node): Node => {
    if (n === FALSE || n === TRUE) return n;
    const known = memo.get(n);
    if (known !== undefined) return known;
    const v = bdd.varOf(n);
    const lo = rec(bdd.low(n));
    const hi = rec(bdd.high(n));
    const out = keep(v) ? bdd.make(v, lo, hi) : bdd.or(lo, hi);
    memo.set(n, out);
    return out;
  };
  return rec(set);
}

/** What the kernel does with a witness, in words and as a claim for the kernel tests. */
export interface Decision {
  /** "dropped by the policy", "rejected by line 12". */
  readonly text: string;
  /** The deciding rule, when a rule decides. */
  readonly rule?: Rule;
  /** Undefined when the trace passes a rule the engine cannot model (no claim is made then). */
  readonly fate?: WitnessFate;
}

/** How the filter table decides a witness packet. */
export function decisionOf(ctx: CheckContext, table: TableModel, witness: Witness): Decision {
  const t = ctx.trace(witness, table.family);
  const verb = t.verdict === 'REJECT' ? 'rejected' : t.verdict === 'DROP' ? 'dropped' : t.verdict === 'ACCEPT' ? 'accepted' : 'taken';
  if ('policy' in t.decidedBy) {
    return { text: `${verb} by the policy of ${t.decidedBy.chain}`, fate: t.certain ? { table: 'filter', outcome: t.verdict } : undefined };
  }
  const line = t.decidedBy.line;
  const rule = ruleOnLine(ctx, table, line);
  return { text: `${verb} by line ${line}`, rule, fate: t.certain ? { table: 'filter', outcome: t.verdict, line } : undefined };
}

function ruleOnLine(ctx: CheckContext, table: TableModel, line: number): Rule | undefined {
  for (const chain of table.chains.values()) for (const r of chain.rules) if (ctx.lineOf(r) === line) return r;
  return undefined;
}

/** The span of a chain's declaration line (`:INPUT DROP [0:0]`), or of the table's header. */
export function declarationSpan(ctx: CheckContext, table: TableModel, chain: string): Span {
  const decl = table.chains.get(chain)?.declaration;
  const block = ctx.tree.blocks[table.block];
  return ctx.tree.lines[decl ?? block.header].span;
}

/** Where a finding about a witness points: the rule that decides it, or the chain's declaration. */
export function findingSpan(ctx: CheckContext, table: TableModel, chain: string, decision: Decision): Span {
  return decision.rule ? ctx.spanOf(decision.rule) : declarationSpan(ctx, table, chain);
}

/**
 * Inserts ACCEPT rules near the top of a built-in chain: after its leading rules that
 * cannot touch new connections from real interfaces (loopback, established, invalid), so
 * those keep deciding first. Undefined when the chain's positions cannot be edited.
 */
export function insertNearTop(ctx: CheckContext, table: TableModel, facts: TableFacts, chain: string, rules: ReadonlyArray<readonly string[]>): { edit: Edit; lines: string[] } | undefined {
  if (!inFileOrder(table, chain)) return undefined;
  const style = styleOf(ctx.tree);
  const lines = rules.map((words) => ruleLine(style, chain, words));
  const { bdd } = facts.space;
  const fresh = ctx.typical(table);
  let last: RuleFacts | undefined;
  for (const r of facts.chains.get(chain)?.rules ?? []) {
    if (bdd.intersects(r.match.set, fresh)) break;
    last = r;
  }
  const edit = last ? insertAfter(ctx.tree, style, last.rule, lines) : insertAtStart(ctx.tree, style, table, chain, lines);
  return edit ? { edit, lines } : undefined;
}

/** Inserts rules at the very top of a built-in chain (undefined when positions cannot be edited). */
export function insertAtTop(ctx: CheckContext, table: TableModel, chain: string, rules: ReadonlyArray<readonly string[]>): { edit: Edit; lines: string[] } | undefined {
  const style = styleOf(ctx.tree);
  const lines = rules.map((words) => ruleLine(style, chain, words));
  const edit = insertAtStart(ctx.tree, style, table, chain, lines);
  return edit ? { edit, lines } : undefined;
}

/** "'-A INPUT ...'" for one line, "2 rules" for several: fix titles stay short. */
export function linesTitle(lines: readonly string[]): string {
  return lines.length === 1 ? `'${lines[0]}'` : `${lines.length} rules`;
}

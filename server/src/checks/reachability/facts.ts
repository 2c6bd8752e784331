// Helpers the reachability checks share: walking the analysed rules, describing actions,
// and finding the earlier rules that explain a finding.

import { Hook } from '../../catalogue/types';
import { isBuiltinChain, TableModel } from '../../model/ruleset';
import { FALSE, Node, TRUE } from '../../semantics/bdd';
import { Action, ChainFacts, RuleFacts, TableFacts } from '../../semantics/engine';
import { CheckContext } from '../context';

export interface AnalysedRule {
  readonly table: TableModel;
  readonly facts: TableFacts;
  readonly chain: ChainFacts;
  readonly index: number;
  readonly rule: RuleFacts;
}

/** Every rule of every analysable table, in reachable chains only, with its facts. */
export function* analysedRules(ctx: CheckContext): Generator<AnalysedRule> {
  for (const table of ctx.tables()) {
    const facts = ctx.tableFacts(table);
    if (facts.skipped) continue;
    for (const chain of facts.chains.values()) {
      if (!chain.reachable) continue;
      for (let i = 0; i < chain.rules.length; i++) yield { table, facts, chain, index: i, rule: chain.rules[i] };
    }
  }
}

/** Packets that may reach the rule and match it (built: use canMatch to ask only whether any). */
export function mayMatch(facts: TableFacts, chain: ChainFacts, r: RuleFacts): Node {
  const { bdd } = facts.space;
  return bdd.and(chain.mayEntry, bdd.and(r.mayReach, r.match.set));
}

/** Whether any packet may reach the rule and match it. */
export function canMatch(facts: TableFacts, chain: ChainFacts, r: RuleFacts): boolean {
  const { bdd } = facts.space;
  return bdd.intersects(chain.mayEntry, bdd.and(r.mayReach, r.match.set));
}

/** Packets that certainly reach the rule and are certainly matched by it, counting only its chain's rules. */
export function mustMatchLocal(facts: TableFacts, r: RuleFacts): Node {
  return r.match.certain ? facts.space.bdd.and(r.mustReach, r.match.set) : FALSE;
}

export function actionText(a: Action): string {
  switch (a.kind) {
    case 'verdict':
      return a.target;
    case 'jump':
      return `jump to ${a.chain}`;
    case 'goto':
      return `goto ${a.chain}`;
    default:
      return 'continue';
  }
}

/** How a rule decides the packets it takes, as a participle: "dropped", "sent to SSH". */
export function decidedText(a: Action): string {
  switch (a.kind) {
    case 'verdict':
      if (!a.standard && a.outcome !== 'REJECT') return `taken by ${a.target}`;
      return { ACCEPT: 'accepted', DROP: 'dropped', REJECT: 'rejected', RETURN: 'returned to the calling chain', QUEUE: 'queued to user space', OTHER: 'taken' }[a.outcome];
    case 'jump':
      return `sent to ${a.chain}`;
    case 'goto':
      return `sent (goto) to ${a.chain}`;
    default:
      return 'seen';
  }
}

/** The hook a built-in chain sits on (undefined for user chains). */
export function hookOf(table: TableModel, chain: string): Hook | undefined {
  return isBuiltinChain(table.table, chain) ? chain : undefined;
}

/** An earlier rule's share in deciding the packets of `target`. */
export interface Cover {
  readonly rule: RuleFacts;
  readonly covered: Node;
  /** Share of the target this rule decided when the greedy choice took it (0 to 1). */
  readonly share: number;
}

/**
 * The earlier rules of the chain that decide the packets of `target`, at most `limit` of
 * them, the one deciding most of its typical traffic (`focus`: new connections on real
 * interfaces) first. Every packet is decided by exactly one rule (the first that matches
 * it for certain), so the rules can be searched in any order: backwards from the rule, as
 * the rule that explains a finding usually sits just above it.
 */
export function coveringRules(facts: TableFacts, chain: ChainFacts, index: number, target: Node, focus: Node = TRUE, limit = 5): Cover[] {
  const { bdd } = facts.space;
  // The target holds the chain's entry, which can be large; the rule's own match is small
  // and tells most unrelated rules apart just as well.
  const own = chain.rules[index].match.set;
  const found: Cover[] = [];
  let left = target;
  for (const k of deciderIndex(facts, chain).meeting(own, index)) {
    if (left === FALSE || found.length >= limit) break;
    const r = chain.rules[k];
    let covered = bdd.and(bdd.and(left, r.match.set), r.mayReach);
    // Packets a jumped-to chain may hand back are not decided by the jump.
    if (r.action.kind === 'jump') covered = bdd.diff(covered, facts.chains.get(r.action.chain)?.localOutcomes().may.RETURN ?? FALSE);
    if (covered === FALSE) continue;
    found.push({ rule: r, covered, share: 0 });
    left = bdd.diff(left, covered);
  }
  const sizes = new Map<Node, number>();
  const typical = bdd.and(target, focus);
  const total = bdd.fraction(typical, sizes) || 1;
  const shares = found.map((c) => ({ ...c, share: bdd.fraction(bdd.and(c.covered, typical), sizes) / total }));
  return shares.sort((x, y) => y.share - x.share || x.rule.rule.order - y.rule.rule.order);
}

/** Rules per block of the decider index: blocks that meet nothing are skipped whole. */
const BLOCK = 32;

/**
 * The rules of a chain that decide packets for certain (verdicts, jumps, gotos with a
 * certain match), with the union of their matches per block of consecutive rules, so that
 * the rules whose match meets some set are found without testing every rule of a long chain.
 */
export class DeciderIndex {
  private readonly blocks: Node[] = [];

  constructor(
    private readonly facts: TableFacts,
    private readonly chain: ChainFacts,
  ) {
    const { bdd } = facts.space;
    for (let start = 0; start < chain.rules.length; start += BLOCK) {
      let union = FALSE;
      for (let k = start; k < Math.min(start + BLOCK, chain.rules.length); k++) if (this.decides(k)) union = bdd.or(union, chain.rules[k].match.set);
      this.blocks.push(union);
    }
  }

  private decides(k: number): boolean {
    const r = this.chain.rules[k];
    return r.action.kind !== 'continue' && r.match.certain;
  }

  /** Indexes of the deciding rules after `after` whose match meets `set`, nearest first. */
  *meetingAfter(set: Node, after: number): Generator<number> {
    const { bdd } = this.facts.space;
    for (let b = Math.floor((after + 1) / BLOCK); b < this.blocks.length; b++) {
      if (!bdd.intersects(set, this.blocks[b])) continue;
      for (let k = Math.max(after + 1, b * BLOCK); k < Math.min((b + 1) * BLOCK, this.chain.rules.length); k++) if (this.decides(k) && bdd.intersects(set, this.chain.rules[k].match.set)) yield k;
    }
  }

  /** Indexes of the deciding rules before `before` whose match meets `set`, nearest first. */
  *meeting(set: Node, before: number): Generator<number> {
    const { bdd } = this.facts.space;
    for (let b = Math.floor((before - 1) / BLOCK); b >= 0; b--) {
      if (!bdd.intersects(set, this.blocks[b])) continue;
      for (let k = Math.min(before, (b + 1) * BLOCK) - 1; k >= b * BLOCK; k--) if (this.decides(k) && bdd.intersects(set, this.chain.rules[k].match.set)) yield k;
    }
  }
}

const deciderIndexes = new WeakMap<ChainFacts, DeciderIndex>();

export function deciderIndex(facts: TableFacts, chain: ChainFacts): DeciderIndex {
  let index = deciderIndexes.get(chain);
  if (!index) {
    index = new DeciderIndex(facts, chain);
    deciderIndexes.set(chain, index);
  }
  return index;
}

/**
 * The first rule of the chain that decides every packet reaching it (a certain verdict or
 * goto whose match covers all of what is left), when rules follow it: everything after it
 * is dead. Undefined when there is no such rule.
 */
const catchAlls = new WeakMap<ChainFacts, number | undefined>();

export function catchAllIndex(facts: TableFacts, chain: ChainFacts): number | undefined {
  if (catchAlls.has(chain)) return catchAlls.get(chain);
  const { bdd } = facts.space;
  let found: number | undefined;
  for (let i = 0; i < chain.rules.length - 1 && found === undefined; i++) {
    const r = chain.rules[i];
    if (!r.match.certain || (r.action.kind !== 'verdict' && r.action.kind !== 'goto')) continue;
    if (!bdd.intersects(chain.mayEntry, r.mayReach)) continue;
    if (!bdd.intersects(chain.mayEntry, bdd.diff(r.mayReach, r.match.set))) found = i;
  }
  catchAlls.set(chain, found);
  return found;
}

/** The packets a rule would accept if it matched them (itself, or the chain it jumps to). */
export function acceptedBy(facts: TableFacts, r: RuleFacts): Node {
  const { bdd } = facts.space;
  if (r.action.kind === 'verdict') return r.action.outcome === 'ACCEPT' && r.action.standard ? r.match.set : FALSE;
  if (r.action.kind === 'jump' || r.action.kind === 'goto') {
    const callee = facts.chains.get(r.action.chain);
    return callee ? bdd.and(r.match.set, callee.localOutcomes().may.ACCEPT) : FALSE;
  }
  return FALSE;
}

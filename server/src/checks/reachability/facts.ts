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

/** Packets that may reach the rule and match it. */
export function mayMatch(facts: TableFacts, r: RuleFacts): Node {
  return facts.space.bdd.and(r.mayReach, r.match.set);
}

/** Packets that certainly reach the rule and are certainly matched by it. */
export function mustMatch(facts: TableFacts, r: RuleFacts): Node {
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
 * A small set of earlier rules of the chain that together decide the packets of `target`,
 * chosen greedily (the rule deciding most of what is left first), at most `limit` of them.
 * Only rules that certainly decide what they match count. Packets in `focus` (typical
 * traffic: new connections on real interfaces) are covered first, so the rule that explains
 * the finding comes first rather than, say, the loopback rule that takes a sliver of it.
 */
export function coveringRules(facts: TableFacts, chain: ChainFacts, index: number, target: Node, focus: Node = TRUE, limit = 5): Cover[] {
  const { bdd } = facts.space;
  const candidates: Cover[] = [];
  for (let k = 0; k < index; k++) {
    const r = chain.rules[k];
    if (r.action.kind === 'continue' || !r.match.certain) continue;
    let covered = bdd.and(target, bdd.and(r.mayReach, r.match.set));
    // Packets a jumped-to chain may hand back are not decided by the jump.
    if (r.action.kind === 'jump') covered = bdd.diff(covered, facts.chains.get(r.action.chain)?.outcomes().may.RETURN ?? FALSE);
    if (covered !== FALSE) candidates.push({ rule: r, covered, share: 0 });
  }
  const chosen: Cover[] = [];
  for (const part of [bdd.and(target, focus), bdd.diff(target, focus)]) {
    const total = bdd.fraction(part);
    let left = part;
    while (left !== FALSE && chosen.length < limit) {
      let best: Cover | undefined;
      let bestSize = 0;
      for (const c of candidates) {
        if (chosen.some((x) => x.rule === c.rule)) continue;
        const size = bdd.fraction(bdd.and(c.covered, left));
        if (size > bestSize) {
          best = c;
          bestSize = size;
        }
      }
      if (!best) break;
      chosen.push({ ...best, share: chosen.length === 0 ? 1 : bestSize / total / 2 });
      left = bdd.diff(left, best.covered);
    }
  }
  return chosen;
}

/**
 * The first rule of the chain that decides every packet reaching it (a certain verdict or
 * goto whose match covers all of what is left), when rules follow it: everything after it
 * is dead. Undefined when there is no such rule.
 */
export function catchAllIndex(facts: TableFacts, chain: ChainFacts): number | undefined {
  const { bdd } = facts.space;
  for (let i = 0; i < chain.rules.length - 1; i++) {
    const r = chain.rules[i];
    if (!r.match.certain || r.mayReach === FALSE) continue;
    if (r.action.kind !== 'verdict' && r.action.kind !== 'goto') continue;
    if (bdd.subset(r.mayReach, r.match.set)) return i;
  }
  return undefined;
}

/** The packets a rule would accept if it matched them (itself, or the chain it jumps to). */
export function acceptedBy(facts: TableFacts, r: RuleFacts): Node {
  const { bdd } = facts.space;
  if (r.action.kind === 'verdict') return r.action.outcome === 'ACCEPT' && r.action.standard ? r.match.set : FALSE;
  if (r.action.kind === 'jump' || r.action.kind === 'goto') {
    const callee = facts.chains.get(r.action.chain);
    return callee ? bdd.and(r.match.set, callee.outcomes().may.ACCEPT) : FALSE;
  }
  return FALSE;
}

// What the policy checks share: whether a built-in chain closes by default, and what it
// certainly does with some class of packets (loopback, replies, SSH ...), with a witness.

import { Hook } from '../../catalogue/types';
import { TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { ChainFacts, RuleFacts, TableFacts } from '../../semantics/engine';
import { witnessOf, Witness } from '../../semantics/witness';
import { CheckContext } from '../context';

/** How a built-in chain closes: its DROP policy, or a final rule that drops or rejects everything left. */
export interface DefaultDrop {
  readonly chain: ChainFacts;
  readonly by: 'policy' | 'rule';
  /** The catch-all rule, when `by` is 'rule'. */
  readonly rule?: RuleFacts;
  readonly outcome: 'DROP' | 'REJECT';
}

/**
 * The way a built-in chain drops what no rule accepted, or undefined when it lets it
 * through. A catch-all is a certain DROP/REJECT rule that takes every packet reaching it
 * (`-A INPUT -j DROP` at the end, whatever the policy says).
 */
export function defaultDrop(facts: TableFacts, hook: Hook): DefaultDrop | undefined {
  const chain = facts.chains.get(hook);
  if (!chain || !chain.chain.builtin) return undefined;
  const { bdd } = facts.space;
  for (const r of chain.rules) {
    if (r.action.kind !== 'verdict' || !r.match.certain) continue;
    if (r.action.outcome !== 'DROP' && r.action.outcome !== 'REJECT') continue;
    const reaching = bdd.and(chain.mayEntry, r.mayReach);
    if (reaching !== FALSE && bdd.subset(reaching, r.match.set)) return { chain, by: 'rule', rule: r, outcome: r.action.outcome };
  }
  return chain.chain.policy === 'DROP' ? { chain, by: 'policy', outcome: 'DROP' } : undefined;
}

/** A default drop in words: "INPUT drops by default (policy DROP)" / "(the REJECT on line 40 catches the rest)". */
export function defaultDropText(ctx: CheckContext, d: DefaultDrop): string {
  const how = d.by === 'policy' ? 'policy DROP' : `the ${d.outcome} on line ${ctx.lineOf(d.rule!.rule)} takes everything left`;
  return `${d.chain.chain.name} ${d.outcome === 'REJECT' ? 'rejects' : 'drops'} by default (${how})`;
}

/** What a built-in chain certainly does with some packets that enter it. */
export interface Fate {
  /** Certainly dropped or rejected. */
  readonly blocked: Node;
  /** Certainly accepted. */
  readonly accepted: Node;
  /** Neither for certain: a rule the engine does not model decides, or another target does. */
  readonly unsure: Node;
}

/** The fate of `packets` in a built-in chain, callees and policy included. */
export function fateIn(facts: TableFacts, hook: Hook, packets: Node): Fate {
  const chain = facts.chains.get(hook);
  const { bdd } = facts.space;
  if (!chain) return { blocked: FALSE, accepted: packets, unsure: FALSE };
  const { must } = chain.outcomes();
  const here = bdd.and(packets, chain.mustEntry);
  const blocked = bdd.and(here, bdd.or(must.DROP, must.REJECT));
  const accepted = bdd.and(here, must.ACCEPT);
  return { blocked, accepted, unsure: bdd.diff(bdd.diff(here, blocked), accepted) };
}

/**
 * A realistic packet of `set` on a hook (legitimate traffic the kernel can really see: no
 * INVALID state, no martian addresses), or undefined when the set has none.
 */
export function realisticWitness(ctx: CheckContext, table: TableModel, hook: Hook, set: Node): Witness | undefined {
  const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
  const real = space.bdd.and(set, ctx.realisticOn(table, hook));
  return real === FALSE ? undefined : witnessOf(space, interfaces, real);
}

/** The packets of iptables match words (`['-i', 'lo']`) in a table's packet space. */
export function packetsOf(ctx: CheckContext, table: TableModel, words: readonly string[]): Node {
  return ctx.getEngine().matchWords(table.family, table.table, words).set;
}

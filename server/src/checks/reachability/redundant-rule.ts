import { FALSE, Node } from '../../semantics/bdd';
import { ChainFacts, Outcome, TableFacts } from '../../semantics/engine';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';
import { duplicateGroup, isDuplicateCopy } from '../policy/duplicates';
import { analysedRules, catchAllIndex, deciderIndex, hookOf } from './facts';

/**
 * Whether every packet of `packets` that may enter the chain (`entry`), arriving at rule
 * `from`, certainly gets `outcome` (falling off the end included: a packet's fate in a
 * chain does not depend on how it got there). Walks forward, dropping the packets a
 * certain rule with that outcome takes; any other rule that may take one of the packets
 * left, a rule that may or may not match included, means "not certain". A jump is not
 * followed (its packets count as not certain, which only makes the answer more cautious).
 * The chain's entry, often a large set, is only consulted when a conflict is found.
 */
function certainlyGets(facts: TableFacts, chain: ChainFacts, from: number, packets: Node, outcome: Outcome): boolean {
  const { bdd } = facts.space;
  const entry = chain.mayEntry;
  let left = packets;
  for (let j = from; j < chain.rules.length && left !== FALSE; j++) {
    const r = chain.rules[j];
    if (r.action.kind === 'continue') continue;
    const same = r.action.kind === 'verdict' && r.action.standard && r.action.outcome === outcome;
    if (same) {
      // A rule that may or may not match either gives the outcome or passes the packet on.
      if (r.match.certain && bdd.intersects(left, r.match.set)) left = bdd.diff(left, r.match.set);
    } else if (bdd.intersects(left, r.match.set) && bdd.intersects(entry, bdd.and(left, r.match.set))) return false;
  }
  return chainEnd(chain) === outcome || !bdd.intersects(entry, left);
}

function chainEnd(chain: ChainFacts): Outcome {
  return chain.chain.builtin ? (chain.chain.policy === 'DROP' ? 'DROP' : 'ACCEPT') : 'RETURN';
}

/** For each position i of a chain, unions of the matches of the rules from i on. */
interface LaterRules {
  /** Of the rules that certainly give the outcome to the packets they match. */
  readonly same: Node[];
  /** Of the rules that may give them anything else (other verdicts, jumps, uncertain targets). */
  readonly other: Node[];
}

function laterRules(facts: TableFacts, chain: ChainFacts, outcome: Outcome): LaterRules {
  const { bdd } = facts.space;
  const n = chain.rules.length;
  const same = new Array<Node>(n + 1);
  const other = new Array<Node>(n + 1);
  same[n] = FALSE;
  other[n] = FALSE;
  for (let i = n - 1; i >= 0; i--) {
    const r = chain.rules[i];
    const gives = r.action.kind === 'verdict' && r.action.standard && r.action.outcome === outcome;
    same[i] = gives && r.match.certain ? bdd.or(same[i + 1], r.match.set) : same[i + 1];
    // A rule with the outcome that may or may not match only gives the outcome or passes on.
    other[i] = r.action.kind === 'continue' || gives ? other[i + 1] : bdd.or(other[i + 1], r.match.set);
  }
  return { same, other };
}

export const redundantRule: SemanticCheck = {
  code: 'IPT203',
  name: 'redundant-rule',
  severity: 'hint',
  tags: ['unnecessary'],
  summary: 'A rule whose removal would change no packet\'s fate',
  docs: `## What it means
Every packet this rule decides would get the same verdict without it, from the rules after it or from the chain's policy (or, in a user chain, by returning to the caller). The rule can be deleted without changing what the firewall does.

A final catch-all rule that repeats the policy (\`-A INPUT -j DROP\` with policy DROP) is not reported: many people keep it on purpose, so that the chain stays closed if the policy is ever changed.

## Why it matters
Redundant rules make a ruleset longer and harder to reason about, and they hide the rule that really decides. Sometimes they reveal a mistake: a rule meant to be an exception that is not one.

## Example
\`\`\`iptables
:INPUT DROP [0:0]
-A INPUT -p tcp --dport 23 -j DROP
\`\`\`
Telnet would be dropped by the policy anyway.

## How to fix
Delete the rule, or if it was meant as an exception, check the rules after it.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    const later = new Map<string, LaterRules>();
    for (const { table, facts, chain, index, rule } of analysedRules(ctx)) {
      // Only plain verdicts: a NAT or REJECT target does more than decide (it rewrites the
      // packet or answers it), so another rule with the same outcome is not the same.
      if (rule.action.kind !== 'verdict' || !rule.action.standard || rule.action.outcome === 'QUEUE') continue;
      // A rule with a stateful match (recent --set, limit ...) has effects besides its verdict.
      if (!rule.match.certain) continue;
      const { bdd } = facts.space;
      const key = `${table.block}/${chain.chain.name}/${rule.action.outcome}`;
      let after = later.get(key);
      if (!after) {
        after = laterRules(facts, chain, rule.action.outcome);
        later.set(key, after);
      }
      const endsSame = chainEnd(chain) === rule.action.outcome;
      // Cheap test first: unless the chain ends with this very outcome, some later rule with
      // the same outcome must match some of these packets.
      if (!endsSame && !bdd.intersects(rule.match.set, after.same[index + 1])) continue;
      const hereLocal = bdd.and(rule.mayReach, rule.match.set);
      if (!bdd.intersects(chain.mayEntry, hereLocal)) continue;
      const catchAll = catchAllIndex(facts, chain);
      if (catchAll !== undefined && index > catchAll) continue;
      if (isDuplicateCopy(ctx, rule.rule)) continue; // duplicate-rule (IPT311)
      // A catch-all that repeats what would happen anyway is kept on purpose.
      if (bdd.subset(rule.mayReach, rule.match.set)) continue;
      // Unless the chain ends with the outcome, later rules with it must take every packet.
      if (!endsSame && bdd.intersects(chain.mayEntry, bdd.diff(hereLocal, after.same[index + 1]))) continue;
      // When no later rule can give these packets anything else, they certainly get the
      // outcome; otherwise the order decides, and the packets are followed rule by rule.
      if (bdd.intersects(hereLocal, after.other[index + 1]) && !certainlyGets(facts, chain, index + 1, hereLocal, rule.action.outcome)) continue;
      const here = bdd.and(chain.mayEntry, hereLocal);
      const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
      const sample = bdd.andAll([rule.match.set, rule.mustReach, chain.mustEntry, ctx.realisticOn(table, hookOf(table, chain.chain.name))]);
      const witness = sample === FALSE ? undefined : witnessOf(space, interfaces, sample);
      // The later rules that take these packets (certain ones: only they decide for sure).
      const deciders: typeof chain.rules[number][] = [];
      let undecided = here;
      for (const k of deciderIndex(facts, chain).meetingAfter(here, index)) {
        if (deciders.length === 3 || undecided === FALSE) break;
        const r = chain.rules[k];
        if (r.action.kind !== 'verdict' || r.action.outcome !== rule.action.outcome || !bdd.intersects(undecided, r.match.set)) continue;
        deciders.push(r);
        undecided = bdd.diff(undecided, r.match.set);
      }
      // A rule whose own copy (IPT311) would decide its packets: deleting both, as the two
      // findings would say, changes what happens to them. Left to IPT311 until one is gone.
      const copies = duplicateGroup(ctx, rule.rule);
      if (copies && (deciders.some((r) => copies.has(r.rule)) || (deciders.length === 3 && undecided !== FALSE))) continue;
      const by = deciders.length ? `by line${deciders.length > 1 ? 's' : ''} ${deciders.slice(0, 3).map((r) => ctx.lineOf(r.rule)).join(', ')}` : chain.chain.builtin ? `by the chain's policy (${chain.chain.policy ?? 'ACCEPT'})` : 'by returning to the calling chain';
      const verdict = rule.action.outcome === 'RETURN' ? 'be returned' : `get ${rule.action.outcome}`;
      out.push({
        span: ctx.spanOf(rule.rule),
        message: `This rule changes nothing: every packet it matches would ${verdict} anyway, ${by}${witness ? ` (for example ${describeWitness(witness)})` : ''}`,
        related: deciders.slice(0, 3).map((r) => ({ span: ctx.spanOf(r.rule), message: 'decides the same way' })),
        witness,
        witnessFate: { table: table.table, outcome: rule.action.outcome, without: ctx.lineOf(rule.rule) },
      });
    }
    return out;
  },
};

import { FALSE, Node } from '../../semantics/bdd';
import { ChainFacts, RuleFacts, TableFacts } from '../../semantics/engine';
import { describeWitness } from '../../semantics/witness';
import { Rule } from '../../model/ruleset';
import { parsedExtensionOf } from '../../syntax/rule';
import { CheckContext } from '../context';
import { hookOf } from '../reachability/facts';
import { CheckReport, SemanticCheck } from '../types';
import { realisticWitness } from './traffic';

/** Which packets a rate match matches: those within the rate, or only the excess over it. */
interface RateMatch {
  readonly module: 'limit' | 'hashlimit';
  readonly mode: 'upto' | 'above';
  /** The rate as written, for messages: "5/min". */
  readonly rate: string;
  /** The words that set the rate, for messages: "-m limit --limit 5/min", "--hashlimit-above 10/sec". */
  readonly words: string;
}

/** The rule's one rate match, when it has exactly one and nothing else the engine does not model. */
function rateMatchOf(rule: Rule, rf: RuleFacts): RateMatch | undefined {
  const rates = rule.syntax.matches.filter((m) => m.name === 'limit' || m.name === 'hashlimit');
  if (rates.length !== 1) return undefined;
  const m = rates[0];
  if (rf.match.unknown.some((u) => u !== `-m ${m.name}`)) return undefined;
  const ext = parsedExtensionOf(rule.syntax, m.name, m.options);
  if (m.name === 'limit') {
    const o = ext.options.find((x) => x.spec.names[0] === '--limit');
    const rate = o?.canonical[0] ?? '3/hour'; // the module's default
    return { module: 'limit', mode: 'upto', rate, words: o ? `-m limit ${o.written} ${rate}` : '-m limit' };
  }
  const o = ext.options.find((x) => x.spec.names[0] === '--hashlimit-upto' || x.spec.names[0] === '--hashlimit-above');
  if (!o) return undefined;
  const above = (o.spec.names[0] === '--hashlimit-above') !== o.negated;
  const rate = o.canonical[0] ?? '';
  return { module: 'hashlimit', mode: above ? 'above' : 'upto', rate, words: `${o.negated ? '! ' : ''}${o.written} ${rate}` };
}

/** Where the packets a rule lets go on end up in its chain, when that is certain. */
interface Fate {
  readonly rule?: RuleFacts;
  readonly outcome: 'ACCEPT' | 'DROP' | 'REJECT';
  readonly set: Node;
}

/**
 * The certain fates of `packets` arriving at rule `from` of a chain (the rule before is
 * assumed not to have taken them): taken by a later certain rule, by a chain a certain jump
 * leads to (its packets counted as that rule's), or by a built-in chain's policy. Packets a
 * rule the engine does not model may take, or that leave the chain, have no certain fate
 * here and are left out.
 */
function fatesFrom(facts: TableFacts, chain: ChainFacts, from: number, packets: Node): Fate[] {
  const { bdd } = facts.space;
  const out: Fate[] = [];
  let left = packets;
  for (let j = from; j < chain.rules.length && left !== FALSE; j++) {
    const r = chain.rules[j];
    const here = bdd.and(left, r.match.set);
    if (here === FALSE) continue;
    const a = r.action;
    if (a.kind === 'continue') {
      // A target that may change the packet (MARK ...) makes what follows uncertain.
      if (r.rule.target && !['LOG', 'NFLOG', 'TRACE', 'AUDIT'].includes(r.rule.target.name)) left = bdd.diff(left, r.match.set);
      continue;
    }
    left = bdd.diff(left, r.match.set);
    if (!r.match.certain) continue;
    if (a.kind === 'verdict') {
      if (a.outcome === 'ACCEPT' && a.standard) out.push({ rule: r, outcome: 'ACCEPT', set: here });
      else if (a.outcome === 'DROP' || a.outcome === 'REJECT') out.push({ rule: r, outcome: a.outcome, set: here });
      continue;
    }
    const callee = facts.chains.get(a.chain);
    if (!callee) continue;
    const { must } = callee.localOutcomes();
    for (const outcome of ['ACCEPT', 'DROP', 'REJECT'] as const) {
      const set = bdd.and(here, must[outcome]);
      if (set !== FALSE) out.push({ rule: r, outcome, set });
    }
    if (a.kind === 'jump') left = bdd.or(left, bdd.and(here, must.RETURN));
  }
  if (left !== FALSE && chain.chain.builtin) out.push({ outcome: chain.chain.policy === 'DROP' ? 'DROP' : 'ACCEPT', set: left });
  return out;
}

export const invertedRateLimit: SemanticCheck = {
  code: 'IPT314',
  name: 'inverted-rate-limit',
  severity: 'warning',
  summary: 'A rate limit that works backwards: it blocks traffic under the rate and lets the excess through',
  docs: `## What it means
A rate match (\`-m limit\`, \`-m hashlimit\`) matches packets only while they stay within the rate (\`--limit\`, \`--hashlimit-upto\`), or only the excess over it (\`--hashlimit-above\`). Paired with the wrong verdict, the rule does the opposite of a rate limit:
- \`-m limit --limit 10/sec -j DROP\` (or REJECT, or \`--hashlimit-upto\`) drops the packets as long as they arrive slowly; once they come faster than the rate, the excess goes on, and here a later rule or the policy accepts it;
- \`-m hashlimit --hashlimit-above 10/sec -j ACCEPT\` accepts only what comes faster than the rate; everything slower goes on, and here it is dropped.

iptables-lint reports the rule only when the packets it lets go on are certainly accepted (first case) or certainly dropped or rejected (second case) by the rules after it or by the policy, and the rate match is the only condition it cannot model.

## Why it matters
Normal traffic, which stays under the rate, is blocked, while a flood gets through: the service seems down for ordinary users, and the protection the limit was meant to give is missing. It is an easy mistake, because the verdict reads naturally ("limit ... DROP") while the match means "within the limit".

## Example
\`\`\`iptables
:INPUT DROP [0:0]
-A INPUT -p icmp --icmp-type echo-request -m limit --limit 1/sec -j DROP
-A INPUT -p icmp --icmp-type echo-request -j ACCEPT
\`\`\`
Pings at a normal pace are dropped; a ping flood is accepted. Instead:
\`\`\`iptables
-A INPUT -p icmp --icmp-type echo-request -m limit --limit 1/sec -j ACCEPT
-A INPUT -p icmp --icmp-type echo-request -j DROP
\`\`\`

## How to fix
Accept within the rate and drop the rest: put the rate match on the ACCEPT rule and let a later rule (or the policy) drop what exceeds it. With \`-m hashlimit\`, swapping \`--hashlimit-upto\` and \`--hashlimit-above\` flips the rule: \`--hashlimit-above 10/sec -j DROP\` drops only the excess.

## When to silence it
When dropping traffic under a rate really is the goal (sampling, a test setup): add \`# iptables-lint disable-next-line=IPT314\` above the rule, or \`{"disable": ["IPT314"]}\` in \`.iptables-lint.json\` to turn the check off.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      if (table.table !== 'filter') continue;
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      const { bdd } = facts.space;
      for (const chain of facts.chains.values()) {
        if (!chain.reachable || chain.mustEntry === FALSE) continue;
        chain.rules.forEach((rf, index) => {
          const a = rf.action;
          if (a.kind !== 'verdict' || rf.match.certain) return;
          const blocking = a.outcome === 'DROP' || a.outcome === 'REJECT';
          if (!blocking && !(a.outcome === 'ACCEPT' && a.standard)) return;
          const rate = rateMatchOf(rf.rule, rf);
          // Inverted: a blocking rule within the rate, or an accepting one above it.
          if (!rate || (blocking ? rate.mode !== 'upto' : rate.mode !== 'above')) return;
          const packets = bdd.andAll([chain.mustEntry, rf.mustReach, rf.match.set]);
          if (packets === FALSE) return;
          const wanted = blocking ? ['ACCEPT'] : ['DROP', 'REJECT'];
          const hook = hookOf(table, chain.chain.name);
          for (const fate of fatesFrom(facts, chain, index + 1, packets)) {
            if (!wanted.includes(fate.outcome)) continue;
            const hooks = hook ? [hook] : (['INPUT', 'FORWARD', 'OUTPUT'] as const);
            const sample = hooks.map((h) => realisticWitness(ctx, table, h, fate.set)).find((w) => w);
            if (!sample) continue;
            const by = fate.rule ? `line ${ctx.lineOf(fate.rule.rule)}` : `the policy of ${chain.chain.name}`;
            const verdict = a.outcome === 'ACCEPT' ? 'accepts' : a.outcome === 'DROP' ? 'drops' : 'rejects';
            const rest = fate.outcome === 'ACCEPT' ? 'accepted' : fate.outcome === 'DROP' ? 'dropped' : 'rejected';
            const message = blocking
              ? `This rule ${verdict} these packets only while they stay within the rate of '${rate.words}': above that rate they go on and are ${rest} by ${by}, so normal traffic is blocked and a flood gets through (for example ${describeWitness(sample)})`
              : `This rule ${verdict} these packets only when they exceed the rate of '${rate.words}': under that rate they go on and are ${rest} by ${by}, so normal traffic is blocked and only a flood gets through (for example ${describeWitness(sample)})`;
            out.push({
              span: ctx.spanOf(rf.rule),
              message,
              related: fate.rule ? [{ span: ctx.spanOf(fate.rule.rule), message: `${rest} here when the rate match does not match` }] : [],
              witness: sample,
            });
            return;
          }
        });
      }
    }
    return out;
  },
};

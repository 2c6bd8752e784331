import { FALSE } from '../../semantics/bdd';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { CheckReport, SemanticCheck } from '../types';
import { CheckContext } from '../context';
import { isDuplicateCopy, isLogRule } from '../policy/duplicates';
import { actionText, analysedRules, canMatch, catchAllIndex, coveringRules, decidedText, hookOf } from './facts';

export const unreachableRule: SemanticCheck = {
  code: 'IPT201',
  name: 'unreachable-rule',
  severity: 'warning',
  tags: ['unnecessary'],
  summary: 'A rule no packet can ever reach and match',
  docs: `## What it means
Every packet this rule matches has already been decided by the rules above it in the chain (accepted, dropped, rejected, or sent to a chain that decides it), or no packet that enters the chain can match it at all. The rule never does anything. iptables-lint proves this over every possible packet, following jumps, RETURN and goto; rules whose effect depends on state (\`-m recent\`, \`-m limit\`, sets ...) are never used as proof.

A LOG or NFLOG rule that never fires is reported by IPT313 (unreachable-log), and a rule that repeats an earlier rule of its chain by IPT311 (duplicate-rule), each with its own message.

## Why it matters
A dead rule is almost always a mistake in the order of the rules: the rule was meant to let something through (or keep something out), and an earlier, broader rule decides those packets first. The related information lists the earlier rules that together cover it, and says when one of them does the opposite of this rule.

## Example
\`\`\`iptables
-A INPUT -s 203.0.113.0/24 -j DROP
-A INPUT -s 203.0.113.5 -p tcp --dport 443 -j ACCEPT
\`\`\`
The second rule can never match: the first drops everything from 203.0.113.0/24, including 203.0.113.5.

## How to fix
Move the rule above the rules that shadow it, narrow the earlier rule, or delete the dead rule if it is not needed.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { table, facts, chain, index, rule } of analysedRules(ctx)) {
      if (rule.action.kind === 'jump' || rule.action.kind === 'goto') continue; // dead-jump
      if (isLogRule(rule.rule)) continue; // unreachable-log (IPT313) says it for LOG rules
      if (chain.mayEntry === FALSE || canMatch(facts, chain, rule)) continue;
      const catchAll = catchAllIndex(facts, chain);
      if (catchAll !== undefined && index > catchAll) continue; // rules-after-catch-all
      if (isDuplicateCopy(ctx, rule.rule)) continue; // duplicate-rule (IPT311)
      const { bdd } = facts.space;
      const own = bdd.and(rule.match.set, chain.mayEntry);
      if (own === FALSE) {
        out.push({ span: ctx.spanOf(rule.rule), message: `This rule can never match: no packet that enters ${chain.chain.name} has what it asks for` });
        continue;
      }
      const covers = coveringRules(facts, chain, index, own, ctx.typical(table));
      // The rule that takes most of this rule's packets tells the story.
      const main = covers[0];
      const opposite = main && actionText(main.rule.action) !== actionText(rule.action) ? main : undefined;
      const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
      // The example must certainly enter the chain and certainly reach the rule that takes it.
      const realistic = bdd.andAll([rule.match.set, chain.mustEntry, ctx.realisticOn(table, hookOf(table, chain.chain.name))]);
      const ordered = main ? [main, ...covers.filter((c) => c !== main)] : covers;
      const sample = ordered.map((c) => ({ cover: c, set: bdd.andAll([realistic, c.covered, c.rule.mustReach]) })).find((x) => x.set !== FALSE);
      const example = sample ? witnessOf(space, interfaces, sample.set) : undefined;
      const others = covers.filter((c) => c !== main).map((c) => ctx.lineOf(c.rule.rule));
      const shadow = main
        ? ` (${opposite ? `shadowed by the ${actionText(main.rule.action)} on line ${ctx.lineOf(main.rule.rule)}` : `line ${ctx.lineOf(main.rule.rule)} already does the same`}${others.length ? `, with line${others.length > 1 ? 's' : ''} ${others.join(', ')}` : ''})`
        : '';
      const instance = example && sample ? `; for example ${describeWitness(example)} is ${decidedText(sample.cover.rule.action)} by line ${ctx.lineOf(sample.cover.rule.rule)}` : '';
      out.push({
        span: ctx.spanOf(rule.rule),
        message: `This rule can never match: every packet it matches is decided by earlier rules${shadow}${instance}`,
        related: covers.map((c) => ({ span: ctx.spanOf(c.rule.rule), message: `${decidedText(c.rule.action)} first${actionText(c.rule.action) !== actionText(rule.action) ? ' (the opposite of this rule)' : ''}` })),
        witness: example,
        witnessFate: sample && sample.cover.rule.action.kind === 'verdict' ? { table: table.table, outcome: sample.cover.rule.action.outcome, line: ctx.lineOf(sample.cover.rule.rule) } : undefined,
      });
    }
    return out;
  },
};

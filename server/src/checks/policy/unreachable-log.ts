import { FALSE } from '../../semantics/bdd';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { CheckContext } from '../context';
import { deleteRule, inFileOrder, moveBefore, styleOf } from '../edits';
import { actionText, analysedRules, canMatch, catchAllIndex, coveringRules, decidedText, hookOf } from '../reachability/facts';
import { CheckReport, Fix, SemanticCheck } from '../types';
import { isDuplicateCopy, isLogRule } from './duplicates';

export const unreachableLog: SemanticCheck = {
  code: 'IPT313',
  name: 'unreachable-log',
  severity: 'warning',
  tags: ['unnecessary'],
  summary: 'A LOG rule that never logs anything',
  docs: `## What it means
No packet can reach this LOG (or NFLOG) rule and match it: the rules above it decide every packet it would log (accept, drop, reject them, or send them to a chain that does), or its conditions exclude every packet that enters the chain. The log stays empty, whatever arrives.

The classic case is a LOG placed after the rule whose packets it was meant to record: a DROP ends the packet's path, so a LOG below it sees nothing.

## Why it matters
You count on the log to see what the firewall blocks or lets through. A LOG that never fires gives the false impression that nothing happens: an attack, a misrouted service or a blocked client leaves no trace.

## Example
\`\`\`iptables
-A INPUT -p tcp --dport 23 -j DROP
-A INPUT -p tcp --dport 23 -j LOG --log-prefix "telnet: "
\`\`\`
The DROP takes every telnet packet first; the LOG never sees one.

## How to fix
Move the LOG above the rule that takes its packets (when one rule does, the second quick fix does it: a LOG changes no verdict, so moving it changes only what gets logged), or delete it if it is not needed (the first quick fix). A LOG after a rule that decides everything is reported as part of IPT204 instead.

## When to silence it
When the LOG is kept on purpose for a situation that cannot happen yet: add \`# iptables-lint disable-next-line=IPT313\` above it, or \`{"disable": ["IPT313"]}\` in \`.iptables-lint.json\` to turn the check off.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { table, facts, chain, index, rule } of analysedRules(ctx)) {
      if (!isLogRule(rule.rule)) continue;
      if (chain.mayEntry === FALSE || canMatch(facts, chain, rule)) continue;
      const catchAll = catchAllIndex(facts, chain);
      if (catchAll !== undefined && index > catchAll) continue; // rules-after-catch-all
      if (isDuplicateCopy(ctx, rule.rule)) continue; // duplicate-rule
      const what = `This ${rule.rule.target!.name} never logs anything`;
      const deletion: Fix = { title: `Delete the ${rule.rule.target!.name} rule`, edits: [deleteRule(ctx.tree, rule.rule)], safety: 'safe', preferred: true, effect: { kind: 'none' } };
      const { bdd } = facts.space;
      const own = bdd.and(rule.match.set, chain.mayEntry);
      if (own === FALSE) {
        out.push({ span: ctx.spanOf(rule.rule), message: `${what}: no packet that enters ${chain.chain.name} has what it asks for`, fixes: [deletion] });
        continue;
      }
      const covers = coveringRules(facts, chain, index, own, ctx.typical(table));
      const main = covers[0];
      const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
      // The example must certainly enter the chain and certainly reach the rule that takes it.
      const realistic = bdd.andAll([rule.match.set, chain.mustEntry, ctx.realisticOn(table, hookOf(table, chain.chain.name))]);
      const ordered = main ? [main, ...covers.filter((c) => c !== main)] : covers;
      const sample = ordered.map((c) => ({ cover: c, set: bdd.andAll([realistic, c.covered, c.rule.mustReach]) })).find((x) => x.set !== FALSE);
      const example = sample ? witnessOf(space, interfaces, sample.set) : undefined;
      const others = covers.filter((c) => c !== main).map((c) => ctx.lineOf(c.rule.rule)).sort((a, b) => a - b);
      const by = main
        ? `the ${actionText(main.rule.action)} on line ${ctx.lineOf(main.rule.rule)} takes its packets first${others.length ? ` (with line${others.length > 1 ? 's' : ''} ${others.join(', ')})` : ''}`
        : 'earlier rules take its packets first';
      const instance = example && sample ? `; for example ${describeWitness(example)} is ${decidedText(sample.cover.rule.action)} by line ${ctx.lineOf(sample.cover.rule.rule)} and never gets here` : '';
      const fixes: Fix[] = [deletion];
      // The rule that takes most of the packets is the last of those that take them: moved
      // just above it, the LOG logs exactly what that rule takes from it.
      const last = covers.reduce<(typeof covers)[number] | undefined>((a, c) => (!a || c.rule.rule.order > a.rule.rule.order ? c : a), undefined);
      if (main && last === main && inFileOrder(table, chain.chain.name)) {
        fixes.push({
          title: `Move the ${rule.rule.target!.name} rule above line ${ctx.lineOf(main.rule.rule)}, to log what it ${verbOf(decidedText(main.rule.action))}`,
          edits: moveBefore(ctx.tree, styleOf(ctx.tree), rule.rule, main.rule.rule),
          safety: 'safe',
          effect: { kind: 'none' },
        });
      }
      out.push({
        span: ctx.spanOf(rule.rule),
        message: `${what}: ${by}${instance}`,
        related: covers.map((c) => ({ span: ctx.spanOf(c.rule.rule), message: `${decidedText(c.rule.action)} here first` })),
        witness: example,
        witnessFate: sample && sample.cover.rule.action.kind === 'verdict' && ['ACCEPT', 'DROP', 'REJECT'].includes(sample.cover.rule.action.outcome) ? { table: table.table, outcome: sample.cover.rule.action.outcome, line: ctx.lineOf(sample.cover.rule.rule) } : undefined,
        fixes,
      });
    }
    return out;
  },
};

/** "dropped" -> "drops", "sent to X" -> "sends to X", for fix titles. */
function verbOf(participle: string): string {
  const verbs: Record<string, string> = { accepted: 'accepts', dropped: 'drops', rejected: 'rejects', 'returned to the calling chain': 'returns to the calling chain', 'queued to user space': 'queues to user space', taken: 'takes' };
  if (verbs[participle]) return verbs[participle];
  if (participle.startsWith('sent')) return 'sends' + participle.slice(4);
  if (participle.startsWith('taken by')) return 'takes';
  return 'takes';
}

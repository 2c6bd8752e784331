import { FALSE } from '../../semantics/bdd';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';
import { actionText, analysedRules, catchAllIndex, decidedText, hookOf } from './facts';

export const rulesAfterCatchAll: SemanticCheck = {
  code: 'IPT204',
  name: 'rules-after-catch-all',
  severity: 'warning',
  tags: ['unnecessary'],
  summary: 'Rules placed after a rule that decides every packet reaching it',
  docs: `## What it means
A rule in this chain decides every packet that gets to it (typically an unconditional \`-j DROP\`, \`-j REJECT\` or \`-j ACCEPT\`), so the rules after it in the same chain can never match. They are reported once, as a block.

## Why it matters
Rules added to the end of a chain with \`iptables -A\` land after the final DROP and never take effect: the classic "I added the rule but it does nothing".

## Example
\`\`\`iptables
-A INPUT -j REJECT --reject-with icmp-host-prohibited
-A INPUT -p tcp --dport 8080 -j ACCEPT
\`\`\`

## How to fix
Insert the rules before the catch-all (\`iptables -I CHAIN N ...\`, or move the lines up in the file).
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    const seen = new Set<unknown>();
    for (const { table, facts, chain } of analysedRules(ctx)) {
      if (seen.has(chain)) continue;
      seen.add(chain);
      const k = catchAllIndex(facts, chain);
      if (k === undefined) continue;
      const catchAll = chain.rules[k];
      const after = chain.rules.slice(k + 1);
      const first = after[0];
      const last = after[after.length - 1];
      const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
      const sample = space.bdd.andAll([first.match.set, catchAll.mustReach, chain.mustEntry, ctx.realisticOn(table, hookOf(table, chain.chain.name))]);
      const witness = sample === FALSE ? undefined : witnessOf(space, interfaces, sample);
      const count = after.length === 1 ? 'The rule' : `The ${after.length} rules`;
      out.push({
        span: { start: ctx.spanOf(first.rule).start, end: ctx.spanOf(last.rule).end },
        message: `${count} after line ${ctx.lineOf(catchAll.rule)} can never match: that rule (${actionText(catchAll.action)}) decides every packet that reaches it${witness ? `; for example ${describeWitness(witness)} is ${decidedText(catchAll.action)} there` : ''}`,
        related: [{ span: ctx.spanOf(catchAll.rule), message: 'decides every packet that gets here' }],
        witness,
        witnessFate: catchAll.action.kind === 'verdict' ? { table: table.table, outcome: catchAll.action.outcome, line: ctx.lineOf(catchAll.rule) } : undefined,
      });
    }
    return out;
  },
};

import { FALSE } from '../../semantics/bdd';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';
import { isDuplicateCopy } from '../policy/duplicates';
import { analysedRules, canMatch, catchAllIndex, coveringRules, decidedText } from './facts';

export const deadJump: SemanticCheck = {
  code: 'IPT205',
  name: 'dead-jump',
  severity: 'warning',
  tags: ['unnecessary'],
  summary: 'A jump or goto that no packet can ever take',
  docs: `## What it means
No packet can reach this \`-j CHAIN\` (or \`-g CHAIN\`) rule and match it: earlier rules decide all its packets first, or its conditions exclude every packet that enters the chain. Whatever the target chain does, it never does it for packets coming from here.

## Why it matters
The rules in the target chain were written for a reason; through this jump they never apply. If no other jump leads to the chain, it is unused as a whole (IPT206).

## Example
\`\`\`iptables
-A INPUT -p tcp -j ACCEPT
-A INPUT -p tcp --dport 22 -j SSH_CHECKS
\`\`\`

## How to fix
Move the jump above the rules that take its packets, or remove it.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { table, facts, chain, index, rule } of analysedRules(ctx)) {
      if (rule.action.kind !== 'jump' && rule.action.kind !== 'goto') continue;
      if (chain.mayEntry === FALSE || canMatch(facts, chain, rule)) continue;
      const catchAll = catchAllIndex(facts, chain);
      if (catchAll !== undefined && index > catchAll) continue;
      if (isDuplicateCopy(ctx, rule.rule)) continue; // duplicate-rule (IPT311)
      const own = facts.space.bdd.and(rule.match.set, chain.mayEntry);
      const covers = own === FALSE ? [] : coveringRules(facts, chain, index, own, ctx.typical(table));
      const why = own === FALSE ? `no packet that enters ${chain.chain.name} has what it asks for` : `earlier rules decide all its packets first (${covers.map((c) => `line ${ctx.lineOf(c.rule.rule)}`).join(', ')})`;
      out.push({
        span: ctx.spanOf(rule.rule),
        message: `This ${rule.action.kind} to ${rule.action.chain} can never be taken: ${why}`,
        related: covers.map((c) => ({ span: ctx.spanOf(c.rule.rule), message: `${decidedText(c.rule.action)} first` })),
      });
    }
    return out;
  },
};

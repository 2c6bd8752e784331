import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';

export const unusedChain: SemanticCheck = {
  code: 'IPT206',
  name: 'unused-chain',
  severity: 'hint',
  tags: ['unnecessary'],
  summary: 'A user chain that no reachable rule jumps to',
  docs: `## What it means
No packet ever enters this user-defined chain: no rule jumps to it, or every jump to it can never be taken. Its rules never apply.

## Why it matters
A chain that is written but never used usually means a missing jump (\`-A INPUT -j MYCHAIN\`) or a jump placed where no packet reaches it. Left-over chains from earlier configurations are harmless, but make the ruleset harder to read.

## Example
\`\`\`iptables
:SSH_LIMIT - [0:0]
-A SSH_LIMIT -m recent --update --seconds 60 --hitcount 4 -j DROP
\`\`\`
Nothing jumps to SSH_LIMIT.

## How to fix
Add the missing jump where the chain should apply, or delete the chain.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      for (const chain of facts.chains.values()) {
        if (chain.chain.builtin || chain.reachable) continue;
        const jumps = [...facts.chains.values()].flatMap((c) => c.rules.filter((r) => (r.action.kind === 'jump' || r.action.kind === 'goto') && r.action.chain === chain.chain.name));
        const span = chain.chain.nameSpan ?? (chain.rules[0] ? ctx.spanOf(chain.rules[0].rule) : undefined);
        if (!span) continue;
        out.push({
          span,
          message: jumps.length
            ? `Chain ${chain.chain.name} is never entered: the jumps to it (line${jumps.length > 1 ? 's' : ''} ${jumps.map((j) => ctx.lineOf(j.rule)).join(', ')}) can never be taken`
            : `Chain ${chain.chain.name} is never used: no rule jumps to it`,
          related: jumps.map((j) => ({ span: ctx.spanOf(j.rule), message: 'a jump no packet takes' })),
        });
      }
    }
    return out;
  },
};

import { FALSE } from '../../semantics/bdd';
import { actionOf } from '../../semantics/engine';
import { describeWitness, witnessOf, Witness } from '../../semantics/witness';
import { CheckContext } from '../context';
import { deleteRule } from '../edits';
import { actionText, canMatch, decidedText, hookOf } from '../reachability/facts';
import { CheckReport, Fix, SemanticCheck, WitnessFate } from '../types';
import { Duplicate, duplicateRules } from './duplicates';

export const duplicateRule: SemanticCheck = {
  code: 'IPT311',
  name: 'duplicate-rule',
  severity: 'warning',
  tags: ['unnecessary'],
  summary: 'A rule that repeats an earlier rule of the same chain',
  docs: `## What it means
This rule is the same as an earlier rule of the same chain: the same conditions and the same target, once both are written the way \`iptables-save\` writes them (\`-p tcp --dport 22\` and \`-p tcp -m tcp --dport 22\` are the same rule). Comments do not count: two rules that differ only in their \`-m comment\` text do the same thing to every packet, and the message says that the comments differ.

What the copy does depends on the rule:
- a rule that decides (ACCEPT, DROP, REJECT, RETURN, a NAT target, a goto) takes every packet it matches the first time: the copy never matches anything;
- a LOG or NFLOG rule logs every packet twice;
- a rule without a target counts the same packets twice;
- a target that changes nothing when done again (\`MARK --set-mark\`, \`CHECKSUM\`, \`CT\` ...) is done twice for nothing;
- a jump to a chain that only decides or logs sends the packets it returned through it again, with the same result.

A pair is reported only when no rule between the two changes the packets (\`MARK\`, \`CONNMARK\`, \`CT\`, or a jump to a chain that does): otherwise the copy may see different packets, and repeating it may be on purpose.

## Why it matters
Duplicates usually come from a script that adds its rules every time it runs (\`iptables -A\` on each boot or reload, a service restarted several times), or from copy and paste. They make the ruleset longer, slower to read, and they hide the real structure; a script that appends duplicates keeps growing the chain.

Rules with state are different: each copy of \`-m limit\`, \`-m hashlimit\`, \`-m quota\` or \`-m statistic\` has its own counters, and each copy of \`-m recent --set\` adds the address to the list again. Two copies together do not behave like one rule (two \`-m limit --limit 5/min\` copies let through up to twice the rate), so deleting one changes what the firewall does.

## Example
\`\`\`iptables
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
\`\`\`
The third rule repeats the first: every SSH packet is accepted by the first rule and never reaches the copy.

## How to fix
Delete the copy (the quick fix does it). It is a safe fix when the copy provably changes nothing; for rules with state, and when the comments differ (you may want to keep the copy's comment), the fix is offered but not applied by fix-all. If a script adds the rules, make it flush the chain first or check with \`iptables -C\` before adding.

## When to silence it
When two copies of a rule with state are meant to be there (for example to double a rate limit): add \`# iptables-lint disable-next-line=IPT311\` above the copy, or \`{"disable": ["IPT311"]}\` in \`.iptables-lint.json\` to turn the check off.
`,
  run(ctx: CheckContext): CheckReport[] {
    return duplicateRules(ctx).map((d) => report(ctx, d));
  },
};

/** What each copy of a rule with state keeps for itself. */
const STATE_OF: Readonly<Record<string, string>> = {
  limit: 'a rate budget',
  hashlimit: 'rate budgets',
  recent: 'hits in the address list',
  quota: 'a byte quota',
  statistic: 'a packet counter or a random draw',
  nfacct: 'accounting counters',
  rateest: 'a rate estimate',
};

function report(ctx: CheckContext, d: Duplicate): CheckReport {
  const first = ctx.lineOf(d.first);
  const differ = d.commentsDiffer ? ' (only the comments differ)' : '';
  const evidence = d.kind === 'shadowed' ? shadowWitness(ctx, d) : undefined;
  const target = d.copy.target?.name ?? '';
  let consequence: string;
  // A copy that other rules keep every packet from says so, whatever it would do.
  const dead = d.kind !== 'shadowed' && neverMatches(ctx, d);
  if (dead) consequence = 'and it never matches anyway: earlier rules decide every packet it matches before it gets here';
  else switch (d.kind) {
    case 'shadowed':
      consequence = `the ${actionText(actionOf(d.first, d.table))} on line ${first} takes every packet it matches that gets that far, so this copy never matches${evidence?.witness ? ` (for example ${describeWitness(evidence.witness)} is ${decidedText(actionOf(d.first, d.table))} there)` : ''}`;
      break;
    case 'logged-twice':
      consequence = `every packet it matches was already logged by line ${first}, so each one is logged twice`;
      break;
    case 'counted-twice':
      consequence = `like line ${first}, it has no target and only counts packets, the very same ones`;
      break;
    case 'applied-twice':
      consequence = `it applies ${target} again to packets line ${first} already gave it, which changes nothing`;
      break;
    case 'jump-again':
      consequence = `the packets ${target} returns go through it a second time and come back the same way${d.calleeLogs ? ', logged a second time' : ''}`;
      break;
    case 'stateful':
      consequence = `but each copy updates ${d.stateful.map((m) => `-m ${m}`).join(' and ')} state on its own (${d.stateful.map((m) => STATE_OF[m] ?? 'state').join(', ')}): together they do not behave like one rule, and deleting this copy changes which packets match`;
      break;
  }
  const sep = d.kind === 'stateful' || dead ? ',' : ':';
  // A copy with state cannot go without changing rates; a copy with its own comment may be
  // the one the user wants to keep. Otherwise the copy provably changes no packet's fate.
  // (For rules with state the engine sees no change either: it models both copies as
  // "may match", which is why that deletion is unsafe rather than promised.)
  const safe = d.kind !== 'stateful' && !d.commentsDiffer;
  const fix: Fix = {
    title: `Delete this copy of line ${first}`,
    edits: [deleteRule(ctx.tree, d.copy)],
    safety: safe ? 'safe' : 'unsafe',
    preferred: true,
    effect: { kind: 'none' },
  };
  return {
    span: ctx.spanOf(d.copy),
    message: `This rule repeats line ${first}${differ}${sep} ${consequence}`,
    related: [{ span: ctx.spanOf(d.first), message: 'the first copy' }],
    witness: evidence?.witness,
    witnessFate: evidence?.fate,
    fixes: [fix],
  };
}

/** Whether the engine proves that no packet entering the copy's chain reaches it and matches it. */
function neverMatches(ctx: CheckContext, d: Duplicate): boolean {
  const facts = ctx.tableFacts(d.table);
  if (facts.skipped) return false;
  const chain = facts.chains.get(d.chain);
  const copy = chain?.rules.find((r) => r.rule === d.copy);
  return !!chain && !!copy && chain.reachable && chain.mayEntry !== FALSE && !canMatch(facts, chain, copy);
}

/** A packet the first copy certainly decides, when the engine can name one. */
function shadowWitness(ctx: CheckContext, d: Duplicate): { witness?: Witness; fate?: WitnessFate } | undefined {
  const facts = ctx.tableFacts(d.table);
  if (facts.skipped) return undefined;
  const chain = facts.chains.get(d.chain);
  const first = chain?.rules.find((r) => r.rule === d.first);
  if (!chain || !first || !first.match.certain || chain.mustEntry === FALSE) return undefined;
  const { space, interfaces } = ctx.getEngine().spaces.get(d.table.family)!;
  const set = space.bdd.andAll([first.match.set, first.mustReach, chain.mustEntry, ctx.realisticOn(d.table, hookOf(d.table, d.chain))]);
  const witness = set === FALSE ? undefined : witnessOf(space, interfaces, set);
  if (!witness) return undefined;
  // A final verdict only: a RETURN hands the packet back to a caller that decides.
  const a = first.action;
  const fate = a.kind === 'verdict' && ['ACCEPT', 'DROP', 'REJECT'].includes(a.outcome) ? { table: d.table.table, outcome: a.outcome, line: ctx.lineOf(d.first) } : undefined;
  return { witness, fate };
}

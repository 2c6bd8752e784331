import { TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { ChainFacts, RuleFacts, TableFacts } from '../../semantics/engine';
import { FieldName } from '../../semantics/fields';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';
import { isReplyRule } from '../policy/evidence';
import { acceptedBy, canMatch, decidedText, hookOf, mustMatchLocal } from './facts';

/**
 * An earlier rule that tests a field the later rule leaves open is an exception carved out
 * on purpose (`-s BAD -j DROP` before `--dport 80 -j ACCEPT`), not a mistake in the order.
 * So drops are gathered per set of fields they test, and a rule is only compared with the
 * drops whose fields it tests too.
 */
interface DropGroup {
  readonly fields: ReadonlySet<string>;
  /** Packets certainly dropped so far by the group's rules (local to the chain). */
  dropped: Node;
  readonly rules: RuleFacts[];
}

function blockedIn(ctx: CheckContext, table: TableModel, facts: TableFacts, chain: ChainFacts): CheckReport[] {
  const { bdd } = facts.space;
  const out: CheckReport[] = [];
  const groups = new Map<string, DropGroup>();
  let realistic: Node | undefined;
  const replies = table.table === 'filter' && ['INPUT', 'FORWARD', 'OUTPUT'].includes(chain.chain.name);
  for (const rule of chain.rules) {
    // Replies blocked before the RELATED,ESTABLISHED rule of a built-in filter chain are IPT303's (late-established).
    if (groups.size > 0 && mayAccept(rule) && !(replies && isReplyRule(facts.space, rule))) {
      const fields = facts.space.fieldsOf(rule.match.set);
      for (const g of groups.values()) {
        if ([...g.fields].some((f) => !fields.has(f as FieldName))) continue;
        // Cheap tests first: most rules have nothing in common with the drops before them.
        if (!bdd.intersects(g.dropped, rule.match.set)) continue;
        const accepted = acceptedBy(facts, rule);
        if (accepted === FALSE || !canMatch(facts, chain, rule)) break;
        realistic ??= bdd.and(chain.mustEntry, ctx.realisticOn(table, hookOf(table, chain.chain.name)));
        const candidate = bdd.and(g.dropped, accepted);
        if (!bdd.intersects(candidate, realistic)) continue;
        out.push(report(ctx, table, facts, rule, g, bdd.and(candidate, realistic)));
        break;
      }
    }
    if (rule.action.kind === 'verdict' && (rule.action.outcome === 'DROP' || rule.action.outcome === 'REJECT')) {
      const dropped = mustMatchLocal(facts, rule);
      if (dropped === FALSE) continue;
      const fields = facts.space.fieldsOf(rule.match.set);
      const key = [...fields].sort().join(',');
      const g = groups.get(key) ?? { fields, dropped: FALSE, rules: [] };
      g.dropped = bdd.or(g.dropped, dropped);
      g.rules.push(rule);
      groups.set(key, g);
    }
  }
  return out;
}

/** Can the rule accept anything (an ACCEPT, or a jump to a chain that may)? */
function mayAccept(rule: RuleFacts): boolean {
  return rule.action.kind === 'jump' || rule.action.kind === 'goto' || (rule.action.kind === 'verdict' && rule.action.outcome === 'ACCEPT' && rule.action.standard);
}

function report(ctx: CheckContext, table: TableModel, facts: TableFacts, rule: RuleFacts, group: DropGroup, conflict: Node): CheckReport {
  const { bdd } = facts.space;
  // The first rule of the group that drops some of the conflict is the one to blame.
  const earlier = group.rules.find((r) => bdd.intersects(mustMatchLocal(facts, r), conflict))!;
  const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
  const witness = witnessOf(space, interfaces, bdd.and(conflict, mustMatchLocal(facts, earlier)))!;
  return {
    span: ctx.spanOf(rule.rule),
    message: `${describeWitness(witness)} is ${decidedText(earlier.action)} by line ${ctx.lineOf(earlier.rule)} before this rule can accept it`,
    related: [{ span: ctx.spanOf(earlier.rule), message: `${decidedText(earlier.action)} here first` }],
    witness,
    witnessFate: { table: table.table, outcome: (earlier.action as { outcome: string }).outcome, line: ctx.lineOf(earlier.rule) },
  };
}

export const blockedAccept: SemanticCheck = {
  code: 'IPT202',
  name: 'blocked-accept',
  severity: 'warning',
  summary: 'An ACCEPT rule some of whose packets an earlier rule drops or rejects',
  docs: `## What it means
This rule accepts some packets (itself, or through the chain it jumps to), but an earlier rule in the same chain certainly drops or rejects part of them, so those packets never get here. The message gives one such packet, and the rule that drops it.

The earlier rule is only blamed when it matches for certain: a rule that depends on state (\`-m limit\`, \`-m recent\` ...) is never said to drop anything. An earlier rule that narrows on something this rule does not mention at all (a blocklist of source addresses before a rule that opens a port to everyone, say) is an intended exception and is not reported.

## Why it matters
This is the most common cause of "the port is open in the firewall but the connection times out": a DROP or REJECT placed above the ACCEPT meant for the traffic. When every packet of the rule is blocked, the rule is reported as unreachable instead (IPT201).

## Example
\`\`\`iptables
-A INPUT -p tcp -m multiport --dports 20:30 -j DROP
-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT
\`\`\`
SSH from 10.0.0.0/8 is dropped by the first rule before the second can accept it.

## How to fix
Move the ACCEPT rule above the rule that drops its packets, or narrow the earlier rule so that it leaves them alone.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      for (const chain of facts.chains.values()) if (chain.reachable) out.push(...blockedIn(ctx, table, facts, chain));
    }
    return out;
  },
};

import { FALSE, Node } from '../../semantics/bdd';
import { TableFacts } from '../../semantics/engine';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';
import { acceptedBy, analysedRules, decidedText, hookOf, mayMatch, mustMatch } from './facts';

/**
 * An earlier rule that tests a field the later rule leaves open is an exception carved out
 * on purpose (`-s BAD -j DROP` before `--dport 80 -j ACCEPT`), not a mistake in the order.
 */
function isException(facts: TableFacts, earlier: Node, later: Node): boolean {
  const laterFields = facts.space.fieldsOf(later);
  return [...facts.space.fieldsOf(earlier)].some((f) => !laterFields.has(f));
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
    for (const { table, facts, chain, index, rule } of analysedRules(ctx)) {
      const accepted = acceptedBy(facts, rule);
      if (accepted === FALSE || mayMatch(facts, rule) === FALSE) continue;
      const { bdd } = facts.space;
      const realistic = ctx.realisticOn(table, hookOf(table, chain.chain.name));
      for (let k = 0; k < index; k++) {
        const earlier = chain.rules[k];
        if (earlier.action.kind !== 'verdict' || (earlier.action.outcome !== 'DROP' && earlier.action.outcome !== 'REJECT')) continue;
        if (isException(facts, earlier.match.set, rule.match.set)) continue;
        const conflict = bdd.andAll([mustMatch(facts, earlier), accepted, realistic]);
        if (conflict === FALSE) continue;
        const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
        const witness = witnessOf(space, interfaces, conflict)!;
        out.push({
          span: ctx.spanOf(rule.rule),
          message: `${describeWitness(witness)} is ${decidedText(earlier.action)} by line ${ctx.lineOf(earlier.rule)} before this rule can accept it`,
          related: [{ span: ctx.spanOf(earlier.rule), message: `${decidedText(earlier.action)} here first` }],
          witness,
        });
        break;
      }
    }
    return out;
  },
};

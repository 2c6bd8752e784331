import { Rule, TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { ChainFacts, RuleFacts } from '../../semantics/engine';
import { PacketSpace } from '../../semantics/fields';
import { describeWitness } from '../../semantics/witness';
import { CheckContext } from '../context';
import { inFileOrder, insertAfter, insertBefore, moveBefore, ruleLine, stateWords, styleOf } from '../edits';
import { CheckReport, Fix, SemanticCheck } from '../types';
import { decide, forget, isReplyRule, leadingLoopbackRules, matchWordsOf, offLoopback, pickWitness, spaceOf, state, testsState } from './evidence';
import { defaultDrop, fateIn } from './traffic';

/** Where an INVALID drop goes: after the loopback and reply rules that open the chain, never below `limit`. */
function dropPosition(ctx: CheckContext, table: TableModel, chain: ChainFacts, limit: number): number {
  const { space } = spaceOf(ctx, table);
  let k = leadingLoopbackRules(ctx, table, chain).length;
  while (k < limit && isReplyRule(space, chain.rules[k])) k++;
  return Math.min(k, limit);
}

/** Inserts `-m conntrack --ctstate INVALID -j DROP` (or moves the chain's late INVALID drop) above `limit`. */
function fixFor(ctx: CheckContext, table: TableModel, chain: ChainFacts, limit: number, late?: RuleFacts): Fix | undefined {
  const name = chain.chain.name;
  if (!inFileOrder(table, name) || limit < 0) return undefined;
  const k = dropPosition(ctx, table, chain, limit);
  const style = styleOf(ctx.tree);
  const where = k === 0 ? `to the top of ${name}` : `after line ${ctx.lineOf(chain.rules[k - 1].rule)}`;
  if (late) {
    const words = matchWordsOf(late.rule);
    return { title: `Move line ${ctx.lineOf(late.rule)} ${where}`, edits: moveBefore(ctx.tree, style, late.rule, chain.rules[k].rule), safety: 'safe', preferred: true, effect: { kind: 'only', table: 'filter', chains: [name], match: words } };
  }
  const words = stateWords(style, 'INVALID');
  const line = ruleLine(style, name, [...words, '-j', 'DROP']);
  const edit = k < chain.rules.length ? insertBefore(ctx.tree, style, chain.rules[k].rule, [line]) : insertAfter(ctx.tree, style, chain.rules[k - 1].rule, [line]);
  return { title: `Insert '${line}' ${k === 0 ? `at the top of ${name}` : where}`, edits: [edit], safety: 'safe', preferred: true, effect: { kind: 'only', table: 'filter', chains: [name], match: words } };
}

/** The first rule of the chain that drops INVALID packets and nothing else. */
function invalidDrop(space: PacketSpace, chain: ChainFacts): RuleFacts | undefined {
  const invalid = state(space, 'INVALID');
  return chain.rules.find(
    (r) => r.match.certain && r.action.kind === 'verdict' && (r.action.outcome === 'DROP' || r.action.outcome === 'REJECT') && space.bdd.intersects(r.match.set, invalid) && space.bdd.subset(r.match.set, invalid),
  );
}

/** The source NAT rules of the family (SNAT, MASQUERADE, NETMAP in nat POSTROUTING) and the packets they certainly translate. */
function sourceNat(ctx: CheckContext, table: TableModel): { rules: Rule[]; packets: Node } {
  // The last nat block of the family is the one iptables-restore leaves in place.
  const nat = ctx.tables().filter((t) => t.family === table.family && t.table === 'nat').pop();
  const facts = nat && ctx.tableFacts(nat);
  const chain = facts && !facts.skipped ? facts.chains.get('POSTROUTING') : undefined;
  if (!facts || !chain) return { rules: [], packets: FALSE };
  const { bdd } = facts.space;
  const rules: Rule[] = [];
  let packets = FALSE;
  for (const r of chain.rules) {
    if (!['SNAT', 'MASQUERADE', 'NETMAP'].includes(r.rule.target?.name ?? '') || !r.match.certain) continue;
    const here = bdd.and(r.mustReach, r.match.set);
    if (here === FALSE) continue;
    rules.push(r.rule);
    packets = bdd.or(packets, here);
  }
  return { rules, packets };
}

/** Rules that accept everything from an interface or an address, whatever it is: trust, not a service. */
function trustRules(space: PacketSpace, chain: ChainFacts): Node {
  const trust = new Set(['iif', 'oif', 'src', 'dst', 'mac']);
  let set = FALSE;
  for (const r of chain.rules) {
    if (r.action.kind !== 'verdict' || r.action.outcome !== 'ACCEPT' || !r.match.certain) continue;
    if ([...space.fieldsOf(r.match.set)].every((f) => trust.has(f))) set = space.bdd.or(set, r.match.set);
  }
  return set;
}

export const invalidNotDropped: SemanticCheck = {
  code: 'IPT304',
  name: 'invalid-not-dropped',
  severity: 'hint',
  summary: 'A rule accepts packets in state INVALID before the rule that drops them, or forwards them past NAT',
  docs: `## What it means
This rule accepts packets that connection tracking marks INVALID: packets that belong to no connection it can make sense of (a TCP segment far outside the window, an ACK for a connection that never existed, a bad checksum). It is reported in a chain that drops by default in two cases only:

- the chain has a rule that drops INVALID packets, but this rule accepts some of them before they get there;
- FORWARD lets INVALID packets through and the host translates source addresses (SNAT, MASQUERADE): NAT only rewrites tracked connections, so INVALID packets leave with their internal addresses.

The message gives one such packet.

## Why it matters
INVALID packets are what scans with odd flags, spoofed resets and broken middleboxes produce; no legitimate connection needs them. A drop rule placed below the port rules does nothing for the ports it is meant to protect. Forwarded INVALID packets that escape NAT leak internal addresses and can reset connections of other hosts.

## Example
\`\`\`iptables
*filter
:INPUT DROP [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -m conntrack --ctstate INVALID -j DROP
COMMIT
\`\`\`
\`tcp 198.51.100.7:40000 -> 192.0.2.10:22 (INVALID, ACK)\` is accepted by the second rule before the third can drop it.

## How to fix
Drop INVALID packets early, right after the rule that accepts RELATED,ESTABLISHED: \`-A INPUT -m conntrack --ctstate INVALID -j DROP\`. The quick fix moves the existing drop rule there, or inserts one. Alternatively, accept only new connections on service ports (\`-m conntrack --ctstate NEW\`).

## When to silence it
When INVALID packets must get through (asymmetric routing, where conntrack sees only one direction of a connection and marks the rest INVALID). Put \`# iptables-lint disable-next-line=IPT304\` above the rule, or disable the check in \`.iptables-lint.json\`: \`{"disable": ["IPT304"]}\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      if (table.table !== 'filter') continue;
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      const { space } = spaceOf(ctx, table);
      const { bdd } = space;
      // Only where the file tracks connections: then the kernel does mark packets INVALID.
      const tracks = [...facts.chains.values()].some((c) => c.rules.some((r) => testsState(space, r)));
      if (!tracks) continue;
      for (const hook of ['INPUT', 'FORWARD'] as const) {
        const d = defaultDrop(facts, hook);
        if (!d) continue;
        const chain = d.chain;
        // Reported when the ruleset means to drop INVALID packets but does so too late, or
        // when they are forwarded by a host that translates addresses (they escape NAT).
        const late = invalidDrop(space, chain);
        const snat = hook === 'FORWARD' && !late ? sourceNat(ctx, table) : undefined;
        if (!late && !snat?.rules.length) continue;
        // Real traffic with its state forgotten, then INVALID: plausible addresses, ports and flags.
        const invalid = bdd.andAll([forget(space, ctx.realisticOn(table, hook), ['state']), state(space, 'INVALID'), offLoopback(ctx, table)]);
        const { accepted } = fateIn(facts, hook, invalid);
        // Too late: what the drop rule would take, accepted by a service rule (a rule that
        // trusts a whole interface or network does so on purpose). Past NAT: what source
        // NAT would translate if it were tracked.
        const leaked = late ? bdd.diff(bdd.and(accepted, late.match.set), trustRules(space, chain)) : bdd.and(accepted, snat!.packets);
        if (leaked === FALSE) continue;
        const ack = bdd.and(space.equals('proto', 6), space.masked('flags', 0x10n, 0x3fn));
        const witness = pickWitness(ctx, table, hook, leaked, [ack, space.equals('proto', 6)], invalid);
        if (!witness) continue;
        const decision = decide(ctx, table, witness, ['ACCEPT']);
        if (!decision?.rule || decision.path.length === 0) continue;
        const limit = decision.path[decision.path.length - 1];
        const fix = fixFor(ctx, table, chain, limit, late);
        const example = `${describeWitness(witness)} is ${decision.text}`;
        out.push({
          span: ctx.spanOf(decision.rule),
          message: late
            ? `This rule accepts packets that connection tracking marks INVALID before line ${ctx.lineOf(late.rule)} can drop them: ${example}`
            : `This rule forwards packets that connection tracking marks INVALID, and NAT never translates those (this host translates source addresses on line ${ctx.lineOf(snat!.rules[0])}): ${example}`,
          related: [late ? { span: ctx.spanOf(late.rule), message: 'drops INVALID packets, too late' } : { span: ctx.spanOf(snat!.rules[0]), message: 'translates only tracked connections' }],
          witness,
          witnessFate: decision.fate,
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};

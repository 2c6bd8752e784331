import { Hook } from '../../catalogue/types';
import { TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { ChainFacts, RuleFacts, TableFacts } from '../../semantics/engine';
import { FieldName } from '../../semantics/fields';
import { CheckContext } from '../context';
import { inFileOrder, moveBefore, styleOf } from '../edits';
import { canMatch, decidedText, mustMatchLocal } from '../reachability/facts';
import { CheckReport, Fix, SemanticCheck } from '../types';
import { decide, decidedWitness, isReplyRule, matchWordsOf, replyPackets, replyWitness, spaceOf } from './evidence';
import { describeWitness, Witness } from '../../semantics/witness';

/**
 * Fields that make a drop an exception carved out on purpose when the reply rule does not
 * test them: a blocklist of addresses, an interface that is closed off. Replies from a
 * banned network are meant to be dropped.
 */
const EXCEPTION_FIELDS: readonly FieldName[] = ['src', 'dst', 'mac', 'iif', 'oif'];

/**
 * Packets a rule certainly drops or rejects by a rule that is not such an exception
 * (locally: within the rule's chain), following jumps into the chains they call.
 */
function accidentalDrops(facts: TableFacts, r: RuleFacts, exceptions: ReadonlySet<FieldName>, depth = 0): Node {
  const { space } = facts;
  const { bdd } = space;
  if (!r.match.certain || depth > 8) return FALSE;
  if ([...space.fieldsOf(r.match.set)].some((f) => exceptions.has(f))) return FALSE;
  const here = mustMatchLocal(facts, r);
  if (here === FALSE) return FALSE;
  if (r.action.kind === 'verdict') return r.action.outcome === 'DROP' || r.action.outcome === 'REJECT' ? here : FALSE;
  if (r.action.kind !== 'jump' && r.action.kind !== 'goto') return FALSE;
  const callee = facts.chains.get(r.action.chain);
  if (!callee) return FALSE;
  let dropped = FALSE;
  for (const c of callee.rules) dropped = bdd.or(dropped, accidentalDrops(facts, c, exceptions, depth + 1));
  return bdd.and(here, dropped);
}

interface Blocker {
  readonly rule: RuleFacts;
  readonly blocked: Node;
}

function blockersOf(ctx: CheckContext, table: TableModel, facts: TableFacts, chain: ChainFacts, index: number): { blockers: Blocker[]; conflict: Node } {
  const { space } = spaceOf(ctx, table);
  const { bdd } = space;
  const reply = chain.rules[index];
  const own = space.fieldsOf(reply.match.set);
  const exceptions = new Set(EXCEPTION_FIELDS.filter((f) => !own.has(f)));
  const wanted = bdd.andAll([reply.match.set, replyPackets(ctx, table), chain.mustEntry, ctx.realisticOn(table, chain.chain.name as Hook)]);
  const blockers: Blocker[] = [];
  let conflict = FALSE;
  if (wanted === FALSE) return { blockers, conflict };
  for (let i = 0; i < index; i++) {
    const r = chain.rules[i];
    if (r.action.kind === 'continue' || !bdd.intersects(r.match.set, wanted)) continue;
    const blocked = bdd.and(accidentalDrops(facts, r, exceptions), wanted);
    if (blocked === FALSE) continue;
    blockers.push({ rule: r, blocked });
    conflict = bdd.or(conflict, blocked);
  }
  return { blockers, conflict };
}

function blockerText(r: RuleFacts): string {
  const a = r.action;
  if (a.kind === 'jump' || a.kind === 'goto') return `sends replies to ${a.chain}, which blocks some of them`;
  return `${a.kind === 'verdict' && a.outcome === 'REJECT' ? 'rejects' : 'drops'} replies first`;
}

function fixFor(ctx: CheckContext, table: TableModel, chain: ChainFacts, reply: RuleFacts, first: RuleFacts): Fix | undefined {
  if (!inFileOrder(table, chain.chain.name)) return undefined;
  return {
    title: `Move this rule above line ${ctx.lineOf(first.rule)}`,
    edits: moveBefore(ctx.tree, styleOf(ctx.tree), reply.rule, first.rule),
    safety: 'unsafe',
    preferred: true,
    effect: { kind: 'only', table: 'filter', chains: [chain.chain.name], match: matchWordsOf(reply.rule) },
  };
}

export const lateEstablished: SemanticCheck = {
  code: 'IPT303',
  name: 'late-established',
  severity: 'warning',
  summary: 'Replies are dropped before they reach the rule that accepts RELATED,ESTABLISHED',
  docs: `## What it means
The chain has a rule that accepts replies (\`--ctstate RELATED,ESTABLISHED -j ACCEPT\`), but an earlier rule certainly drops or rejects some of them first: a protocol-wide DROP, a port range that covers the ports clients use (32768-60999 on Linux), an ICMP drop that also takes the ICMP errors about connections. The message gives one reply that never gets to the rule, and the rule that blocks it.

Earlier rules that only drop certain addresses or interfaces (blocklists, a closed interface) are exceptions made on purpose and are not reported.

## Why it matters
The reply rule is usually meant to come first: a reply belongs to a connection the firewall already let through, whatever its ports. A DROP above it breaks those connections half-way: \`-p udp -j DROP\` placed before it drops the answers to the host's DNS queries, and \`-p icmp -j DROP\` drops the "fragmentation needed" errors that path MTU discovery relies on.

## Example
\`\`\`iptables
-A INPUT -p udp -j DROP
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
\`\`\`
The DNS answer \`udp 198.51.100.7:53 -> 192.0.2.10:40000 (ESTABLISHED)\` is dropped by the first rule.

## How to fix
Move the reply rule up, above the rules that drop replies (usually to the top of the chain, after the loopback rule). The quick fix moves it just above the first rule that blocks some of its packets. It is not applied automatically: moving the rule lets through replies that the earlier rule dropped, which is the point, but check that none of them were meant to be dropped.

## When to silence it
When dropping those replies is intended (a host that must never get UDP, even as answers). Put \`# iptables-lint disable-next-line=IPT303\` above the reply rule, or disable the check in \`.iptables-lint.json\`: \`{"disable": ["IPT303"]}\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      if (table.table !== 'filter') continue;
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      const { space } = spaceOf(ctx, table);
      for (const hook of ['INPUT', 'FORWARD', 'OUTPUT'] as const) {
        const chain = facts.chains.get(hook);
        if (!chain) continue;
        chain.rules.forEach((reply, index) => {
          if (!isReplyRule(space, reply) || !canMatch(facts, chain, reply)) return; // dead rules: IPT201, IPT204
          const { blockers, conflict } = blockersOf(ctx, table, facts, chain, index);
          if (conflict === FALSE) return;
          // The first blocker whose replies answer a connection that can exist tells the story.
          let witness: Witness | undefined;
          const first = blockers.find((b) => (witness = replyWitness(ctx, table, hook, b.blocked)) !== undefined);
          if (!first || !witness) return;
          const decision = decide(ctx, table, witness, ['DROP', 'REJECT']);
          const example = decision ? decidedWitness(witness, decision) : `${describeWitness(witness)} is ${decidedText(first.rule.action)} by line ${ctx.lineOf(first.rule.rule)}`;
          const fix = fixFor(ctx, table, chain, reply, blockers[0].rule);
          out.push({
            span: ctx.spanOf(reply.rule),
            message: `Some replies never reach this rule: ${example} before this rule can accept it`,
            related: blockers.slice(0, 5).map((b) => ({ span: ctx.spanOf(b.rule.rule), message: blockerText(b.rule) })),
            witness,
            witnessFate: decision?.fate,
            fixes: fix ? [fix] : [],
          });
        });
      }
    }
    return out;
  },
};

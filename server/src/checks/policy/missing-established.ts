import { Hook } from '../../catalogue/types';
import { TableModel } from '../../model/ruleset';
import { FALSE } from '../../semantics/bdd';
import { TableFacts } from '../../semantics/engine';
import { describeWitness } from '../../semantics/witness';
import { CheckContext } from '../context';
import { insertAfter, insertAtStart, inFileOrder, ruleLine, stateWords, styleOf } from '../edits';
import { CheckReport, Fix, SemanticCheck } from '../types';
import { chainsFrom, chainSpan, decide, decidedWitness, leadingLoopbackRules, offLoopback, replyPackets, replyWitness, state, testsState } from './evidence';
import { defaultDrop, defaultDropText, fateIn } from './traffic';

type ReplyHook = 'INPUT' | 'FORWARD' | 'OUTPUT';

const WHAT: Record<ReplyHook, string> = {
  INPUT: "replies to this host's own connections are dropped",
  OUTPUT: "this host's answers on the connections it accepts are dropped",
  FORWARD: 'replies to the connections it forwards are dropped',
};

/** Does any rule of the chain (or a chain it calls) accept packets by their connection state? */
export function handlesState(facts: TableFacts, hook: string): boolean {
  const { space } = facts;
  for (const chain of chainsFrom(facts, hook))
    for (const r of chain.rules) {
      if (r.action.kind !== 'verdict' || r.action.outcome !== 'ACCEPT') continue;
      if (testsState(space, r) && space.bdd.intersects(r.match.set, state(space, 'ESTABLISHED'))) return true;
    }
  return false;
}

/** May the chain accept some new connections on real interfaces (so that replies can exist)? */
export function opensConnections(ctx: CheckContext, table: TableModel, facts: TableFacts, hook: Hook): boolean {
  const chain = facts.chains.get(hook);
  if (!chain) return true;
  const { bdd } = facts.space;
  const fresh = bdd.andAll([chain.outcomes().may.ACCEPT, state(facts.space, 'NEW'), offLoopback(ctx, table), ctx.realisticOn(table, hook)]);
  return fresh !== FALSE;
}

/**
 * Where reply rules go: after the leading loopback rules, or at the top. Undefined when
 * the chain's lines are not in chain order.
 */
function insertReplyRule(ctx: CheckContext, table: TableModel, facts: TableFacts, hook: string, line: string) {
  const style = styleOf(ctx.tree);
  const chain = facts.chains.get(hook)!;
  const lead = leadingLoopbackRules(ctx, table, chain);
  if (lead.length && inFileOrder(table, hook)) return insertAfter(ctx.tree, style, lead[lead.length - 1].rule, [line]);
  return insertAtStart(ctx.tree, style, table, hook, [line]);
}

export function replyFix(ctx: CheckContext, table: TableModel, facts: TableFacts, hook: string): Fix | undefined {
  const style = styleOf(ctx.tree);
  const words = stateWords(style, 'RELATED,ESTABLISHED');
  const line = ruleLine(style, hook, [...words, '-j', 'ACCEPT']);
  const edit = insertReplyRule(ctx, table, facts, hook, line);
  const where = leadingLoopbackRules(ctx, table, facts.chains.get(hook)!).length ? 'after the loopback rules' : 'at the top';
  return edit && { title: `Insert '${line}' ${where} of ${hook}`, edits: [edit], safety: 'safe', preferred: true, effect: { kind: 'only', table: 'filter', chains: [hook], match: words } };
}

export const missingEstablished: SemanticCheck = {
  code: 'IPT302',
  name: 'missing-established',
  severity: 'warning',
  summary: 'A chain that drops by default never accepts replies (RELATED,ESTABLISHED)',
  docs: `## What it means
The chain drops or rejects what no rule accepts, and no rule accepts packets by their connection state: replies to connections are dropped like any unknown packet. The message gives one reply that is certainly dropped (a TCP or UDP packet of an established connection arriving at a client port, an echo reply or an ICMP error) and the policy or rule that drops it.

It is reported for INPUT when the host can open connections (OUTPUT lets some out), for OUTPUT when OUTPUT drops by default and the host accepts connections, and for FORWARD when FORWARD lets some connections through.

## Why it matters
Without a reply rule, the host can send a DNS query, an HTTP request or a package download but never receives the answer: everything times out. In FORWARD, clients behind a router can open connections that never get a reply. ICMP errors (RELATED) carry "fragmentation needed" and "unreachable" messages that path MTU discovery and quick failures depend on.

## Example
\`\`\`iptables
*filter
:INPUT DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
COMMIT
\`\`\`
The answer of a web server to this host, \`tcp 198.51.100.7:443 -> 192.0.2.10:40000 (ESTABLISHED)\`, is dropped by the policy.

## How to fix
Accept replies near the top of the chain, after the loopback rule: \`-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\` (or \`-m state --state RELATED,ESTABLISHED\` in files that use the state module). The quick fix inserts it. It only lets in packets of connections that were already allowed, so it opens nothing new.

## When to silence it
A stateless firewall that lets replies through on purpose with port rules (\`--sport 53\`), and accepts that other replies are dropped. Put \`# iptables-lint disable-next-line=IPT302\` above the chain's declaration line, or disable the check in \`.iptables-lint.json\`: \`{"disable": ["IPT302"]}\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      if (table.table !== 'filter') continue;
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      for (const hook of ['INPUT', 'OUTPUT', 'FORWARD'] as const) {
        const d = defaultDrop(facts, hook);
        if (!d || handlesState(facts, hook)) continue;
        // Replies need connections to answer: opened by this host, accepted by it, or forwarded.
        const opener: Hook = hook === 'INPUT' ? 'OUTPUT' : hook === 'OUTPUT' ? 'INPUT' : 'FORWARD';
        if (!opensConnections(ctx, table, facts, opener)) continue;
        const { blocked } = fateIn(facts, hook, replyPackets(ctx, table));
        if (blocked === FALSE) continue;
        const witness = replyWitness(ctx, table, hook, blocked);
        if (!witness) continue;
        const decision = decide(ctx, table, witness, ['DROP', 'REJECT']);
        const span = chainSpan(ctx, table, d);
        const related = decision?.rule && ctx.spanOf(decision.rule).start !== span.start ? [{ span: ctx.spanOf(decision.rule), message: 'drops replies' }] : [];
        const fix = replyFix(ctx, table, facts, hook);
        out.push({
          span,
          message: `${defaultDropText(ctx, d)} but never accepts RELATED,ESTABLISHED: ${WHAT[hook]} (for example ${decision ? decidedWitness(witness, decision) : describeWitness(witness)})`,
          related,
          witness,
          witnessFate: decision?.fate,
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};

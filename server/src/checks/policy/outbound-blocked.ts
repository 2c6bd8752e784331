import { TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { TableFacts } from '../../semantics/engine';
import { describeWitness } from '../../semantics/witness';
import { CheckContext } from '../context';
import { inFileOrder, insertAtEnd, insertBefore, ruleLine, styleOf } from '../edits';
import { mustMatchLocal } from '../reachability/facts';
import { CheckReport, Fix, SemanticCheck } from '../types';
import { chainSpan, decide, decidedWitness, offLoopback, pickWitness, spaceOf, state } from './evidence';
import { defaultDrop, defaultDropText, fateIn } from './traffic';

/**
 * Accepts DNS over one protocol in OUTPUT, just above the first rule that certainly blocks
 * some of it (so that earlier rules keep deciding what they decide), or at the end of the
 * chain when only the policy does.
 */
function dnsFix(ctx: CheckContext, table: TableModel, facts: TableFacts, proto: 'udp' | 'tcp', queries: Node): Fix | undefined {
  if (!inFileOrder(table, 'OUTPUT')) return undefined;
  const chain = facts.chains.get('OUTPUT')!;
  const { bdd } = facts.space;
  const style = styleOf(ctx.tree);
  const words = ['-p', proto, '--dport', '53'];
  const line = ruleLine(style, 'OUTPUT', [...words, '-j', 'ACCEPT']);
  const blocker = chain.rules.find((r) => {
    if (r.action.kind === 'continue' || !bdd.intersects(r.match.set, queries)) return false;
    const here = bdd.and(mustMatchLocal(facts, r), queries);
    if (here === FALSE) return false;
    if (r.action.kind === 'verdict') return r.action.outcome === 'DROP' || r.action.outcome === 'REJECT';
    const callee = facts.chains.get(r.action.chain)?.localOutcomes().must;
    return !!callee && bdd.intersects(here, bdd.or(callee.DROP, callee.REJECT));
  });
  const edit = blocker ? insertBefore(ctx.tree, style, blocker.rule, [line]) : insertAtEnd(ctx.tree, style, table, 'OUTPUT', [line]);
  if (!edit) return undefined;
  const where = blocker ? `above line ${ctx.lineOf(blocker.rule)}` : 'at the end of OUTPUT';
  return { title: `Insert '${line}' ${where} (lets ${proto.toUpperCase()} DNS queries out to any server)`, edits: [edit], safety: 'unsafe', preferred: proto === 'udp', effect: { kind: 'only', table: 'filter', chains: ['OUTPUT'], match: words } };
}

export const outboundBlocked: SemanticCheck = {
  code: 'IPT307',
  name: 'outbound-blocked',
  severity: 'warning',
  summary: 'OUTPUT drops by default and lets no DNS query, or no new connection at all, out',
  docs: `## What it means
OUTPUT drops or rejects what no rule accepts, and either no new connection at all can leave through a real interface, or no DNS query can (UDP and TCP port 53, to any server). The message says which, and gives one packet that is certainly blocked, with the policy or rule that blocks it.

## Why it matters
A host that cannot resolve names or open connections cannot install updates, sync its clock, send mail or reach an authentication server, and the failures (timeouts in every program) rarely point at the firewall. An OUTPUT policy of DROP is often set to harden a server, and the rules for what it legitimately needs are forgotten.

## Example
\`\`\`iptables
*filter
:INPUT DROP [0:0]
:OUTPUT DROP [0:0]
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A OUTPUT -p tcp --dport 443 -j ACCEPT
COMMIT
\`\`\`
HTTPS may leave, but \`udp 192.0.2.10:40000 -> 198.51.100.7:53 (NEW)\` is dropped by the policy: names cannot be resolved, so HTTPS to a name fails too.

## How to fix
Accept what the host needs to send, at least DNS to its resolvers: \`-A OUTPUT -p udp --dport 53 -j ACCEPT\` and \`-A OUTPUT -p tcp --dport 53 -j ACCEPT\` (add \`-d RESOLVER\` to allow only your resolvers). The quick fixes insert these rules; they are not applied automatically, as they let traffic out that was blocked.

## When to silence it
When the host must really not open connections or resolve names (an isolated appliance, a host that only answers). Put \`# iptables-lint disable-next-line=IPT307\` above the OUTPUT declaration line, or disable the check in \`.iptables-lint.json\`: \`{"disable": ["IPT307"]}\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      if (table.table !== 'filter') continue;
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      const d = defaultDrop(facts, 'OUTPUT');
      if (!d) continue;
      const { space } = spaceOf(ctx, table);
      const { bdd } = space;
      const fresh = bdd.andAll([ctx.realisticOn(table, 'OUTPUT'), state(space, 'NEW'), offLoopback(ctx, table)]);
      const { blocked } = fateIn(facts, 'OUTPUT', fresh);
      const udp = bdd.andAll([fresh, space.equals('proto', 17), space.equals('dport', 53)]);
      const tcp = bdd.andAll([fresh, space.equals('proto', 6), space.equals('dport', 53)]);
      if (udp === FALSE || tcp === FALSE || !bdd.subset(udp, blocked) || !bdd.subset(tcp, blocked)) continue;
      const everything = bdd.subset(fresh, blocked);
      const witness = pickWitness(ctx, table, 'OUTPUT', udp);
      if (!witness) continue;
      const decision = decide(ctx, table, witness, ['DROP', 'REJECT']);
      const span = chainSpan(ctx, table, d);
      const what = everything
        ? 'lets no new connection out: this host cannot resolve names, install updates or reach any server'
        : 'lets no DNS query out (UDP and TCP port 53, to any server): this host cannot resolve names';
      const example = decision ? decidedWitness(witness, decision) : `${describeWitness(witness)} is blocked`;
      const related = decision?.rule && ctx.spanOf(decision.rule).start !== span.start ? [{ span: ctx.spanOf(decision.rule), message: 'blocks DNS queries' }] : [];
      const fixes = [dnsFix(ctx, table, facts, 'udp', udp), dnsFix(ctx, table, facts, 'tcp', tcp)].filter((f): f is Fix => f !== undefined);
      out.push({ span, message: `${defaultDropText(ctx, d)} and ${what} (for example ${example})`, related, witness, witnessFate: decision?.fate, fixes });
    }
    return out;
  },
};

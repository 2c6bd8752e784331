import { MustAllow } from '../../config/config';
import { TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { RuleFacts, TableFacts } from '../../semantics/engine';
import { describeWitness } from '../../semantics/witness';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';
import { despiteOtherTables, decisionOf, filterTables, findingSpan, insertNearTop, lockedOut, mustAllowFor, networkText, newFromOutside, onNamedInterfaces, serviceWords } from './service-access';
import { defaultDrop, fateIn, packetsOf, realisticWitness } from './traffic';

/** The rules that certainly accept some of `packets` (in INPUT or the chains it calls), in chain order. */
function acceptingRules(facts: TableFacts, packets: Node): RuleFacts[] {
  const { bdd } = facts.space;
  const out: RuleFacts[] = [];
  for (const chain of facts.chains.values()) {
    if (!chain.reachable) continue;
    for (const r of chain.rules) {
      if (r.action.kind !== 'verdict' || r.action.outcome !== 'ACCEPT' || !r.match.certain) continue;
      // A rule that picks packets by source port lets replies in (stateless style); it
      // accepts the service only by accident of the client's port.
      if (facts.space.fieldsOf(r.match.set).has('sport')) continue;
      if (!bdd.intersects(r.match.set, packets)) continue;
      if (bdd.intersects(bdd.andAll([chain.mustEntry, r.mustReach, r.match.set]), packets)) out.push(r);
    }
  }
  return out.sort((a, b) => a.rule.node - b.rule.node);
}

/**
 * The packets of `blocked` that no DROP or REJECT aimed at particular sources takes (a
 * blocklist): the example should show how an ordinary client is refused, not a banned one.
 */
function ordinaryClients(facts: TableFacts, blocked: Node): Node {
  const { bdd } = facts.space;
  let out = blocked;
  for (const chain of facts.chains.values())
    for (const r of chain.rules) {
      if (r.action.kind !== 'verdict' || (r.action.outcome !== 'DROP' && r.action.outcome !== 'REJECT')) continue;
      if (facts.space.fieldsOf(r.match.set).has('src')) out = bdd.diff(out, r.match.set);
    }
  return out;
}

/** The words of a rule that say which packets it takes (`-s 10.0.0.0/8 -p tcp --dport 22`). */
function matchText(ctx: CheckContext, r: RuleFacts): string {
  const words = ctx.ruleLine(r.rule).words.map((w) => w.text);
  const start = words.findIndex((w) => w === '-A' || w === '--append' || w === '-I' || w === '--insert');
  const rest = words.slice(start + 2);
  const target = rest.findIndex((w) => w === '-j' || w === '--jump');
  return (target === -1 ? rest : rest.slice(0, target)).join(' ');
}

function report(ctx: CheckContext, table: TableModel, facts: TableFacts, entry: MustAllow): CheckReport | undefined {
  const { bdd } = facts.space;
  // A TCP connection opens with a SYN (an ACK is NEW only when conntrack picks up a
  // connection it lost track of, and a rule may rightly insist on --syn).
  const words = [...serviceWords(entry), ...(entry.protocol === 'tcp' ? ['--syn'] : [])];
  const service = bdd.and(packetsOf(ctx, table, words), newFromOutside(ctx, table, 'INPUT'));
  if (service === FALSE) return undefined;
  const fate = fateIn(facts, 'INPUT', service);
  const blocked = onNamedInterfaces(ctx, table, 'iif', fate.accepted, despiteOtherTables(ctx, table, 'INPUT', service, bdd.and(fate.blocked, service)));
  const refusedToAll = bdd.diff(service, blocked) === FALSE;
  // An entry without clients asks that the service be reachable at all: SSH opened to an
  // admin network or on the LAN interface only is a choice, not a lockout. An entry with
  // `from` names the clients, and each of them must get in.
  if (!refusedToAll && !entry.from) return undefined;
  const witness = realisticWitness(ctx, table, 'INPUT', ordinaryClients(facts, blocked)) ?? realisticWitness(ctx, table, 'INPUT', blocked);
  if (!witness) return undefined;
  const decision = decisionOf(ctx, table, witness);
  const accepting = fate.accepted === FALSE ? [] : acceptingRules(facts, bdd.and(fate.accepted, service));
  const example = `${describeWitness(witness)} is ${decision.text}`;
  let text: string;
  if (refusedToAll) text = `INPUT refuses every new connection to it${entry.from ? ` from ${networkText(entry.from)}` : ''}: for example ${example}${decision.rule ? '' : ', and no rule accepts it'}`;
  else {
    text = `INPUT refuses new connections to it from ${witness.src}${witness.in ? ` in ${witness.in}` : ''} (for example ${example})`;
    if (accepting.length) {
      const shown = accepting.slice(0, 3).map((r) => `${ctx.lineOf(r.rule)} (${matchText(ctx, r)})`);
      const more = accepting.length > 3 ? ` and ${accepting.length - 3} more` : '';
      text += `; only line${accepting.length > 1 ? 's' : ''} ${shown.join(', ')}${more} accept${accepting.length > 1 ? '' : 's'} it`;
    }
  }
  const ins = insertNearTop(ctx, table, facts, 'INPUT', [[...serviceWords(entry), '-j', 'ACCEPT']]);
  return {
    span: findingSpan(ctx, table, 'INPUT', decision),
    message: `${entry.text} must stay reachable (mustAllow), but ${text}`,
    witness,
    witnessFate: decision.fate,
    related: accepting.slice(0, 3).map((r) => ({ span: ctx.spanOf(r.rule), message: `accepts ${entry.text} for some clients only` })),
    fixes: ins
      ? [
          {
            title: `Open ${entry.text}: insert '${ins.lines[0]}' near the top of INPUT`,
            edits: [ins.edit],
            safety: 'unsafe',
            effect: { kind: 'only', table: 'filter', chains: ['INPUT'], match: serviceWords(entry) },
          },
        ]
      : [],
  };
}

export const mustAllowBlocked: SemanticCheck = {
  code: 'IPT306',
  name: 'must-allow-blocked',
  severity: 'error',
  summary: 'A service that must stay reachable (mustAllow, tcp/22 by default) is refused by INPUT',
  docs: `## What it means
The configuration lists services that must stay reachable: \`mustAllow\` in \`.iptables-lint.json\` or the \`iptablesLint.mustAllow\` setting, \`["tcp/22"]\` (SSH) unless configured. An entry is a protocol and port (\`udp/51820\`), optionally with the clients it is for (\`tcp/22 from 10.0.0.0/8\`, which then concerns only the rulesets of that address family).

This check reports an entry when INPUT drops by default and certainly refuses new connections to that port arriving on a real interface (not loopback):
- for an entry without clients (\`tcp/22\`), when it refuses every such connection: nobody can reach the service. A port opened to some networks or interfaces only (SSH for the admin network) is a choice, and is not reported;
- for an entry with clients (\`tcp/22 from 10.0.0.0/8\`), when it refuses a connection from at least one of them.

The message gives such a connection, the rule or policy that refuses it, and the rules that accept the service for other clients.

Only certain refusals count: if a rule the engine cannot judge (\`-m recent\` port knocking, \`-m limit\`, sets ...) might accept the connection, or the nat, mangle or raw table may rewrite or untrack it first, nothing is reported. A TCP connection is judged by its SYN. When the service is accepted on the interfaces the ruleset names (\`-i eth0\`), interfaces it never mentions are not considered. When INPUT accepts no new connection at all, IPT305 (lockout) reports it once, naming the \`mustAllow\` services, and this check stays quiet for that table.

## Why it matters
Losing SSH to a remote server is the classic firewall accident: the rules load fine, the current session survives on its established connection, and the next login times out.

## Example
\`\`\`iptables
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp --dport 443 -j ACCEPT
COMMIT
\`\`\`
HTTPS is open, but SSH (tcp/22) is dropped by the policy.

## How to fix
Accept the service before the rule or policy that refuses it, from the clients that need it: \`-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT\`. The fix inserts an ACCEPT for the entry near the top of INPUT (after the loopback and established rules); it is not applied automatically, as it opens a port. If the service is meant for some networks only, say so in the entry instead.

## When to silence it
When the host is really not meant to offer the service (SSH only through a console or a bastion reached another way): set \`mustAllow\` to what the host must offer (\`[]\` for nothing), or add \`# iptables-lint disable-next-line=IPT306\` above the reported line, or \`{"disable": ["IPT306"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { table, facts } of filterTables(ctx)) {
      const entries = mustAllowFor(ctx, table);
      if (entries.length === 0 || !defaultDrop(facts, 'INPUT')) continue;
      // Nothing new gets in at all: IPT305 says it once, naming the services.
      if (lockedOut(ctx, table, facts)) continue;
      for (const entry of entries) {
        const r = report(ctx, table, facts, entry);
        if (r) out.push(r);
      }
    }
    return out;
  },
};

import { Hook } from '../../catalogue/types';
import { TableModel } from '../../model/ruleset';
import { FALSE } from '../../semantics/bdd';
import { describeWitness } from '../../semantics/witness';
import { CheckContext } from '../context';
import { stateWords, styleOf } from '../edits';
import { CheckReport, Fix, SemanticCheck } from '../types';
import { blockedErrors, icmpOf, throughTwoInterfaces, tracks } from './icmp-errors';
import { decisionOf, filterTables, findingSpan, insertAtTop, linesTitle } from './service-access';
import { realisticWitness } from './traffic';

const HOOKS: readonly Hook[] = ['INPUT', 'FORWARD'];

export const icmpBlocked: SemanticCheck = {
  code: 'IPT308',
  name: 'icmp-blocked',
  severity: 'warning',
  summary: 'ICMP fragmentation-needed or time-exceeded errors about accepted connections are dropped',
  docs: `## What it means
An IPv4 INPUT or FORWARD chain certainly drops ICMP errors that belong to connections it lets through: "fragmentation needed" (destination unreachable, code 4), which path-MTU discovery relies on, or "time exceeded" (type 11). The kernel sees such an error as RELATED to the connection it is about, so a \`RELATED,ESTABLISHED\` ACCEPT lets them in; this check fires when that rule is missing (only \`ESTABLISHED\` is accepted), or when an earlier rule such as \`-p icmp -j DROP\` takes them first. The message gives one such error and the rule (or policy) that drops it.

Only errors on paths where the chain accepts replies are considered: an error is about a connection, and it travels the way that connection's replies do. A chain that accepts no replies at all is reported by IPT302 (missing-established) instead. ICMP errors about no known connection are INVALID to the kernel and nobody needs them; they are not considered. Neither are errors that the nat, mangle or raw table may change first (a mark the filter table then tests, say).

## Why it matters
When a router on the way has a smaller MTU (a VPN, PPPoE, a tunnel), it answers large packets with "fragmentation needed". If the firewall drops that answer, the connection stalls as soon as a full-size packet is sent: SSH logs in and then hangs, web pages load halfway, TLS handshakes time out (a path-MTU black hole). Dropped "time exceeded" messages make traceroute show nothing and hide routing loops.

## Example
\`\`\`iptables
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
COMMIT
\`\`\`
Replies are accepted, but a "fragmentation needed" error about an SSH connection is RELATED, not ESTABLISHED: the policy drops it.

## How to fix
Accept RELATED ICMP errors before anything drops ICMP: \`-A INPUT -p icmp -m conntrack --ctstate RELATED -j ACCEPT\` (or accept \`RELATED,ESTABLISHED\` rather than \`ESTABLISHED\` alone). The fix inserts that rule at the top of the chain; in a ruleset that does not track connections, it accepts the two error types instead (\`-p icmp --icmp-type fragmentation-needed -j ACCEPT\`, \`-p icmp --icmp-type time-exceeded -j ACCEPT\`). Neither opens a port.

## When to silence it
When ICMP errors are filtered on purpose and path-MTU problems are handled otherwise (MSS clamping on every path, a fixed small MTU): add \`# iptables-lint disable-next-line=IPT308\` above the reported line, or \`{"disable": ["IPT308"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { table, facts } of filterTables(ctx)) {
      if (table.family !== 'ipv4') continue;
      const { space } = facts;
      const { bdd } = space;
      const fragNeeded = icmpOf(space, 3, 4);
      const timeExceeded = icmpOf(space, 11);
      for (const hook of HOOKS) {
        if (!facts.chains.get(hook)) continue;
        const blocked = blockedErrors(ctx, table, facts, hook, bdd.or(fragNeeded, timeExceeded));
        if (blocked === FALSE) continue;
        const frag = bdd.intersects(blocked, fragNeeded);
        const time = bdd.intersects(blocked, timeExceeded);
        const kinds = [...(frag ? ['fragmentation-needed (type 3 code 4)'] : []), ...(time ? ['time-exceeded (type 11)'] : [])];
        const effects = [
          ...(frag ? ['path-MTU discovery fails, and connections stall when a full-size packet does not fit the path'] : []),
          ...(time ? [`traceroute ${hook === 'INPUT' ? 'from this host' : 'through this host'} shows no hops`] : []),
        ];
        const preferred = throughTwoInterfaces(ctx, table, frag ? bdd.and(blocked, fragNeeded) : blocked);
        const witness = realisticWitness(ctx, table, hook, preferred);
        if (!witness) continue;
        const decision = decisionOf(ctx, table, witness);
        const whose = hook === 'INPUT' ? "this host's connections" : 'the connections it forwards';
        out.push({
          span: findingSpan(ctx, table, hook, decision),
          message: `${hook} drops ICMP errors about ${whose}: ${kinds.join(' and ')}, which are RELATED to the connection they concern. ${capitalised(effects.join('; '))}. For example ${describeWitness(witness)} is ${decision.text}`,
          witness,
          witnessFate: decision.fate,
          fixes: fixFor(ctx, table, hook),
        });
      }
    }
    return out;
  },
};

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fixFor(ctx: CheckContext, table: TableModel, hook: Hook): Fix[] {
  if (tracks(ctx, table)) {
    const words = ['-p', 'icmp', ...stateWords(styleOf(ctx.tree), 'RELATED')];
    const ins = insertAtTop(ctx, table, hook, [[...words, '-j', 'ACCEPT']]);
    if (!ins) return [];
    return [{ title: `Accept ICMP errors about tracked connections: insert ${linesTitle(ins.lines)} at the top of ${hook}`, edits: [ins.edit], safety: 'safe', preferred: true, effect: { kind: 'only', table: 'filter', chains: [hook], match: words } }];
  }
  const ins = insertAtTop(ctx, table, hook, [
    ['-p', 'icmp', '--icmp-type', 'fragmentation-needed', '-j', 'ACCEPT'],
    ['-p', 'icmp', '--icmp-type', 'time-exceeded', '-j', 'ACCEPT'],
  ]);
  if (!ins) return [];
  return [{ title: `Accept ICMP fragmentation-needed and time-exceeded: insert ${linesTitle(ins.lines)} at the top of ${hook}`, edits: [ins.edit], safety: 'safe', preferred: true, effect: { kind: 'only', table: 'filter', chains: [hook], match: ['-p', 'icmp'] } }];
}

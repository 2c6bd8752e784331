import { describeWitness } from '../../semantics/witness';
import { CheckContext } from '../context';
import { CheckReport, Fix, SemanticCheck } from '../types';
import { decisionOf, filterTables, findingSpan, insertNearTop, lockedOut, mustAllowFor, serviceWords } from './service-access';
import { defaultDrop, defaultDropText, realisticWitness } from './traffic';

export const lockout: SemanticCheck = {
  code: 'IPT305',
  name: 'lockout',
  severity: 'error',
  summary: 'INPUT accepts no new connection at all from a real interface: the file locks everybody out',
  docs: `## What it means
The INPUT chain refuses every new connection that arrives on a real network interface (anything but loopback): no rule accepts NEW traffic, so the policy or a final DROP/REJECT takes it all. Replies to connections this host opens itself may still get in, but nobody can open a connection to it: not SSH, not any other service. The message gives one such connection and the rule (or policy) that refuses it.

A rule the engine cannot judge (\`-m recent\`, \`-m limit\`, sets ...) that might accept new traffic is enough to keep this check quiet: it only reports what is certain. For IPv6 rulesets the message says "over IPv6".

When this check fires, IPT306 (must-allow-blocked) stays quiet for the same table: the services listed in \`mustAllow\` are named in this message instead.

## Why it matters
Loading such a file on a remote machine cuts the session that loaded it as soon as the connection has to be re-established, and nobody can log in again without console access. It usually comes from a policy set to DROP before the ACCEPT rules were written, or from ACCEPT rules that ended up in a chain nothing jumps to.

## Example
\`\`\`iptables
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
\`\`\`
Nothing accepts a new connection: the next SSH login is dropped by the policy.

## How to fix
Accept the services the host offers before the policy or the final DROP takes them, for example \`-A INPUT -p tcp --dport 22 -j ACCEPT\` for SSH (better: only from the networks that administer the host). The fix inserts an ACCEPT for each service of \`mustAllow\` (tcp/22 unless configured); it is not applied automatically, as it opens a port.

## When to silence it
A host that must really refuse every incoming connection (a client-only machine, or IPv6 turned off on purpose with a closed ruleset): add \`# iptables-lint disable-next-line=IPT305\` above the reported line, or \`{"disable": ["IPT305"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { table, facts } of filterTables(ctx)) {
      const blocked = lockedOut(ctx, table, facts);
      if (!blocked) continue;
      const witness = realisticWitness(ctx, table, 'INPUT', blocked);
      if (!witness) continue;
      const decision = decisionOf(ctx, table, witness);
      const d = defaultDrop(facts, 'INPUT');
      const chain = d ? defaultDropText(ctx, d) + ' and accepts' : 'INPUT accepts';
      const services = mustAllowFor(ctx, table);
      const named = services.length ? `, ${services.map((s) => s.text).join(', ')} (mustAllow) included` : '';
      const family = table.family === 'ipv6' ? ' over IPv6' : '';
      const fixes: Fix[] = [];
      for (const entry of services) {
        const words = serviceWords(entry);
        const ins = insertNearTop(ctx, table, facts, 'INPUT', [[...words, '-j', 'ACCEPT']]);
        if (!ins) continue;
        fixes.push({
          title: `Open ${entry.text}: insert '${ins.lines[0]}' near the top of INPUT`,
          edits: [ins.edit],
          safety: 'unsafe',
          effect: { kind: 'only', table: 'filter', chains: ['INPUT'], match: words },
        });
      }
      out.push({
        span: findingSpan(ctx, table, 'INPUT', decision),
        message: `${chain} no new connection from any real interface: applying this file locks everybody out of every service on this host${family}${named}; for example ${describeWitness(witness)} is ${decision.text}`,
        witness,
        witnessFate: decision.fate,
        fixes,
      });
    }
    return out;
  },
};

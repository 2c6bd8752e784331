import { BOTH_FAMILIES, TargetSpec } from '../types';

const verdict = (name: string, summary: string, doc: string, terminating = true): TargetSpec => ({
  kind: 'target',
  name,
  families: BOTH_FAMILIES,
  options: [],
  terminating,
  standard: true,
  summary,
  doc,
});

export const ACCEPT = verdict(
  'ACCEPT',
  'Let the packet through; no further rule in this table sees it',
  `ACCEPT lets the packet through this chain. The chain ends for it: no later rule here, or in a chain that jumped here, sees it. The packet then moves on to the next table or hook, whose rules still judge it.

It is mostly used in the filter table: INPUT for services this host offers, FORWARD for traffic it routes, OUTPUT for what it sends.

\`\`\`iptables
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
\`\`\`

- ACCEPT in a user chain accepts the packet for the built-in chain that jumped there, not only for the user chain.
- ACCEPT in raw, mangle or nat ends only that table's chain: the filter table still decides.
- With a DROP policy, accept replies (\`ESTABLISHED,RELATED\`) first, or the connections this host opens never get their answers.`,
);
export const DROP = verdict(
  'DROP',
  'Discard the packet silently; the sender gets no answer and times out',
  `DROP throws the packet away without a word. The chain ends for it, and no later rule or table sees it.

It is mostly used in the filter table (INPUT, FORWARD, OUTPUT), but works in every table and chain.

\`\`\`iptables
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -s 203.0.113.0/24 -j DROP
\`\`\`

- The sender gets no answer, so it retries until it gives up: a dropped connection attempt hangs for seconds or minutes. Use REJECT when clients, your own included, should fail at once.
- DROP in OUTPUT makes local programs such as ping report "Operation not permitted".
- Before dropping the rest, accept replies (\`ESTABLISHED,RELATED\`), or the connections this host opens itself break too.`,
);
export const RETURN = verdict(
  'RETURN',
  'Leave this chain: back to the rule after the jump, or the policy in a built-in chain',
  `RETURN leaves the current chain early. In a user chain, the packet goes back to the chain that jumped there and continues with the rule after the jump. In a built-in chain there is nothing to go back to, so the chain's policy decides the packet at once.

It belongs in user chains, to skip the rest of a check for packets that passed it.

\`\`\`iptables
:CHECK - [0:0]
-A INPUT -p tcp --dport 22 -j CHECK
-A INPUT -p tcp --dport 22 -j ACCEPT
-A CHECK -s 192.168.1.0/24 -j RETURN
-A CHECK -j DROP
\`\`\`

- RETURN is not ACCEPT: after it, the later rules of the calling chain still judge the packet.
- After a \`-g\` (goto), RETURN skips the chain that made the goto and goes back to the last chain that used \`-j\`.
- A user chain that ends without a verdict returns by itself.`,
);
export const QUEUE = verdict(
  'QUEUE',
  'Hand the packet to a user-space program (queue 0)',
  `QUEUE hands the packet to a user-space program listening on netfilter queue 0. The chain ends for it: the program's verdict (accept, drop, or a changed packet) decides what happens next.

It works in any table and chain, and is the old spelling of \`NFQUEUE --queue-num 0\`.

\`\`\`iptables
-A FORWARD -p tcp --dport 80 -j QUEUE
\`\`\`

- When no program listens on queue 0, the kernel drops every packet this rule sends there. QUEUE cannot fall back; use \`NFQUEUE --queue-bypass\` if traffic must keep flowing while the program is down.
- Every queued packet goes through user space, which is slow: queue as few packets as you can.
- Prefer NFQUEUE: it offers other queue numbers and can spread the load over several.`,
);

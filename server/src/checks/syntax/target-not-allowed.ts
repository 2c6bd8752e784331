import { CheckMeta } from '../types';

export const targetNotAllowed: CheckMeta = {
  code: 'IPT113',
  name: 'target-not-allowed',
  severity: 'error',
  summary: "A target or match used in a table or chain where the kernel refuses it",
  docs: `## What it means
Many extensions work only in some tables and built-in chains: DNAT and REDIRECT in nat PREROUTING/OUTPUT, MASQUERADE and SNAT in nat POSTROUTING (SNAT also INPUT), REJECT in INPUT/FORWARD/OUTPUT, CT and NOTRACK in raw. A user chain counts as every built-in chain that jumps to it.

## Why it matters
The kernel refuses the table when it is loaded. \`iptables-restore --test\` does not notice, so the mistake usually shows up only when the firewall is applied for real.

## Example
\`\`\`iptables
*filter
-A FORWARD -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5
COMMIT
\`\`\`
Instead:
\`\`\`iptables
*nat
-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5
COMMIT
\`\`\`

## How to fix
Move the rule to the table and chain where the target belongs.
`,
};

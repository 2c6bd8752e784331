import { CheckMeta } from '../types';

export const suspiciousValue: CheckMeta = {
  code: 'IPT140',
  name: 'suspicious-value',
  severity: 'warning',
  summary: "A value iptables accepts but that cannot work as intended",
  docs: `## What it means
The value is accepted by iptables, but it cannot mean what it seems to: for example an interface name containing a character Linux never puts in interface names.

## Why it matters
The rule loads but never does what it says.

## Example
\`\`\`iptables
-A INPUT -i eth 0 -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -i eth0 -j ACCEPT
\`\`\`

## How to fix
Correct the value as the message explains.
`,
};

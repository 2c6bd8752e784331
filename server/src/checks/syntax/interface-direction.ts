import { CheckMeta } from '../types';

export const interfaceDirection: CheckMeta = {
  code: 'IPT114',
  name: 'interface-direction',
  severity: 'error',
  summary: "`-o` in an incoming chain or `-i` in an outgoing one",
  docs: `## What it means
Packets in INPUT and PREROUTING have not been routed yet, so they have no output interface; packets in OUTPUT and POSTROUTING were created on this host or already routed, so \`-i\` makes no sense there. iptables refuses both.

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
-A INPUT -o eth0 -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -i eth0 -j ACCEPT
\`\`\`

## How to fix
Use \`-i\` in INPUT/PREROUTING/FORWARD and \`-o\` in OUTPUT/POSTROUTING/FORWARD.
`,
};

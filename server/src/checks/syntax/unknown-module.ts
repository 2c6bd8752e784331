import { CheckMeta } from '../types';

export const unknownModule: CheckMeta = {
  code: 'IPT103',
  name: 'unknown-module',
  severity: 'error',
  summary: "`-m NAME` names a match module that does not exist",
  docs: `## What it means
The name after \`-m\` must be one of the match modules iptables ships (tcp, udp, conntrack, multiport, limit, ...). Module names are case sensitive, and some exist only for IPv4 (\`icmp\`) or IPv6 (\`icmp6\`).

## Why it matters
iptables-restore cannot load the module and refuses the file.

## Example
\`\`\`iptables
-A INPUT -m conntrak --ctstate ESTABLISHED -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT
\`\`\`

## How to fix
Fix the module name; the message suggests the closest one.
`,
};

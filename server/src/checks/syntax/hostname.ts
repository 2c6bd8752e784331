import { CheckMeta } from '../types';

export const hostname: CheckMeta = {
  code: 'IPT130',
  name: 'hostname',
  severity: 'warning',
  summary: "An address given as a host name",
  docs: `## What it means
iptables accepts host names where an address is expected and resolves them through DNS once, when the rule is loaded. The rule then holds the addresses found at that moment; later DNS changes are not followed.

## Why it matters
At boot DNS is often not reachable yet, and then the whole restore fails; when it works, the rule silently keeps stale addresses.

## Example
\`\`\`iptables
-A INPUT -s backup.example.com -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -s 192.0.2.10 -j ACCEPT
\`\`\`

## How to fix
Write the address itself, or use an ipset that is kept up to date.
`,
};

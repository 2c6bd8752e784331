import { CheckMeta } from '../types';

export const familyMismatch: CheckMeta = {
  code: 'IPT131',
  name: 'family-mismatch',
  severity: 'error',
  summary: "An IPv6 value in an IPv4 ruleset, or the other way round",
  docs: `## What it means
iptables (rules.v4) and ip6tables (rules.v6) are separate. An IPv6 address, \`-p icmpv6\` or an ICMPv6 type in an IPv4 file, or an IPv4 address in an IPv6 file, is refused.

## Why it matters
The restore of that file fails.

## Example
\`\`\`iptables
-A INPUT -s 2001:db8::/32 -j ACCEPT   (in rules.v4)
\`\`\`
Instead:
\`\`\`iptables
(move the rule to rules.v6)
\`\`\`

## How to fix
Move the rule to the file of its family.
`,
};

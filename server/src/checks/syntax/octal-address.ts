import { CheckMeta } from '../types';

export const octalAddress: CheckMeta = {
  code: 'IPT139',
  name: 'octal-address',
  severity: 'warning',
  summary: "An address part with a leading zero",
  docs: `## What it means
iptables reads each part of a dotted address as a C number, so a leading zero makes it octal: \`010.0.0.1\` is 8.0.0.1, and \`192.168.001.010\` is 192.168.1.8.

## Why it matters
The rule matches a different address than the one you meant, silently.

## Example
\`\`\`iptables
-A INPUT -s 192.168.001.010 -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -s 192.168.1.10 -j ACCEPT
\`\`\`

## How to fix
Write the parts without leading zeros.
`,
};

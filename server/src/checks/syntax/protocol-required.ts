import { CheckMeta } from '../types';

export const protocolRequired: CheckMeta = {
  code: 'IPT112',
  name: 'protocol-required',
  severity: 'error',
  summary: "A module or target needs a specific `-p` protocol",
  docs: `## What it means
Port matches, \`-m tcp\`, \`-m multiport\`, \`--reject-with tcp-reset\`, NAT with a port and several other extensions only make sense for some protocols. The kernel checks that the rule itself matches that protocol with \`-p\`, and not negated.

## Why it matters
The kernel refuses the rule, so the whole table (or the whole file) is not loaded.

## Example
\`\`\`iptables
-A INPUT -j REJECT --reject-with tcp-reset
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp -j REJECT --reject-with tcp-reset
\`\`\`

## How to fix
Add the \`-p\` the message names, or choose an option that works for any protocol.
`,
};

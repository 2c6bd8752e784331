import { CheckMeta } from '../types';

export const undeclaredChain: CheckMeta = {
  code: 'IPT105',
  name: 'undeclared-chain',
  severity: 'error',
  summary: "A rule is added to a chain that does not exist in this table",
  docs: `## What it means
\`-A CHAIN\` (and \`-I\`, \`-D\`, \`-P\` ...) need a chain that exists: a built-in chain of the table (filter has INPUT, FORWARD, OUTPUT; nat has PREROUTING, INPUT, OUTPUT, POSTROUTING; ...) or a user chain declared with \`:NAME - [0:0]\` or \`-N NAME\` earlier in the same table.

## Why it matters
iptables-restore fails on this line and applies nothing.

## Example
\`\`\`iptables
*filter
-A SSH_IN -p tcp --dport 22 -j ACCEPT
COMMIT
\`\`\`
Instead:
\`\`\`iptables
*filter
:SSH_IN - [0:0]
-A SSH_IN -p tcp --dport 22 -j ACCEPT
COMMIT
\`\`\`

## How to fix
Declare the chain at the top of the table, or fix its name.
`,
};

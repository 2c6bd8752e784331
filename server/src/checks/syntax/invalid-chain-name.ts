import { CheckMeta } from '../types';

export const invalidChainName: CheckMeta = {
  code: 'IPT122',
  name: 'invalid-chain-name',
  severity: 'error',
  summary: "A chain name iptables refuses",
  docs: `## What it means
Chain names have at most 28 characters, must not start with \`-\` or \`!\`, and must not be one of the built-in verdicts (ACCEPT, DROP, RETURN, QUEUE).

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
:ACCEPT - [0:0]
\`\`\`
Instead:
\`\`\`iptables
:ACCEPT_WEB - [0:0]
\`\`\`

## How to fix
Choose another name.
`,
};

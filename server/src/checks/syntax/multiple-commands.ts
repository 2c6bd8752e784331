import { CheckMeta } from '../types';

export const multipleCommands: CheckMeta = {
  code: 'IPT134',
  name: 'multiple-commands',
  severity: 'error',
  summary: "Two commands on one line",
  docs: `## What it means
A line performs one command: \`-A\`, \`-I\`, \`-D\`, \`-N\`, \`-P\` ... A second one is refused.

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
-A INPUT -I INPUT -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -j ACCEPT
\`\`\`

## How to fix
Split the line in two.
`,
};

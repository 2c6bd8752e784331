import { CheckMeta } from '../types';

export const missingCommand: CheckMeta = {
  code: 'IPT129',
  name: 'missing-command',
  severity: 'error',
  summary: "A line that does not say what to do",
  docs: `## What it means
Each rule line starts with a command: \`-A CHAIN\` to append, \`-I CHAIN\` to insert, \`-N\` to create a chain, \`-P\` to set a policy. A line with options but no command, or with only spaces, is refused.

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
-p tcp --dport 22 -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp --dport 22 -j ACCEPT
\`\`\`

## How to fix
Add the command and chain, or delete the line (a blank line must be truly empty).
`,
};

import { CheckMeta } from '../types';

export const missingArgument: CheckMeta = {
  code: 'IPT107',
  name: 'missing-argument',
  severity: 'error',
  summary: "An option is missing its value",
  docs: `## What it means
The option needs one or more values after it, and the rule ends (or the next word is another option) before them.

## Why it matters
iptables refuses the rule and the restore fails.

## Example
\`\`\`iptables
-A INPUT -p tcp --dport -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp --dport 22 -j ACCEPT
\`\`\`

## How to fix
Add the value.
`,
};

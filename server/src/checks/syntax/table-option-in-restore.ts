import { CheckMeta } from '../types';

export const tableOptionInRestore: CheckMeta = {
  code: 'IPT128',
  name: 'table-option-in-restore',
  severity: 'error',
  summary: "`-t` inside a dump",
  docs: `## What it means
In a dump the table comes from the \`*table\` line; iptables-restore refuses \`-t\` on a rule line.

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
*filter
-t nat -A PREROUTING -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
*nat
-A PREROUTING -j ACCEPT
\`\`\`

## How to fix
Remove \`-t\` and put the rule in the right table block.
`,
};

import { CheckMeta } from '../types';

export const outsideTable: CheckMeta = {
  code: 'IPT119',
  name: 'outside-table',
  severity: 'error',
  summary: "A chain or rule line that is not inside a `*table` block",
  docs: `## What it means
In a dump, every chain declaration and rule belongs to the table opened by the last \`*table\` line, up to its COMMIT. A line after COMMIT and before the next \`*table\` belongs to nothing.

## Why it matters
iptables-restore fails at this line.

## Example
\`\`\`iptables
COMMIT
-A INPUT -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -j ACCEPT
COMMIT
\`\`\`

## How to fix
Move the line inside a table block, or add a \`*filter\` line before it.
`,
};

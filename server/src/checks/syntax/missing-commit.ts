import { CheckMeta } from '../types';

export const missingCommit: CheckMeta = {
  code: 'IPT120',
  name: 'missing-commit',
  severity: 'error',
  summary: "A table block is never closed with COMMIT",
  docs: `## What it means
iptables-restore applies a table only when it reads its COMMIT line. A table that is not committed when the file ends, or when the next \`*table\` begins, makes the restore fail.

## Why it matters
Nothing in the file is applied.

## Example
\`\`\`iptables
*filter
-A INPUT -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
*filter
-A INPUT -j ACCEPT
COMMIT
\`\`\`

## How to fix
Add COMMIT at the end of the table.
`,
};

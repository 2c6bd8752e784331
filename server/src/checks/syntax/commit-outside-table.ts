import { CheckMeta } from '../types';

export const commitOutsideTable: CheckMeta = {
  code: 'IPT137',
  name: 'commit-outside-table',
  severity: 'error',
  summary: "COMMIT with no open table",
  docs: `## What it means
COMMIT closes the table opened by the last \`*table\` line. A second COMMIT, or one before any table, is refused.

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
*filter
COMMIT
COMMIT
\`\`\`
Instead:
\`\`\`iptables
*filter
COMMIT
\`\`\`

## How to fix
Remove the extra COMMIT, or add the missing \`*table\` line.
`,
};

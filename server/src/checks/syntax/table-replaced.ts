import { CheckMeta } from '../types';

export const tableReplaced: CheckMeta = {
  code: 'IPT132',
  name: 'table-replaced',
  severity: 'warning',
  summary: "The same table appears twice in one file",
  docs: `## What it means
iptables-restore flushes a table each time it reads its \`*table\` line, so only the last block for a table survives. Two blocks for one table usually come from concatenated dumps.

## Why it matters
The rules of the earlier block are silently lost.

## Example
\`\`\`iptables
*filter ... COMMIT
*filter ... COMMIT
\`\`\`
Instead:
\`\`\`iptables
(merge the two blocks into one)
\`\`\`

## How to fix
Merge the blocks, or delete the one you do not want.
`,
};

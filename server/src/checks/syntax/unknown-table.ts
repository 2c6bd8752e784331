import { CheckMeta } from '../types';

export const unknownTable: CheckMeta = {
  code: 'IPT121',
  name: 'unknown-table',
  severity: 'error',
  summary: "A `*table` line names a table that does not exist",
  docs: `## What it means
The tables are filter, nat, mangle, raw and security.

## Why it matters
iptables-restore fails on the first line of the block.

## Example
\`\`\`iptables
*filtre
\`\`\`
Instead:
\`\`\`iptables
*filter
\`\`\`

## How to fix
Fix the table name.
`,
};

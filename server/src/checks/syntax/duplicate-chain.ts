import { CheckMeta } from '../types';

export const duplicateChain: CheckMeta = {
  code: 'IPT118',
  name: 'duplicate-chain',
  severity: 'error',
  summary: "A user chain is declared twice in one table",
  docs: `## What it means
Each \`:NAME\` line creates a chain. Declaring the same user chain twice is refused by iptables-legacy, and usually means two dumps were merged by hand.

## Why it matters
iptables-legacy refuses the file; on the nft backend the second declaration is ignored.

## Example
\`\`\`iptables
:MYCHAIN - [0:0]
:MYCHAIN - [0:0]
\`\`\`
Instead:
\`\`\`iptables
:MYCHAIN - [0:0]
\`\`\`

## How to fix
Remove the second declaration.
`,
};

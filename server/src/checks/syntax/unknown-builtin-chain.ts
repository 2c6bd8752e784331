import { CheckMeta } from '../types';

export const unknownBuiltinChain: CheckMeta = {
  code: 'IPT138',
  name: 'unknown-builtin-chain',
  severity: 'error',
  summary: "A policy set on a built-in chain that this table does not have",
  docs: `## What it means
Each table has its own built-in chains: filter has INPUT, FORWARD and OUTPUT; nat has PREROUTING, INPUT, OUTPUT and POSTROUTING; raw has PREROUTING and OUTPUT.

## Why it matters
iptables-legacy refuses the file.

## Example
\`\`\`iptables
*filter
:POSTROUTING ACCEPT [0:0]
\`\`\`
Instead:
\`\`\`iptables
*nat
:POSTROUTING ACCEPT [0:0]
\`\`\`

## How to fix
Move the line to the right table.
`,
};

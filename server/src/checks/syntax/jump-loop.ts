import { CheckMeta } from '../types';

export const jumpLoop: CheckMeta = {
  code: 'IPT115',
  name: 'jump-loop',
  severity: 'error',
  summary: "User chains that jump to each other in a circle",
  docs: `## What it means
If chain A jumps to B and B jumps back to A (directly or through other chains), a packet could loop forever. The kernel refuses such a table as soon as the loop is reachable from a built-in chain.

## Why it matters
The table is not loaded at all.

## Example
\`\`\`iptables
-A A -j B
-A B -j A
-A INPUT -j A
\`\`\`
Instead:
\`\`\`iptables
-A A -j B
-A B -j RETURN
-A INPUT -j A
\`\`\`

## How to fix
Break the loop: replace one of the jumps with RETURN, or restructure the chains.
`,
};

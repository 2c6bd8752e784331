import { CheckMeta } from '../types';

export const policyOnUserChain: CheckMeta = {
  code: 'IPT117',
  name: 'policy-on-user-chain',
  severity: 'error',
  summary: "A user-defined chain is given a policy",
  docs: `## What it means
Only built-in chains have a policy. A packet that reaches the end of a user chain returns to the chain that jumped to it; to end a user chain with a decision, add a final rule (\`-A MYCHAIN -j DROP\`).

## Why it matters
iptables-legacy refuses the file (the nft backend silently ignores the policy, so the chain does not behave as written).

## Example
\`\`\`iptables
:MYCHAIN DROP [0:0]
\`\`\`
Instead:
\`\`\`iptables
:MYCHAIN - [0:0]
-A MYCHAIN -j DROP
\`\`\`

## How to fix
Write \`-\` as the policy and add a final rule if needed.
`,
};

import { CheckMeta } from '../types';

export const invalidPolicy: CheckMeta = {
  code: 'IPT116',
  name: 'invalid-policy',
  severity: 'error',
  summary: "A built-in chain's policy is missing or not ACCEPT/DROP",
  docs: `## What it means
Every \`:CHAIN\` line needs a policy: ACCEPT or DROP for built-in chains, \`-\` for user chains. REJECT is not a policy; to reject by default, end the chain with \`-A CHAIN -j REJECT\`.

## Why it matters
iptables-restore refuses the line.

## Example
\`\`\`iptables
:INPUT REJECT [0:0]
\`\`\`
Instead:
\`\`\`iptables
:INPUT DROP [0:0]
\`\`\`

## How to fix
Use ACCEPT or DROP, and add a final REJECT rule if you want rejections.
`,
};

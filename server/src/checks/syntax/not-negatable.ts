import { CheckMeta } from '../types';

export const notNegatable: CheckMeta = {
  code: 'IPT108',
  name: 'not-negatable',
  severity: 'error',
  summary: "`!` put before an option that cannot be negated",
  docs: `## What it means
\`! --option\` inverts a condition. Only some options accept it: targets (\`-j\`) never do, and many module options do not.

## Why it matters
iptables refuses the rule and the restore fails.

## Example
\`\`\`iptables
-A INPUT ! -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -j ACCEPT
\`\`\`

## How to fix
Remove the \`!\`, or express the opposite condition another way (a RETURN rule first, for example).
`,
};

import { CheckMeta } from '../types';

export const gotoNotChain: CheckMeta = {
  code: 'IPT136',
  name: 'goto-not-chain',
  severity: 'error',
  summary: "`-g` (goto) to something that is not a user chain",
  docs: `## What it means
\`-g CHAIN\` continues in a user chain without coming back. It cannot go to a verdict or a target extension; use \`-j\` for those.

## Why it matters
The rule does not load.

## Example
\`\`\`iptables
-A INPUT -g ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -j ACCEPT
\`\`\`

## How to fix
Use \`-j\` instead.
`,
};

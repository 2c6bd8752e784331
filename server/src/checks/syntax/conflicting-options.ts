import { CheckMeta } from '../types';

export const conflictingOptions: CheckMeta = {
  code: 'IPT111',
  name: 'conflicting-options',
  severity: 'error',
  summary: "Options that cannot be combined in one rule",
  docs: `## What it means
Some options exclude each other, for example \`--syn\` and \`--tcp-flags\` (the first is a short form of the second) or a rate given both as a limit and as a threshold.

## Why it matters
iptables refuses the rule and the restore fails.

## Example
\`\`\`iptables
-A INPUT -p tcp --syn --tcp-flags SYN,ACK SYN -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp --syn -j ACCEPT
\`\`\`

## How to fix
Keep only one of the options.
`,
};

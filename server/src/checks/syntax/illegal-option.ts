import { CheckMeta } from '../types';

export const illegalOption: CheckMeta = {
  code: 'IPT133',
  name: 'illegal-option',
  severity: 'error',
  summary: "An option that is not allowed with this command",
  docs: `## What it means
Listing flags such as \`-n\`, \`-x\` and \`--line-numbers\` cannot be combined with rule commands, and rule options make no sense with chain commands such as \`-N\` or \`-X\`.

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
-A INPUT -n -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -j ACCEPT
\`\`\`

## How to fix
Remove the option.
`,
};

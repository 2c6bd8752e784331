import { CheckMeta } from '../types';

export const unknownOption: CheckMeta = {
  code: 'IPT101',
  name: 'unknown-option',
  severity: 'error',
  summary: "An option iptables does not know at this point of the rule",
  docs: `## What it means
iptables reads a rule from left to right and only knows the options of the modules loaded so far (\`-m NAME\`, \`-p tcp\`, \`-j TARGET\`). An option that none of them defines, or an abbreviation that fits several options, makes the whole restore fail.

## Why it matters
iptables-restore stops at this line and loads nothing from the file: every rule, including those that keep SSH open, stays as it was before.

## Example
\`\`\`iptables
-A INPUT -p tcp --dprot 22 -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp --dport 22 -j ACCEPT
\`\`\`

## How to fix
Correct the spelling (the message suggests the closest option), or load the module that provides the option before it.
`,
};

import { CheckMeta } from '../types';

export const legacyNegation: CheckMeta = {
  code: 'IPT124',
  name: 'legacy-negation',
  severity: 'error',
  summary: "`!` written after the option instead of before it",
  docs: `## What it means
Old iptables accepted \`-s ! 10.0.0.0/8\`. Current versions only accept \`! -s 10.0.0.0/8\`, with the \`!\` before the option.

## Why it matters
The restore fails at this line on any iptables of the last decade.

## Example
\`\`\`iptables
-A INPUT -s ! 10.0.0.0/8 -j DROP
\`\`\`
Instead:
\`\`\`iptables
-A INPUT ! -s 10.0.0.0/8 -j DROP
\`\`\`

## How to fix
Move the \`!\` in front of the option (the quick fix does it).
`,
};

import { CheckMeta } from '../types';

export const danglingNegation: CheckMeta = {
  code: 'IPT135',
  name: 'dangling-negation',
  severity: 'error',
  summary: "A `!` with nothing after it to negate",
  docs: `## What it means
\`!\` must be followed by the option it negates.

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
-A INPUT -s 10.0.0.0/8 -j DROP !
\`\`\`
Instead:
\`\`\`iptables
-A INPUT ! -s 10.0.0.0/8 -j DROP
\`\`\`

## How to fix
Move the \`!\` before the option, or remove it.
`,
};

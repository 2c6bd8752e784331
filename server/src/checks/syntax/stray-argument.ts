import { CheckMeta } from '../types';

export const strayArgument: CheckMeta = {
  code: 'IPT123',
  name: 'stray-argument',
  severity: 'error',
  summary: "A word that belongs to no option",
  docs: `## What it means
Every word of a rule is an option (\`--dport\`), its value, or a \`!\` before an option. A word left over, often an unquoted value with spaces in it or an extra value, is refused.

## Why it matters
The restore fails at this line.

## Example
\`\`\`iptables
-A INPUT -m comment --comment allow ssh -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -m comment --comment "allow ssh" -j ACCEPT
\`\`\`

## How to fix
Quote values that contain spaces, and remove extra words.
`,
};

import { CheckMeta } from '../types';

export const unterminatedQuote: CheckMeta = {
  code: 'IPT126',
  name: 'unterminated-quote',
  severity: 'warning',
  summary: "A double quote that is never closed",
  docs: `## What it means
A \`"\` opens a quoted value that runs to the next unescaped \`"\`. If there is none, iptables-restore takes everything up to the end of the line, including the options after it, as one value.

## Why it matters
The rule loads but not as written: for a comment or log prefix, the target and options after it are silently swallowed.

## Example
\`\`\`iptables
-A INPUT -m comment --comment "ssh -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -m comment --comment "ssh" -j ACCEPT
\`\`\`

## How to fix
Close the quote.
`,
};

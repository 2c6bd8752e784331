import { CheckMeta } from '../types';

export const crlfLineEndings: CheckMeta = {
  code: 'IPT125',
  name: 'crlf-line-endings',
  severity: 'error',
  summary: "The file has Windows (CRLF) line endings",
  docs: `## What it means
iptables-restore splits lines at \`\\n\` only, so every line keeps a trailing carriage return: \`*filter\` becomes a table name with an invisible character and COMMIT is not recognised.

## Why it matters
The restore fails at the first line.

## Example
\`\`\`iptables
(a file saved with CRLF line endings)
\`\`\`
Instead:
\`\`\`iptables
(the same file saved with LF line endings)
\`\`\`

## How to fix
Save the file with Unix (LF) line endings (in VS Code: click CRLF in the status bar and choose LF).
`,
};

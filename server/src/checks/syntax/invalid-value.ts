import { CheckMeta } from '../types';

export const invalidValue: CheckMeta = {
  code: 'IPT106',
  name: 'invalid-value',
  severity: 'error',
  summary: "An option's value is not valid",
  docs: `## What it means
Each option takes values of a given form: a port or port range (\`22\`, \`1024:65535\`), an address with an optional mask (\`10.0.0.0/8\`), a state list (\`RELATED,ESTABLISHED\`), a rate (\`10/minute\`), and so on. The message says which part of the value is wrong and why.

## Why it matters
iptables refuses the rule, so the restore fails at this line and no rule of the file is applied.

## Example
\`\`\`iptables
-A INPUT -p tcp --dport 8080:80 -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp --dport 80:8080 -j ACCEPT
\`\`\`

## How to fix
Write the value in the form the message describes.
`,
};

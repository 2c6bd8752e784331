import { CheckMeta } from '../types';

export const optionWithoutModule: CheckMeta = {
  code: 'IPT102',
  name: 'option-without-module',
  severity: 'error',
  summary: "An option used before the module that provides it is loaded",
  docs: `## What it means
Options such as \`--dport\` or \`--ctstate\` belong to a match module. iptables only recognises them after that module is loaded: \`-p tcp\` loads the tcp match, \`-m conntrack\` loads conntrack. Order matters, because iptables reads the words left to right.

## Why it matters
The restore fails at this line, so none of the file's rules are applied.

## Example
\`\`\`iptables
-A INPUT --dport 22 -p tcp -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp --dport 22 -j ACCEPT
\`\`\`

## How to fix
Put \`-p PROTOCOL\` or \`-m MODULE\` in front of the option.
`,
};

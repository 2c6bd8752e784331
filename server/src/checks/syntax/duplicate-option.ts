import { CheckMeta } from '../types';

export const duplicateOption: CheckMeta = {
  code: 'IPT109',
  name: 'duplicate-option',
  severity: 'error',
  summary: "The same option is given twice",
  docs: `## What it means
Most options may appear once per module instance: one \`-p\`, one \`-j\`, one \`--dport\` per \`-m tcp\`. To match several ports, use \`-m multiport --dports 22,80,443\`.

## Why it matters
iptables refuses the rule and the restore fails.

## Example
\`\`\`iptables
-A INPUT -p tcp --dport 80 --dport 443 -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT
\`\`\`

## How to fix
Keep one of them, or use a module that takes a list.
`,
};

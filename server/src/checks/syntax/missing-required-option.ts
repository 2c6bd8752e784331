import { CheckMeta } from '../types';

export const missingRequiredOption: CheckMeta = {
  code: 'IPT110',
  name: 'missing-required-option',
  severity: 'error',
  summary: "A module or target is missing an option it requires",
  docs: `## What it means
Some modules and targets do nothing without a particular option: \`-m conntrack\` needs at least one condition, \`-j DNAT\` needs \`--to-destination\`, \`-m hashlimit\` needs a name and a rate.

## Why it matters
iptables refuses the rule and the restore fails.

## Example
\`\`\`iptables
-t nat -A PREROUTING -p tcp --dport 80 -j DNAT
\`\`\`
Instead:
\`\`\`iptables
-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080
\`\`\`

## How to fix
Add the option the message names.
`,
};

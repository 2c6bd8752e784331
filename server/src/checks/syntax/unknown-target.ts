import { CheckMeta } from '../types';

export const unknownTarget: CheckMeta = {
  code: 'IPT104',
  name: 'unknown-target',
  severity: 'error',
  summary: "`-j`/`-g` names neither a target nor a chain of this table",
  docs: `## What it means
After \`-j\` comes a verdict (ACCEPT, DROP, RETURN, QUEUE), a target extension (REJECT, LOG, DNAT, ...) or a user-defined chain declared in the same table. Names are case sensitive.

## Why it matters
The kernel refuses a rule whose jump goes nowhere, and with it the whole table. On the nft backend the error is reported at the table's COMMIT line, which makes it hard to find by hand.

## Example
\`\`\`iptables
-A INPUT -p tcp --dport 23 -j DROPP
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -p tcp --dport 23 -j DROP
\`\`\`

## How to fix
Correct the name, or declare the chain (\`:NAME - [0:0]\`) at the top of the table.
`,
};

import { CheckMeta } from '../types';

export const removedExtension: CheckMeta = {
  code: 'IPT141',
  name: 'removed-extension',
  severity: 'error',
  summary: 'A target, match or option that current iptables or Linux no longer has',
  docs: `## What it means
The rule uses an extension that was removed from Linux or from iptables, such as the ULOG target (replaced by NFLOG) or the CLUSTERIP target (replaced by the cluster match). Old tutorials and rulesets still show them.

## Why it matters
The kernel refuses the rule, so iptables-restore refuses the whole file.

## Example
\`\`\`iptables
-A INPUT -j ULOG --ulog-prefix "in: "
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -j NFLOG --nflog-prefix "in: "
\`\`\`

## How to fix
Use the replacement the message names.
`,
};

import { CheckMeta } from '../types';

export const invalidConfig: CheckMeta = {
  code: 'IPT392',
  name: 'invalid-config',
  severity: 'warning',
  summary: 'A problem in .iptables-lint.json or in the iptablesLint settings',
  docs: `## What it means
The project configuration (\`.iptables-lint.json\` at the workspace root, or the file given to the CLI with \`--config\`) or an \`iptablesLint.*\` setting holds something iptables-lint cannot use: a JSON error, an unknown key, a check code that does not exist, a severity that is not one of \`error\`, \`warning\`, \`info\`, \`hint\`, \`off\`, or a \`mustAllow\` entry that is not a service.

## Example
The file looks like this (comments and trailing commas are allowed):
\`\`\`json
{
  "disable": ["IPT203"],
  "severity": { "IPT301": "warning", "redundant-rule": "off" },
  "mustAllow": ["tcp/22", "udp/51820", "tcp/443 from 10.0.0.0/8"]
}
\`\`\`

## Why it matters
The part of the configuration that cannot be read is ignored, and the defaults apply instead: a check you meant to turn off still runs, or a service you meant to protect is not checked.

## How to fix
Correct the value at the place the diagnostic points to.
`,
};

import { CheckMeta } from '../types';

export const unknownSuppressionCode: CheckMeta = {
  code: 'IPT391',
  name: 'unknown-suppression-code',
  severity: 'warning',
  summary: 'A suppression comment names a check that does not exist',
  docs: `## What it means
A suppression comment lists a word that is neither the code (\`IPT301\`) nor the name (\`missing-loopback\`) of an iptables-lint check.

## Why it matters
The comment does not suppress what its author meant to suppress: usually the code is mistyped, and the finding it was meant to hide is still reported, or will be.

## Example
\`\`\`iptables
# iptables-lint disable-next-line=IPT3O1
\`\`\`
The letter O instead of the digit 0.

## How to fix
Correct the code; the list of checks is in the documentation (\`docs/rules/\`).
`,
};

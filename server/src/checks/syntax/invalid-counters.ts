import { CheckMeta } from '../types';

export const invalidCounters: CheckMeta = {
  code: 'IPT127',
  name: 'invalid-counters',
  severity: 'warning',
  summary: "Malformed `[packets:bytes]` counters",
  docs: `## What it means
Chain lines and rules may carry counters as \`[packets:bytes]\`, two whole numbers. They are only used when restoring with \`--counters\`.

## Why it matters
A missing \`]\` or \`:\` makes the restore fail; other malformed counters fail only with \`--counters\`.

## Example
\`\`\`iptables
:INPUT ACCEPT [12:]
\`\`\`
Instead:
\`\`\`iptables
:INPUT ACCEPT [12:3400]
\`\`\`

## How to fix
Write both numbers, or \`[0:0]\`.
`,
};

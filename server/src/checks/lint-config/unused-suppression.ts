import { CheckMeta } from '../types';

export const unusedSuppression: CheckMeta = {
  code: 'IPT390',
  name: 'unused-suppression',
  severity: 'hint',
  tags: ['unnecessary'],
  summary: 'A suppression comment that suppresses nothing',
  docs: `## What it means
A \`# iptables-lint disable-next-line=...\` or \`# iptables-lint disable=...\` comment names a check that reports nothing where the comment applies.

## Why it matters
Suppressions outlive the problems they were written for. A stale one does no harm today, but it will silently hide the next real finding of that check on that line, and it tells the next reader that something is wrong where nothing is.

## Example
\`\`\`iptables
# iptables-lint disable-next-line=IPT301
-A INPUT -i lo -j ACCEPT
\`\`\`
The loopback rule is there, so IPT301 has nothing to say.

## How to fix
Delete the comment, or the codes in it that are no longer needed. The quick fix does it.
`,
};

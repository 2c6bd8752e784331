import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';

/**
 * Targets that still load but are on their way out, and the word that replaces them. ULOG
 * and CLUSTERIP are not here: current kernels refuse them (both backends, Linux 6.x), so the
 * syntax layer reports them as removed extensions (IPT141, an error).
 */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  NOTRACK: 'CT --notrack',
};

export const deprecatedTarget: SemanticCheck = {
  code: 'IPT502',
  name: 'deprecated-target',
  severity: 'hint',
  tags: ['deprecated'],
  summary: 'A target kept only for compatibility (`-j NOTRACK` instead of `-j CT --notrack`)',
  docs: `## What it means
The rule uses a target that still works but has a current replacement. Today that is \`-j NOTRACK\`: it does exactly what \`-j CT --notrack\` does, and the kernel lists its own NOTRACK target as deprecated. iptables already loads \`-j NOTRACK\` as the CT target with the notrack flag (\`iptables -t raw -L\` shows it as \`CT ... NOTRACK\`), which is why it keeps working on kernels built without the old target.

Targets that current kernels no longer have at all are errors, reported by IPT141 (removed-extension), not here: \`ULOG\` (removed in Linux 3.17, use \`NFLOG\`) and \`CLUSTERIP\` (removed in Linux 6.3, use the \`cluster\` match). Both backends, iptables-legacy-restore and iptables-nft-restore, refuse them on a 6.x kernel, while \`-j NOTRACK\` loads on both, for IPv4 and IPv6.

## Why it matters
Nothing breaks today. The replacement is the form the documentation, \`iptables-translate\` and nftables (\`notrack\`) use, and \`-j CT\` is the one target to learn for everything conntrack-related in the raw table (zones, helpers, timeouts).

## Example
\`\`\`iptables
*raw
-A PREROUTING -p udp --dport 53 -j NOTRACK
COMMIT
\`\`\`
Instead:
\`\`\`iptables
*raw
-A PREROUTING -p udp --dport 53 -j CT --notrack
COMMIT
\`\`\`

## How to fix
Write \`-j CT --notrack\` instead of \`-j NOTRACK\` (the quick fix does it). It changes no packet's fate.

## When to silence it
When the file must keep the older spelling (a tool compares it with its own output): \`{"disable": ["IPT502"]}\` in \`.iptables-lint.json\` turns the check off (or \`# iptables-lint disable-next-line=IPT502\` above one rule).
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      for (const chain of table.chains.values()) {
        for (const rule of chain.rules) {
          const t = rule.target;
          if (!t || t.kind !== 'extension') continue;
          const replacement = REPLACEMENTS[t.name];
          if (!replacement || t.options.length > 0) continue;
          const item = rule.syntax.items[t.item];
          const jump = item.written;
          out.push({
            span: item.span,
            message: `'${jump} ${t.name}' is kept only for compatibility: '${jump} ${replacement}' does the same and is the current form`,
            fixes: [{ title: `Rewrite as '${jump} ${replacement}'`, edits: [{ span: t.nameSpan, text: replacement }], safety: 'safe', preferred: true, effect: { kind: 'none' } }],
          });
        }
      }
    }
    return out;
  },
};

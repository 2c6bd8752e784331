import { CheckContext } from '../context';
import { CheckReport, Edit, SemanticCheck } from '../types';
import { Span } from '../../syntax/text';

export const deprecatedState: SemanticCheck = {
  code: 'IPT501',
  name: 'deprecated-state',
  severity: 'hint',
  tags: ['deprecated'],
  summary: '`-m state --state` instead of `-m conntrack --ctstate`',
  docs: `## What it means
The \`state\` match is the old name of a subset of the \`conntrack\` match, kept so that old rulesets still load: \`-m state --state ESTABLISHED,RELATED\` and \`-m conntrack --ctstate ESTABLISHED,RELATED\` test exactly the same thing. Current documentation, distributions and tools write the \`conntrack\` form.

## Why it matters
Nothing breaks today: the kernel has no separate state module any more, and iptables loads \`-m state\` rules through the conntrack code. The \`conntrack\` form is the one to learn and to read: it also offers \`--ctstatus\`, \`--ctorigsrc\`, \`--ctdir\` and the rest, and \`iptables-translate\` and nftables speak its language (\`ct state\`).

## Example
\`\`\`iptables
-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
\`\`\`
Instead:
\`\`\`iptables
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
\`\`\`

## How to fix
Write \`-m conntrack --ctstate\` instead of \`-m state --state\`, keeping the states and any \`!\` (the quick fix does it). It changes no packet's fate.

## When to silence it
When the file must stay byte-for-byte comparable with an older tool's output, or you prefer the short form: \`{"disable": ["IPT501"]}\` in \`.iptables-lint.json\` turns the check off (or \`# iptables-lint disable-next-line=IPT501\` above one rule).
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      for (const chain of table.chains.values()) {
        for (const rule of chain.rules) {
          const syntax = rule.syntax;
          const states = syntax.matches.filter((m) => m.name === 'state' && m.loadItem !== undefined);
          if (states.length === 0) continue;
          const edits: Edit[] = [];
          let span: Span | undefined;
          for (const m of states) {
            edits.push({ span: m.nameSpan, text: 'conntrack' });
            const load = syntax.items[m.loadItem!].span;
            let end = load.end;
            for (const i of m.options) {
              const item = syntax.items[i];
              if (item.spec.names[0] === '--state') edits.push({ span: item.nameSpan, text: '--ctstate' });
              end = Math.max(end, item.span.end);
            }
            span ??= { start: load.start, end };
          }
          const text = (s: Span) => ctx.tree.text.slice(s.start, s.end);
          const written = text(span!);
          const rewritten = written.replace(/\bstate\b/, 'conntrack').replace(/--state\b/, '--ctstate');
          out.push({
            span: span!,
            message: `'${written}' is the old form of '${rewritten}': the state match is kept only for compatibility`,
            fixes: [{ title: `Rewrite as '${rewritten}'${states.length > 1 ? ' (every state match of the rule)' : ''}`, edits, safety: 'safe', preferred: true, effect: { kind: 'none' } }],
          });
        }
      }
    }
    return out;
  },
};

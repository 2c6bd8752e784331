// Outline: tables, then their chains (with policy), then each chain's rules.

import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { Analysis } from '../../analysis';
import { RuleLine, TableLine } from '../../syntax/dump';
import { LineIndex, Span } from '../../syntax/text';
import { toRange } from '../convert';

function ruleLabel(node: RuleLine): string {
  const cmd = node.rule.command;
  const words = node.words.filter((w) => !cmd || (w !== cmd.chain && w.span.start >= (cmd.chain?.span.end ?? 0)));
  const text = words.map((w) => (w.quoted ? JSON.stringify(w.text) : w.text)).join(' ');
  return text.length > 0 ? text : '(empty rule)';
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const { tree, ruleset } = analysis;
  const index: LineIndex = tree.index;
  const lineSpan = (i: number): Span => tree.lines[i].span;
  return tree.blocks.map((block, blockIndex) => {
    const header = tree.lines[block.header] as TableLine;
    const end = tree.lines[block.commit ?? block.last].span;
    const model = ruleset.tables.find((t) => t.block === blockIndex);
    const chains: DocumentSymbol[] = [];
    for (const chain of model?.chains.values() ?? []) {
      const lines = [...(chain.declaration !== undefined ? [chain.declaration] : []), ...chain.rules.map((r) => r.node)];
      if (lines.length === 0) continue; // a built-in chain the file never mentions
      const first = Math.min(...lines);
      const last = Math.max(...lines);
      const selection = chain.nameSpan ?? lineSpan(first);
      const rules: DocumentSymbol[] = chain.rules.map((rule, i) => {
        const node = tree.lines[rule.node] as RuleLine;
        const range = toRange(index, node.span);
        return {
          name: `${i + 1}: ${ruleLabel(node)}`,
          detail: rule.target?.name ?? '',
          kind: SymbolKind.Event,
          range,
          selectionRange: range,
        };
      });
      chains.push({
        name: chain.name,
        detail: chain.builtin ? `policy ${chain.policy ?? 'ACCEPT'}` : 'user chain',
        kind: chain.builtin ? SymbolKind.Module : SymbolKind.Function,
        range: toRange(index, { start: lineSpan(first).start, end: lineSpan(last).end }),
        selectionRange: toRange(index, selection),
        children: rules,
      });
    }
    const name = header.nameWord ? `*${header.nameWord.text}` : '*';
    return {
      name: block.family === 'ipv6' ? `${name} (IPv6)` : name,
      detail: `${model ? [...model.chains.values()].reduce((n, c) => n + c.rules.length, 0) : 0} rules`,
      kind: SymbolKind.Namespace,
      range: toRange(index, { start: header.span.start, end: end.end }),
      selectionRange: toRange(index, header.span),
      children: chains,
    };
  });
}

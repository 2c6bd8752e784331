// Outline: tables, then their chains (with policy), then each chain's rules.

import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { Analysis } from '../../analysis';
import { RuleLine, TableLine } from '../../syntax/dump';
import { isScriptTree } from '../../syntax/script';
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
  // Ranges from the spans themselves: in a script, the lines of a block follow the order the
  // commands run in, which need not be the order they are written in.
  const cover = (spans: readonly Span[]): Span => {
    let start = Infinity;
    let end = -Infinity;
    for (const s of spans) {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
    }
    return { start, end };
  };
  const script = isScriptTree(tree);
  return tree.blocks.flatMap((block, blockIndex) => {
    // A script's commands that never run (an uncalled function, a branch not taken) build no table.
    if (script && !block.table) return [];
    const header = tree.lines[block.header] as TableLine;
    const blockLines: Span[] = [];
    for (let i = block.header; i <= block.last; i++) blockLines.push(lineSpan(i));
    const model = ruleset.tables.find((t) => t.block === blockIndex);
    const chains: DocumentSymbol[] = [];
    for (const chain of model?.chains.values() ?? []) {
      const lines = [...(chain.declaration !== undefined ? [chain.declaration] : []), ...chain.rules.map((r) => r.node)];
      if (lines.length === 0) continue; // a built-in chain the file never mentions
      const selection = chain.nameSpan ?? lineSpan(lines.reduce((a, b) => Math.min(a, b)));
      const chainRange = cover([...lines.map(lineSpan), selection]);
      // A script's command in a loop adds several rules: each is listed, numbered as loaded.
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
        range: toRange(index, chainRange),
        selectionRange: toRange(index, selection),
        children: rules,
      });
    }
    const name = script ? (block.table ?? '') : header.nameWord ? `*${header.nameWord.text}` : '*';
    return {
      name: block.family === 'ipv6' ? `${name} (IPv6)` : name,
      detail: `${model ? [...model.chains.values()].reduce((n, c) => n + c.rules.length, 0) : 0} rules`,
      kind: SymbolKind.Namespace,
      range: toRange(index, cover(blockLines)),
      selectionRange: toRange(index, header.span),
      children: chains,
    };
  });
}

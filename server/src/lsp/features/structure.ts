// Folding ranges, semantic tokens and selection ranges over LSP; the logic is in
// ide/structure.ts.

import { FoldingRange, FoldingRangeKind, SelectionRange, SemanticTokensBuilder } from 'vscode-languageserver/node';
import { Analysis } from '../../analysis';
import { foldingRanges, selectionSpans, semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../ide/structure';
import { toRange } from '../convert';
import { Feature } from './feature';

function toFoldingRanges(analysis: Analysis): FoldingRange[] {
  return foldingRanges(analysis).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region }));
}

function encodeTokens(analysis: Analysis): { data: number[] } {
  const builder = new SemanticTokensBuilder();
  for (const token of semanticTokens(analysis)) {
    const start = analysis.tree.index.position(token.span.start);
    const modifiers = token.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0);
    builder.push(start.line, start.character, token.span.end - token.span.start, TOKEN_TYPES.indexOf(token.type), modifiers);
  }
  return builder.build();
}

function toSelectionRange(analysis: Analysis, offset: number): SelectionRange {
  const spans = selectionSpans(analysis, offset);
  // Innermost first: each span's parent is the next one out.
  let range: SelectionRange | undefined;
  for (const span of [...spans].reverse()) range = { range: toRange(analysis.tree.index, span), parent: range };
  return range ?? { range: toRange(analysis.tree.index, { start: offset, end: offset }) };
}

export const structure: Feature = {
  capabilities: {
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
  },
  register({ connection, documents, analysisOf, guarded }) {
    connection.onFoldingRanges((params) => {
      const doc = documents.get(params.textDocument.uri);
      return doc ? guarded(doc, 'folding ranges', () => toFoldingRanges(analysisOf(doc)), []) : [];
    });
    connection.languages.semanticTokens.on((params) => {
      const doc = documents.get(params.textDocument.uri);
      return doc ? guarded(doc, 'semantic tokens', () => encodeTokens(analysisOf(doc)), { data: [] }) : { data: [] };
    });
    connection.onSelectionRanges((params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      return guarded(doc, 'selection ranges', () => {
        const analysis = analysisOf(doc);
        return params.positions.map((p) => toSelectionRange(analysis, analysis.tree.index.offset(p)));
      }, []);
    });
  },
};

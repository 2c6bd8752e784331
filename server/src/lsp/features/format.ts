// Document and range formatting over LSP; the logic (and why a rule may be left alone) is in
// ide/format.ts.

import { TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatEdits } from '../../ide/format';
import { Span } from '../../syntax/text';
import { toRange } from '../convert';
import { Feature, FeatureContext } from './feature';

function edits(ctx: FeatureContext, doc: TextDocument, range?: { start: { line: number; character: number }; end: { line: number; character: number } }): TextEdit[] {
  return ctx.guarded(doc, 'formatting', () => {
    const analysis = ctx.analysisOf(doc);
    const index = analysis.tree.index;
    const span: Span | undefined = range && { start: index.offset(range.start), end: index.offset(range.end) };
    return formatEdits(analysis, span).map((e) => ({ range: toRange(index, e.span), newText: e.text }));
  }, []);
}

export const formatting: Feature = {
  capabilities: { documentFormattingProvider: true, documentRangeFormattingProvider: true },
  register(ctx) {
    ctx.connection.onDocumentFormatting((params) => {
      const doc = ctx.documents.get(params.textDocument.uri);
      return doc ? edits(ctx, doc) : [];
    });
    ctx.connection.onDocumentRangeFormatting((params) => {
      const doc = ctx.documents.get(params.textDocument.uri);
      return doc ? edits(ctx, doc, params.range) : [];
    });
  },
};

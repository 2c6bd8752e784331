// Hover: markdown about the module, option, value, target, chain, table or check code under
// the cursor (ide/hover.ts decides what; this file only converts to LSP).

import { Hover, MarkupKind } from 'vscode-languageserver';
import { hoverAt } from '../../ide/hover';
import { toRange } from '../convert';
import { Feature } from './feature';

export const hover: Feature = {
  capabilities: { hoverProvider: true },
  register({ connection, documents, analysisOf, guarded }) {
    connection.onHover((params): Hover | null => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      return guarded(
        doc,
        'hover',
        () => {
          const analysis = analysisOf(doc);
          const info = hoverAt(analysis, analysis.tree.index.offset(params.position));
          if (!info) return null;
          return { contents: { kind: MarkupKind.Markdown, value: info.markdown }, range: toRange(analysis.tree.index, info.span) };
        },
        null,
      );
    });
  },
};

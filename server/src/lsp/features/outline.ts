// Document symbols: the outline (tables > chains > rules).

import { Feature } from './feature';
import { documentSymbols } from './symbols';

export const outline: Feature = {
  capabilities: { documentSymbolProvider: true },
  register({ connection, documents, analysisOf, guarded }) {
    connection.onDocumentSymbol((params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      return guarded(doc, 'outline', () => documentSymbols(analysisOf(doc)), []);
    });
  },
};

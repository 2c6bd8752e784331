// Inlay hints over LSP (rule numbers and counters), each kind switchable by a setting; the
// logic is in ide/inlay.ts.

import { InlayHint, InlayHintKind, MarkupKind } from 'vscode-languageserver/node';
import { inlayHints } from '../../ide/inlay';
import { Feature } from './feature';

export const inlay: Feature = {
  capabilities: { inlayHintProvider: true },
  register({ connection, documents, analysisOf, guarded, settingsOf, onSettingsChanged }) {
    connection.languages.inlayHint.on(async (params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const { inlayHints: options } = await settingsOf(doc.uri);
      if (!options.ruleNumbers && !options.counters) return [];
      return guarded(doc, 'inlay hints', () => {
        const analysis = analysisOf(doc);
        const index = analysis.tree.index;
        const range = { start: index.offset(params.range.start), end: index.offset(params.range.end) };
        return inlayHints(analysis, range, options).map(
          (h): InlayHint => ({
            position: index.position(h.offset),
            label: h.label,
            kind: h.kind === 'counters' ? InlayHintKind.Type : InlayHintKind.Parameter,
            tooltip: { kind: MarkupKind.Markdown, value: h.tooltip },
            paddingLeft: h.paddingLeft,
            paddingRight: h.paddingRight,
          }),
        );
      }, []);
    });
    // VS Code asks again for hints only when told to: after a settings change, tell it.
    onSettingsChanged(() => void connection.languages.inlayHint.refresh().catch(() => undefined));
  },
};

// Code lenses on chain declarations over LSP; the logic is in ide/codelens.ts. The
// references lens runs the client command iptablesLint.showReferences, which turns its
// plain arguments into the objects VS Code's editor.action.showReferences needs.

import { CodeLens, Location } from 'vscode-languageserver/node';
import { Analysis } from '../../analysis';
import { chainLenses } from '../../ide/codelens';
import { toRange } from '../convert';
import { Feature } from './feature';

export const SHOW_REFERENCES_COMMAND = 'iptablesLint.showReferences';

function toCodeLenses(uri: string, analysis: Analysis): CodeLens[] {
  const index = analysis.tree.index;
  const lenses: CodeLens[] = [];
  for (const lens of chainLenses(analysis)) {
    const range = toRange(index, lens.span);
    // A lens with an empty command is drawn as plain text.
    lenses.push({ range, command: { title: lens.summary, command: '' } });
    if (!lens.references) continue;
    const locations: Location[] = lens.references.map((r) => ({ uri, range: toRange(index, r.span) }));
    const command = locations.length > 0 ? { title: lens.referencesTitle!, command: SHOW_REFERENCES_COMMAND, arguments: [uri, range.start, locations] } : { title: lens.referencesTitle!, command: '' };
    lenses.push({ range, command });
  }
  return lenses;
}

export const codeLens: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register({ connection, documents, analysisOf, guarded, settingsOf, onSettingsChanged }) {
    connection.onCodeLens(async (params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc || !(await settingsOf(doc.uri)).codeLens) return [];
      return guarded(doc, 'code lens', () => toCodeLenses(doc.uri, analysisOf(doc)), []);
    });
    onSettingsChanged(() => void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined));
  },
};

// Completion: what may be written at the cursor (ide/completion.ts decides; this file only
// converts to LSP). Options and targets that take a value re-open the list after insertion.

import { CompletionItem, CompletionItemKind, CompletionList, CompletionTriggerKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import { CompletionEntry, CompletionKind, completionsAt } from '../../ide/completion';
import { LineIndex, Span } from '../../syntax/text';
import { toRange } from '../convert';
import { Feature } from './feature';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  table: CompletionItemKind.Struct,
  chain: CompletionItemKind.Function,
  'builtin-chain': CompletionItemKind.Module,
  policy: CompletionItemKind.EnumMember,
  command: CompletionItemKind.Keyword,
  keyword: CompletionItemKind.Keyword,
  option: CompletionItemKind.Property,
  module: CompletionItemKind.Module,
  target: CompletionItemKind.Event,
  verdict: CompletionItemKind.Keyword,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

/** Characters that open the list by themselves: `-` of an option, `*` of a table, `:` of a chain, `,` in a list, space before a value. */
export const TRIGGER_CHARACTERS = ['-', '*', ':', ',', ' '];

function toItem(index: LineIndex, span: Span, entry: CompletionEntry): CompletionItem {
  return {
    label: entry.label,
    kind: KIND[entry.kind],
    ...(entry.detail ? { detail: entry.detail } : {}),
    ...(entry.documentation ? { documentation: { kind: MarkupKind.Markdown, value: entry.documentation } } : {}),
    textEdit: { range: toRange(index, span), newText: entry.insertText ?? entry.label },
    insertTextFormat: entry.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    ...(entry.filterText ? { filterText: entry.filterText } : {}),
    sortText: entry.sortText,
    ...(entry.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

export const completion: Feature = {
  capabilities: { completionProvider: { triggerCharacters: TRIGGER_CHARACTERS } },
  register({ connection, documents, analysisOf, guarded }) {
    connection.onCompletion((params): CompletionList | null => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      return guarded(
        doc,
        'completion',
        () => {
          const analysis = analysisOf(doc);
          const index = analysis.tree.index;
          const trigger = params.context?.triggerKind === CompletionTriggerKind.TriggerCharacter ? params.context.triggerCharacter : undefined;
          const list = completionsAt(analysis, index.offset(params.position), trigger);
          if (!list) return null;
          return { isIncomplete: false, items: list.items.map((e) => toItem(index, list.span, e)) };
        },
        null,
      );
    });
  },
};

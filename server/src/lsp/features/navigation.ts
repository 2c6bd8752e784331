// Chain navigation over LSP: definition, references, document highlight, rename (with
// prepareRename and iptables' own refusals as messages) and workspace symbols. The logic is
// in ide/navigation.ts; this file only converts.

import {
  DocumentHighlight,
  DocumentHighlightKind,
  ErrorCodes,
  Location,
  ResponseError,
  SymbolInformation,
  SymbolKind,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../../analysis';
import { ChainReference } from '../../ide/locate';
import { chainSymbols, definitionAt, HighlightKind, highlightsAt, matchesQuery, prepareRenameAt, referencesAt, renameAt } from '../../ide/navigation';
import { toRange } from '../convert';
import { Feature, FeatureContext } from './feature';
import { analyseFile, fileUri, findIptablesFiles, folderPath } from './workspace-files';

const HIGHLIGHT: Record<HighlightKind, DocumentHighlightKind> = {
  read: DocumentHighlightKind.Read,
  write: DocumentHighlightKind.Write,
  text: DocumentHighlightKind.Text,
};

function location(uri: string, analysis: Analysis, ref: ChainReference): Location {
  return { uri, range: toRange(analysis.tree.index, ref.span) };
}

export const navigation: Feature = {
  capabilities: {
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: { prepareProvider: true },
    workspaceSymbolProvider: true,
  },
  register(ctx) {
    const { connection, documents, analysisOf, guarded } = ctx;
    /** Runs `work` on the document's analysis and the offset of the request's position. */
    const at = <T>(params: { textDocument: { uri: string }; position: { line: number; character: number } }, what: string, work: (doc: TextDocument, a: Analysis, offset: number) => T, fallback: T): T => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return fallback;
      return guarded(doc, what, () => {
        const analysis = analysisOf(doc);
        return work(doc, analysis, analysis.tree.index.offset(params.position));
      }, fallback);
    };

    connection.onDefinition((params) =>
      at(params, 'definition', (doc, a, offset) => {
        const decl = definitionAt(a, offset);
        return decl ? location(doc.uri, a, decl) : null;
      }, null),
    );

    connection.onReferences((params) =>
      at(params, 'references', (doc, a, offset) => referencesAt(a, offset, params.context.includeDeclaration).map((r) => location(doc.uri, a, r)), [] as Location[]),
    );

    connection.onDocumentHighlight((params) =>
      at(params, 'document highlight', (_doc, a, offset) => highlightsAt(a, offset).map((h): DocumentHighlight => ({ range: toRange(a.tree.index, h.span), kind: HIGHLIGHT[h.kind] })), [] as DocumentHighlight[]),
    );

    connection.onPrepareRename((params) => {
      const check = at(params, 'prepare rename', (_doc, a, offset) => {
        const c = prepareRenameAt(a, offset);
        return c.ok ? { ok: true as const, range: toRange(a.tree.index, c.span), placeholder: c.name } : c;
      }, undefined);
      if (!check) return null;
      // A ResponseError's message is what VS Code shows to say why this cannot be renamed.
      return check.ok ? { range: check.range, placeholder: check.placeholder } : new ResponseError(ErrorCodes.InvalidRequest, check.message);
    });

    connection.onRenameRequest((params) => {
      const result = at(params, 'rename', (doc, a, offset) => {
        const r = renameAt(a, offset, params.newName);
        if (!r.ok) return r;
        const edits: TextEdit[] = r.edits.map((e) => ({ range: toRange(a.tree.index, e.span), newText: e.text }));
        return { ok: true as const, edit: { changes: { [doc.uri]: edits } } satisfies WorkspaceEdit };
      }, undefined);
      if (!result) return null;
      return result.ok ? result.edit : new ResponseError(ErrorCodes.InvalidRequest, result.message);
    });

    connection.onWorkspaceSymbol(async (params) => {
      const open = documents.all().flatMap((doc) => guarded(doc, 'workspace symbols', () => symbolsOf(doc.uri, analysisOf(doc), params.query), []));
      return [...open, ...(await workspaceFileSymbols(ctx, params.query))];
    });
  },
};

function symbolsOf(uri: string, analysis: Analysis, query: string): SymbolInformation[] {
  return chainSymbols(analysis)
    .filter((s) => matchesQuery(s.name, query))
    .map((s) => ({
      name: s.name,
      kind: s.builtin ? SymbolKind.Class : SymbolKind.Function,
      containerName: `*${s.table}${s.family === 'ipv6' ? ' (IPv6)' : ''}`,
      location: { uri, range: toRange(analysis.tree.index, s.span) },
    }));
}

/** Chains of the iptables files on disk in the workspace folders that are not open. */
async function workspaceFileSymbols(ctx: FeatureContext, query: string): Promise<SymbolInformation[]> {
  const folders = await ctx.connection.workspace.getWorkspaceFolders().catch(() => null);
  if (!folders) return [];
  const openPaths = new Set(ctx.documents.all().map((d) => folderPath(d.uri)));
  const out: SymbolInformation[] = [];
  for (const folder of folders) {
    const root = folderPath(folder.uri);
    if (!root) continue;
    for (const file of await findIptablesFiles(root)) {
      if (openPaths.has(file)) continue;
      const analysis = await analyseFile(file).catch(() => undefined);
      if (analysis) out.push(...symbolsOf(fileUri(file), analysis, query));
    }
  }
  return out;
}

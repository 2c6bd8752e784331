// Code actions over LSP; the logic is in ide/code-actions.ts and fixes/apply.ts.
// - quickfix: the fixes of the diagnostics the editor asks about, "disable for this line /
//   file" and "show documentation" (the client command iptablesLint.showDocumentation opens
//   the check's page shipped in the VSIX).
// - source.fixAll.iptables: the document after fix-all, for `editor.codeActionsOnSave` and
//   the command "Fix all auto-fixable problems". Computed only when asked for by kind (it
//   analyses the text again), in a worker thread (see main.ts fixAllOf).

import { CancellationToken, CodeAction, CodeActionKind, CodeActionParams, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionData, DiagnosticRef, minimalEdits, quickFixes } from '../../ide/code-actions';
import { isScriptTree } from '../../syntax/script';
import { LineIndex } from '../../syntax/text';
import { toRange } from '../convert';
import { Feature, FeatureContext } from './feature';

export const SHOW_DOCUMENTATION_COMMAND = 'iptablesLint.showDocumentation';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.iptables`;
export const FIX_ALL_TITLE = 'Fix all auto-fixable problems';

/** Whether the request's `only` filter lets actions of `kind` through (`undefined`: all kinds). */
function allows(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

function toCodeAction(uri: string, index: LineIndex, data: CodeActionData, diagnostics: readonly Diagnostic[]): CodeAction {
  const action: CodeAction = { title: data.title, kind: CodeActionKind.QuickFix, diagnostics: data.diagnostics.map((i) => diagnostics[i]) };
  if (data.edits) action.edit = { changes: { [uri]: data.edits.map((e): TextEdit => ({ range: toRange(index, e.span), newText: e.text })) } };
  if (data.preferred) action.isPreferred = true;
  if (data.command) action.command = { title: data.title, command: SHOW_DOCUMENTATION_COMMAND, arguments: [data.command.code] };
  return action;
}

function quickFixActions(ctx: FeatureContext, doc: TextDocument, params: CodeActionParams): CodeAction[] {
  const ours = params.context.diagnostics.filter((d) => d.source === 'iptables-lint' && typeof d.code === 'string');
  if (ours.length === 0) return [];
  return ctx.guarded(
    doc,
    'code actions',
    () => {
      const analysis = ctx.analysisOf(doc);
      const index = analysis.tree.index;
      const refs: DiagnosticRef[] = ours.map((d) => ({ code: String(d.code), span: { start: index.offset(d.range.start), end: index.offset(d.range.end) } }));
      const options = { script: isScriptTree(analysis.tree) };
      return quickFixes(analysis.tree.text, index, ctx.findingsOf(doc), refs, options).map((a) => toCodeAction(doc.uri, index, a, ours));
    },
    [],
  );
}

/** One action whose edit turns the document into its fixed text, or none when there is nothing to fix. */
async function fixAllAction(ctx: FeatureContext, doc: TextDocument, token: CancellationToken): Promise<CodeAction | undefined> {
  const version = doc.version;
  const text = doc.getText();
  const settings = await ctx.settingsOf(doc.uri);
  if (!settings.enable) return undefined;
  const fixed = await ctx.fixAllOf(doc, { unsafe: settings.fixAll.unsafe });
  // The document object follows the edits: a changed version means the result is stale.
  if (!fixed || token.isCancellationRequested || doc.version !== version) return undefined;
  if (!fixed.converged) {
    ctx.connection.console.error(`iptables-lint: fix-all did not settle for ${doc.uri} (fixes kept appearing); nothing was changed`);
    return undefined;
  }
  const edits = minimalEdits(text, fixed.text);
  if (edits.length === 0) return undefined;
  const index = new LineIndex(text);
  return {
    title: FIX_ALL_TITLE,
    kind: FIX_ALL_KIND,
    edit: { changes: { [doc.uri]: edits.map((e): TextEdit => ({ range: toRange(index, e.span), newText: e.text })) } },
  };
}

export const codeActions: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false } },
  register(ctx) {
    ctx.connection.onCodeAction(async (params, token): Promise<CodeAction[]> => {
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc) return [];
      const only = params.context.only;
      const actions = allows(only, CodeActionKind.QuickFix) ? quickFixActions(ctx, doc, params) : [];
      // Fix-all analyses the text again: only when asked for by kind (on save, Source Action...).
      if (only && allows(only, FIX_ALL_KIND)) {
        const all = await fixAllAction(ctx, doc, token).catch((e: Error) => {
          ctx.connection.console.error(`iptables-lint: fix-all failed for ${doc.uri}: ${e.stack ?? e.message}`);
          return undefined;
        });
        if (all) actions.push(all);
      }
      return actions;
    });
  },
};

// Client commands around fixes: "Fix all auto-fixable problems" (asks the server for its
// source.fixAll.iptables action and applies it; the same action runs on save with
// `"editor.codeActionsOnSave": {"source.fixAll.iptables": "explicit"}`), and the
// documentation page of a check, shipped in the VSIX as docs/rules/CODE.md and shown in
// VS Code's Markdown preview (the quick fix "Show documentation for IPTnnn" runs it).

import { CodeAction, commands, Disposable, ExtensionContext, FileType, QuickPickItem, Range, Uri, window, workspace } from 'vscode';

/** The code action kind of fix-all (server/src/lsp/features/code-actions.ts). */
export const FIX_ALL_KIND = 'source.fixAll.iptables';

export function registerFixCommands(context: ExtensionContext): Disposable {
  return Disposable.from(
    commands.registerCommand('iptablesLint.fixAll', fixAll),
    commands.registerCommand('iptablesLint.showDocumentation', (code?: unknown) => showDocumentation(context, code)),
  );
}

async function fixAll(): Promise<void> {
  const editor = window.activeTextEditor;
  if (!editor || !['iptables', 'shellscript'].includes(editor.document.languageId)) {
    void window.showInformationMessage('iptables-lint: open an iptables rules file or firewall script to fix it.');
    return;
  }
  const document = editor.document;
  const version = document.version;
  const whole = new Range(0, 0, document.lineCount, 0);
  const actions = (await commands.executeCommand<CodeAction[]>('vscode.executeCodeActionProvider', document.uri, whole, FIX_ALL_KIND)) ?? [];
  const action = actions.find((a) => a.kind?.value === FIX_ALL_KIND && a.edit);
  if (document.version !== version) return; // edited meanwhile: the edit would no longer fit
  if (!action?.edit) {
    void window.showInformationMessage('iptables-lint: nothing in this file can be fixed automatically.');
    return;
  }
  await workspace.applyEdit(action.edit);
}

async function showDocumentation(context: ExtensionContext, code: unknown): Promise<void> {
  const dir = Uri.joinPath(context.extensionUri, 'docs', 'rules');
  const chosen = typeof code === 'string' ? code.toUpperCase() : await pickCheck(dir);
  if (!chosen) return;
  const page = Uri.joinPath(dir, `${chosen}.md`);
  if (!/^IPT\d{3}$/.test(chosen) || !(await exists(page))) {
    void window.showWarningMessage(`iptables-lint: there is no documentation page for ${chosen}.`);
    return;
  }
  await commands.executeCommand('markdown.showPreview', page);
}

async function exists(uri: Uri): Promise<boolean> {
  try {
    await workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** From the command palette: every check, by code, name and summary (the pages' first lines). */
async function pickCheck(dir: Uri): Promise<string | undefined> {
  const entries = await workspace.fs.readDirectory(dir);
  const pages = entries.filter(([name, type]) => type === FileType.File && /^IPT\d{3}\.md$/.test(name)).map(([name]) => name).sort();
  const items: QuickPickItem[] = await Promise.all(
    pages.map(async (name) => {
      const lines = Buffer.from(await workspace.fs.readFile(Uri.joinPath(dir, name))).toString('utf8').split('\n');
      const [code, checkName = ''] = lines[0].replace(/^#\s*/, '').split(/\s+/);
      return { label: code, description: checkName, detail: lines[2]?.trim() };
    }),
  );
  const picked = await window.showQuickPick(items, { placeHolder: 'Documentation of which iptables-lint check?', matchOnDescription: true, matchOnDetail: true });
  return picked?.label;
}

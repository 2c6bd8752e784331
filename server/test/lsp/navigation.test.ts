// Navigation, structure, inlay hints, code lens and formatting, driven over JSON-RPC against
// the bundled server exactly as VS Code drives them.

import * as assert from 'assert';
import type { CodeLens, FoldingRange, InlayHint, Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';

const TEXT = [
  '*filter', // 0
  ':INPUT DROP [0:0]', // 1
  ':SSH - [0:0]', // 2
  '-A INPUT -i lo -j ACCEPT', // 3
  '-A INPUT -p tcp --dport 22 -j SSH', // 4
  '-A SSH -s 192.0.2.0/24 -j ACCEPT', // 5
  'COMMIT', // 6
  '',
].join('\n');

const URI = 'file:///tmp/navigation/rules.v4';
const doc = { textDocument: { uri: URI } };

function textAt(range: Range): string {
  const lines = TEXT.split('\n');
  assert.strictEqual(range.start.line, range.end.line);
  return lines[range.start.line].slice(range.start.character, range.end.character);
}

describe('language server: navigation and friends over JSON-RPC', function () {
  this.timeout(20000);
  let client: LspClient;

  async function start(settings?: Record<string, unknown>): Promise<Record<string, unknown>> {
    client = new LspClient({ settings });
    const init = (await client.initialize()) as { capabilities: Record<string, unknown> };
    const opened = client.waitForDiagnostics(URI);
    await client.open(URI, TEXT);
    await opened;
    return init.capabilities;
  }

  afterEach(async () => {
    await client?.stop();
  });

  it('goes to the definition of the chain after -j', async function () {
    const capabilities = await start();
    assert.strictEqual(capabilities.definitionProvider, true);
    const result = (await client.connection.sendRequest('textDocument/definition', { ...doc, position: { line: 4, character: 31 } })) as Location;
    assert.strictEqual(result.uri, URI);
    assert.deepStrictEqual(result.range, { start: { line: 2, character: 1 }, end: { line: 2, character: 4 } });
  });

  it('renames a chain everywhere, after prepareRename offered it', async function () {
    await start();
    const position = { line: 5, character: 4 };
    const prepared = (await client.connection.sendRequest('textDocument/prepareRename', { ...doc, position })) as { range: Range; placeholder: string };
    assert.strictEqual(prepared.placeholder, 'SSH');
    const edit = (await client.connection.sendRequest('textDocument/rename', { ...doc, position, newName: 'SSH_IN' })) as WorkspaceEdit;
    const edits = edit.changes![URI];
    assert.deepStrictEqual(
      edits.map((e: TextEdit) => `${e.range.start.line}:${e.range.start.character} ${textAt(e.range)}->${e.newText}`),
      ['2:1 SSH->SSH_IN', '4:30 SSH->SSH_IN', '5:3 SSH->SSH_IN'],
    );
  });

  it('answers a refused rename with the reason as the error message', async function () {
    await start();
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', { ...doc, position: { line: 5, character: 4 }, newName: 'INPUT' }),
      (e: Error) => e.message === 'INPUT is a built-in chain of the filter table',
    );
    await assert.rejects(
      client.connection.sendRequest('textDocument/prepareRename', { ...doc, position: { line: 3, character: 4 } }),
      (e: Error) => /INPUT is a built-in chain/.test(e.message),
    );
  });

  it('gives references, folding ranges, inlay hints, code lenses and formatting edits', async function () {
    await start();
    const refs = (await client.connection.sendRequest('textDocument/references', { ...doc, position: { line: 2, character: 2 }, context: { includeDeclaration: false } })) as Location[];
    assert.deepStrictEqual(refs.map((r) => r.range.start.line), [4, 5]);
    const folds = (await client.connection.sendRequest('textDocument/foldingRange', doc)) as FoldingRange[];
    assert.deepStrictEqual(folds.map((f) => `${f.startLine}-${f.endLine}`), ['0-6', '3-4']);
    const hints = (await client.connection.sendRequest('textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } } })) as InlayHint[];
    assert.deepStrictEqual(hints.map((h) => `${h.position.line}: ${h.label}`), ['3: #1', '4: #2', '5: #1']);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', doc)) as CodeLens[];
    assert.deepStrictEqual(lenses.map((l) => l.command!.title), ['policy DROP · 2 rules', 'user chain · 1 rule', '1 rule jumps here']);
    assert.strictEqual(lenses[2].command!.command, 'iptablesLint.showReferences');
    const edits = (await client.connection.sendRequest('textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    assert.deepStrictEqual(edits.map((e) => e.newText), ['-A INPUT -p tcp -m tcp --dport 22 -j SSH']);
  });

  it('turns inlay hints and code lenses off through the settings', async function () {
    await start({ inlayHints: { ruleNumbers: false, counters: false }, codeLens: false });
    const hints = await client.connection.sendRequest('textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } } });
    assert.deepStrictEqual(hints, []);
    assert.deepStrictEqual(await client.connection.sendRequest('textDocument/codeLens', doc), []);
  });
});

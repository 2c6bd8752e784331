// Quick fixes and fix-all over JSON-RPC against the bundled server, as VS Code asks for them:
// the lightbulb sends the diagnostics under the cursor; codeActionsOnSave and the command
// "Fix all auto-fixable problems" ask for the kind source.fixAll.iptables.

import * as assert from 'assert';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lsp-client';

const TEXT = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  '# iptables-lint disable-next-line=IPT101',
  '-A INPUT -i lo -j ACCEPT',
  '-A INPUT -p tcp --dport 23 -j DROPP',
  'COMMIT',
  '',
].join('\n');

const FIXED = TEXT.replace('# iptables-lint disable-next-line=IPT101\n', '').replace('DROPP', 'DROP');
const URI = 'file:///tmp/code-actions/rules.v4';
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };

function apply(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(URI, 'iptables', 1, text), [...edits]);
}

describe('language server: code actions over JSON-RPC', function () {
  this.timeout(30000);
  let client: LspClient;

  /** Opens TEXT and waits for the diagnostics of the full analysis (the unused suppression is one). */
  async function start(settings?: Record<string, unknown>): Promise<{ capabilities: Record<string, unknown>; diagnostics: Diagnostic[] }> {
    client = new LspClient({ settings });
    const init = (await client.initialize()) as { capabilities: Record<string, unknown> };
    const full = client.waitForDiagnostics(URI, (p) => p.diagnostics.some((d) => d.code === 'IPT390'));
    await client.open(URI, TEXT);
    return { capabilities: init.capabilities, diagnostics: (await full).diagnostics };
  }

  function codeActions(diagnostics: Diagnostic[], only?: string[], range = WHOLE): Promise<CodeAction[]> {
    return client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  afterEach(async () => {
    await client?.stop();
  });

  it('declares quick fixes and source.fixAll.iptables', async function () {
    const { capabilities } = await start();
    assert.deepStrictEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.iptables'], resolveProvider: false });
  });

  it('answers the lightbulb with the fix, the suppressions and the documentation of the diagnostic', async function () {
    const { diagnostics } = await start();
    const typo = diagnostics.find((d) => d.code === 'IPT104')!;
    const actions = await codeActions([typo], undefined, typo.range);
    assert.deepStrictEqual(
      actions.map((a) => [a.title, a.kind, !!a.isPreferred]),
      [
        [actions[0].title, 'quickfix', true],
        ['Disable IPT104 for this line', 'quickfix', false],
        ['Disable IPT104 for this file', 'quickfix', false],
        ['Show documentation for IPT104', 'quickfix', false],
      ],
    );
    for (const a of actions) assert.deepStrictEqual(a.diagnostics, [typo]);
    assert.strictEqual(apply(TEXT, actions[0].edit!.changes![URI]), TEXT.replace('DROPP', 'DROP'));
    assert.ok(apply(TEXT, actions[1].edit!.changes![URI]).includes('\n# iptables-lint disable-next-line=IPT104\n-A INPUT -p tcp --dport 23 -j DROPP\n'));
    assert.ok(apply(TEXT, actions[2].edit!.changes![URI]).startsWith('*filter\n# iptables-lint disable=IPT104\n'));
    assert.deepStrictEqual(actions[3].command, { title: 'Show documentation for IPT104', command: 'iptablesLint.showDocumentation', arguments: ['IPT104'] });
    assert.strictEqual(actions[3].edit, undefined);
    // The lightbulb does not pay for fix-all, which analyses the text again.
    assert.ok(!actions.some((a) => a.kind === 'source.fixAll.iptables'));
  });

  it('fixes all on request by kind, in a few edits; asking again after applying them gives nothing', async function () {
    const { diagnostics } = await start();
    const actions = await codeActions(diagnostics, ['source.fixAll.iptables']);
    assert.strictEqual(actions.length, 1, JSON.stringify(actions));
    const [all] = actions;
    assert.strictEqual(all.title, 'Fix all auto-fixable problems');
    assert.strictEqual(all.kind, 'source.fixAll.iptables');
    const edits = all.edit!.changes![URI];
    assert.strictEqual(edits.length, 2, JSON.stringify(edits));
    assert.strictEqual(apply(TEXT, edits), FIXED);
    // `"source.fixAll": "explicit"` in codeActionsOnSave asks for the parent kind.
    assert.deepStrictEqual((await codeActions([], ['source.fixAll'])).map((a) => a.kind), ['source.fixAll.iptables']);

    const clean = client.waitForDiagnostics(URI, (p) => p.version === 2 && p.diagnostics.length === 0);
    await client.change(URI, FIXED, 2);
    await clean;
    assert.deepStrictEqual(await codeActions([], ['source.fixAll.iptables']), []);
  });

  it('applies unsafe fixes (a move that changes which packets are accepted) only with iptablesLint.fixAll.unsafe', async function () {
    // IPT303: the reply rule comes after a UDP drop; its only fix moves it up, which is unsafe.
    const late = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', '-A INPUT -i lo -j ACCEPT', '-A INPUT -p udp -j DROP', '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', 'COMMIT', ''].join('\n');
    const replyFirst = (text: string) => text.indexOf('RELATED,ESTABLISHED -j ACCEPT') < text.indexOf('-p udp -j DROP');
    for (const unsafe of [false, true]) {
      client = new LspClient({ settings: { fixAll: { unsafe } } });
      await client.initialize();
      const full = client.waitForDiagnostics(URI, (p) => p.diagnostics.some((d) => d.code === 'IPT303'));
      await client.open(URI, late);
      await full;
      const actions = await codeActions([], ['source.fixAll.iptables']);
      const fixed = actions.length ? apply(late, actions[0].edit!.changes![URI]) : late;
      assert.strictEqual(replyFirst(fixed), unsafe, `unsafe: ${unsafe}\n${fixed}`);
      await client.stop();
    }
  });

  it('gives no fix-all action when iptables-lint is disabled', async function () {
    client = new LspClient({ settings: { enable: false } });
    await client.initialize();
    await client.open(URI, TEXT);
    assert.deepStrictEqual(await codeActions([], ['source.fixAll.iptables']), []);
  });
});

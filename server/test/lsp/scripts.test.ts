// Shell scripts in the language server: VS Code sends every `shellscript` document; the
// server answers only for those that run iptables, unless iptablesLint.shellScripts is off.

import * as assert from 'assert';
import type { DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';

const FIREWALL = [
  '#!/bin/sh',
  'IPT=/sbin/iptables',
  '$IPT -F',
  '$IPT -P INPUT DROP',
  '$IPT -A INPUT -i lo -j ACCEPT',
  '$IPT -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  'for port in 22 443; do',
  '  $IPT -A INPUT -p tcp --dport $port -j ACCEPT',
  'done',
  '$IPT -A INPUT -p tcp --dport 8080 -j DROPP',
  '',
].join('\n');

const BACKUP = ['#!/bin/sh', 'set -e', 'tar czf /backup/home.tgz /home', 'echo "done: $(date)"', ''].join('\n');

describe('language server: shell scripts', function () {
  this.timeout(20000);
  let client: LspClient;

  afterEach(async () => {
    await client?.stop();
  });

  it('lints a script that runs iptables, hovers its words and outlines its tables', async function () {
    client = new LspClient();
    await client.initialize();
    const uri = 'file:///etc/firewall.sh';
    const published = client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'IPT104'));
    await client.open(uri, FIREWALL, 1, 'shellscript');
    const d = (await published).diagnostics.find((x) => x.code === 'IPT104')!;
    assert.deepStrictEqual(d.range, { start: { line: 9, character: 37 }, end: { line: 9, character: 42 } });
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 20 } })) as Hover;
    assert.match(JSON.stringify(hover.contents), /conntrack/);
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepStrictEqual(symbols.map((s) => s.name), ['filter']);
    const input = symbols[0].children!.find((c) => c.name === 'INPUT')!;
    assert.strictEqual(input.detail, 'policy DROP');
    assert.deepStrictEqual(input.children!.map((r) => r.name), ['1: -i lo -j ACCEPT', '2: -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '3: -p tcp --dport 22 -j ACCEPT', '4: -p tcp --dport 443 -j ACCEPT', '5: -p tcp --dport 8080 -j DROPP']);
    const formatting = await client.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(!formatting || (formatting as unknown[]).length === 0, 'scripts are not reformatted');
  });

  it('leaves other shell scripts alone: no diagnostics, no hover, no outline, no completion', async function () {
    client = new LspClient();
    await client.initialize();
    const uri = 'file:///usr/local/bin/backup.sh';
    const published = client.waitForDiagnostics(uri);
    await client.open(uri, BACKUP, 1, 'shellscript');
    assert.deepStrictEqual((await published).diagnostics, []);
    const position = { line: 2, character: 5 };
    assert.strictEqual(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }), null);
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as unknown[];
    assert.deepStrictEqual(symbols ?? [], []);
    const completion = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as { items?: unknown[] } | unknown[] | null;
    const items = Array.isArray(completion) ? completion : (completion?.items ?? []);
    assert.deepStrictEqual(items, []);
  });

  it('with iptablesLint.shellScripts = false, answers nothing for scripts and still lints rules files', async function () {
    client = new LspClient({ settings: { shellScripts: false } });
    await client.initialize();
    const uri = 'file:///etc/firewall.sh';
    const published = client.waitForDiagnostics(uri);
    await client.open(uri, FIREWALL, 1, 'shellscript');
    assert.deepStrictEqual((await published).diagnostics, []);
    assert.strictEqual(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 20 } }), null);
    const rules = 'file:///etc/iptables/rules.v4';
    const rulesPublished = client.waitForDiagnostics(rules);
    await client.open(rules, '*filter\n-A INPUT -j DROPP\nCOMMIT\n');
    assert.strictEqual((await rulesPublished).diagnostics[0].code, 'IPT104');
  });
});

// The VS Code side: starts the bundled language server and forwards settings. All the
// analysis happens in the server.

import * as path from 'path';
import { commands, ExtensionContext, window } from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = window.createOutputChannel('iptables-lint');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'iptables' }],
    synchronize: { configurationSection: 'iptablesLint' },
    outputChannel,
  };
  client = new LanguageClient('iptablesLint', 'iptables-lint', serverOptions, clientOptions);
  context.subscriptions.push(
    commands.registerCommand('iptablesLint.showOutput', () => outputChannel.show(true)),
    commands.registerCommand('iptablesLint.restart', async () => {
      await client?.restart();
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

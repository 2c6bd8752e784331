// The VS Code side: starts the bundled language server and forwards settings. All the
// analysis happens in the server.

import * as path from 'path';
import { commands, ExtensionContext, window } from 'vscode';
import { LanguageClient, LanguageClientOptions, Location as LspLocation, Position as LspPosition, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerFixCommands } from './fixes';
import { createStatusItem } from './status';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = window.createOutputChannel('iptables-lint');
  const clientOptions: LanguageClientOptions = {
    // Shell scripts too: the server answers only for those that run iptables (iptablesLint.shellScripts).
    documentSelector: [{ language: 'iptables' }, { language: 'shellscript' }],
    synchronize: { configurationSection: 'iptablesLint' },
    outputChannel,
  };
  client = new LanguageClient('iptablesLint', 'iptables-lint', serverOptions, clientOptions);
  context.subscriptions.push(
    commands.registerCommand('iptablesLint.showOutput', () => outputChannel.show(true)),
    commands.registerCommand('iptablesLint.restart', async () => {
      await client?.restart();
    }),
    // The server's code lens sends plain JSON; VS Code's command wants a Uri, a Position and Locations.
    commands.registerCommand('iptablesLint.showReferences', (uri: string, position: LspPosition, locations: LspLocation[]) => {
      const p2c = client!.protocol2CodeConverter;
      return commands.executeCommand('editor.action.showReferences', p2c.asUri(uri), p2c.asPosition(position), locations.map((l) => p2c.asLocation(l)));
    }),
  );
  context.subscriptions.push(registerFixCommands(context));
  context.subscriptions.push(createStatusItem(client));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

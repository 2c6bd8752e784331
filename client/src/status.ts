// The language status item of iptables documents: how many rules the active document holds
// and when it was last analysed, from the server's `iptablesLint/status` notification.
// Clicking it shows the server's output channel.

import { Disposable, LanguageStatusItem, LanguageStatusSeverity, languages, window, workspace } from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';

/** What the server sends (server/src/lsp/features/status.ts). */
interface StatusParams {
  readonly uri: string;
  readonly version: number;
  readonly rules: number;
  readonly tables: number;
  readonly userChains: number;
  readonly family: 'ipv4' | 'ipv6' | 'both';
  readonly errors: number;
  readonly warnings: number;
  readonly analysedAt: string;
}

const FAMILY = { ipv4: 'IPv4', ipv6: 'IPv6', both: 'IPv4 and IPv6' } as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function createStatusItem(client: LanguageClient): Disposable {
  const item: LanguageStatusItem = languages.createLanguageStatusItem('iptablesLint.status', { language: 'iptables' });
  item.name = 'iptables-lint';
  item.command = { title: 'Show Output', command: 'iptablesLint.showOutput' };
  const byUri = new Map<string, StatusParams>();

  const show = () => {
    const uri = window.activeTextEditor?.document.uri.toString();
    const status = uri ? byUri.get(uri) : undefined;
    if (!status) {
      item.text = 'iptables-lint';
      item.detail = 'waiting for the first analysis';
      item.busy = true;
      item.severity = LanguageStatusSeverity.Information;
      return;
    }
    item.busy = false;
    item.text = `$(checklist) ${plural(status.rules, 'rule')}`;
    const problems = status.errors ? `${plural(status.errors, 'error')} that stop iptables-restore · ` : '';
    item.detail = `${problems}${plural(status.tables, 'table')} (${FAMILY[status.family]}) · analysed at ${new Date(status.analysedAt).toLocaleTimeString()}`;
    item.severity = status.errors ? LanguageStatusSeverity.Warning : LanguageStatusSeverity.Information;
  };

  show();
  return Disposable.from(
    item,
    client.onNotification('iptablesLint/status', (params: StatusParams) => {
      byUri.set(params.uri, params);
      show();
    }),
    window.onDidChangeActiveTextEditor(show),
    workspace.onDidCloseTextDocument((doc) => byUri.delete(doc.uri.toString())),
  );
}

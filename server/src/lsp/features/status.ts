// Sends the client a summary of each open document (rules, tables, problems) and when it was
// analysed, as the `iptablesLint/status` notification; the client shows it in a language
// status item. Sent after the document opens and after each change has settled.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentStatus, statusOf } from '../../ide/status';
import { Feature } from './feature';

export const STATUS_NOTIFICATION = 'iptablesLint/status';

/** The notification's parameters: plain JSON. */
export interface StatusParams extends DocumentStatus {
  readonly uri: string;
  readonly version: number;
  /** When the analysis of this version was reported, as an ISO 8601 time. */
  readonly analysedAt: string;
}

/** Waits this long after the last change, as the diagnostics do, so typing does not flood the client. */
const SETTLE_MS = 200;

export const status: Feature = {
  capabilities: {},
  register({ connection, documents, analysisOf, guarded }) {
    const pending = new Map<string, NodeJS.Timeout>();
    const send = (doc: TextDocument) => {
      pending.delete(doc.uri);
      if (documents.get(doc.uri)?.version !== doc.version) return;
      const params = guarded<StatusParams | undefined>(doc, 'status', () => ({ uri: doc.uri, version: doc.version, analysedAt: new Date().toISOString(), ...statusOf(analysisOf(doc)) }), undefined);
      if (params) void connection.sendNotification(STATUS_NOTIFICATION, params);
    };
    const schedule = (doc: TextDocument, delay: number) => {
      clearTimeout(pending.get(doc.uri));
      pending.set(doc.uri, setTimeout(() => send(doc), delay));
    };
    documents.onDidChangeContent((e) => schedule(e.document, SETTLE_MS));
    documents.onDidClose((e) => {
      clearTimeout(pending.get(e.document.uri));
      pending.delete(e.document.uri);
    });
  },
};

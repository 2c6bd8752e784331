// How a language feature plugs into the server: each feature file exports one Feature that
// declares its capabilities and registers its handlers. main.ts only lists them
// (features/index.ts), so features can be added without touching the server's core.

import { Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis, Finding } from '../../analysis';
import type { FixOptions } from '../../fixes/apply';
import type { FixAllSummary } from '../semantic-worker';
import { Settings } from '../settings';

export interface FeatureContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  /** The syntax-level analysis of the document's current version (cached). */
  analysisOf(doc: TextDocument): Analysis;
  /**
   * Every finding of the document's current version, with its fixes: the semantic ones
   * once the worker has finished, the syntax ones until then.
   */
  findingsOf(doc: TextDocument): readonly Finding[];
  /**
   * Fix-all (fixes/apply.ts) over the document's current text with the document's
   * configuration, in a worker thread; undefined when a newer request for the document
   * superseded it or the work failed.
   */
  fixAllOf(doc: TextDocument, options: FixOptions): Promise<FixAllSummary | undefined>;
  /** Runs `work`; an internal error is logged and shown once, and `fallback` returned. */
  guarded<T>(doc: TextDocument, what: string, work: () => T, fallback: T): T;
  /** The `iptablesLint` settings for a document (cached until the configuration changes). */
  settingsOf(uri: string): Promise<Settings>;
  /** Calls `listener` after the client's configuration changed (e.g. to refresh inlay hints). */
  onSettingsChanged(listener: () => void): void;
}

export interface Feature {
  /** Capabilities to merge into the server's answer to `initialize`. */
  readonly capabilities: ServerCapabilities;
  register(ctx: FeatureContext): void;
}

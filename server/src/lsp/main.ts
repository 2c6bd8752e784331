// The language server: keeps the open documents, analyses them when they change (or when
// they are saved, per `iptablesLint.run`) and publishes diagnostics; the other language
// features are in features/ and registered from features/index.ts. Only this folder knows LSP.

import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  InitializeResult,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyse, Analysis, familyFromPath, Finding } from '../analysis';
import { DEFAULT_CONFIG, LintConfig } from '../config/config';
import { CONFIG_FILE, ProjectConfigs } from './project-config';
import { toDiagnostic } from './convert';
import { SemanticRunner } from './semantic-runner';
import { FEATURES } from './features';
import { Settings, SettingsCache } from './settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new SettingsCache(connection);
const semantics = new SemanticRunner((message) => connection.console.error(message));
const projectConfigs = new ProjectConfigs(connection);

/** Analyses are cached per document version and configuration; requests reuse them. */
const cache = new Map<string, { version: number; config: LintConfig; analysis: Analysis }>();
/** The configuration each open document was last linted with. */
const configs = new Map<string, LintConfig>();
/** All findings (syntax and semantic) of the last completed analysis, per document. */
const published = new Map<string, { version: number; findings: readonly Finding[] }>();
const pending = new Map<string, NodeJS.Timeout>();
const reportedFailures = new Set<string>();
const DEBOUNCE_MS = 150;

function pathOf(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/** The syntax-level analysis (tree, model, syntax and load findings): fast, on this thread. */
function analysisOf(doc: TextDocument): Analysis {
  const config = configs.get(doc.uri) ?? DEFAULT_CONFIG;
  const hit = cache.get(doc.uri);
  if (hit && hit.version === doc.version && hit.config === config) return hit.analysis;
  const analysis = analyse(doc.getText(), { family: familyFromPath(pathOf(doc.uri)), semantics: false, config });
  cache.set(doc.uri, { version: doc.version, config, analysis });
  return analysis;
}

/**
 * Every finding of the document's current version: those of the semantic analysis once it
 * has finished, the syntax findings until then.
 */
function findingsOf(doc: TextDocument): readonly Finding[] {
  const full = published.get(doc.uri);
  return full && full.version === doc.version ? full.findings : analysisOf(doc).findings;
}

/** Runs `work` for one document; an internal error is logged and shown once, never fatal. */
function guarded<T>(doc: TextDocument, what: string, work: () => T, fallback: T): T {
  try {
    return work();
  } catch (e) {
    const err = e as Error;
    connection.console.error(`iptables-lint: ${what} failed for ${doc.uri} (version ${doc.version}): ${err.stack ?? err.message}`);
    if (!reportedFailures.has(doc.uri)) {
      reportedFailures.add(doc.uri);
      void connection.window.showErrorMessage(`iptables-lint hit an internal error on ${pathOf(doc.uri).split('/').pop()}; details are in the iptables-lint output channel.`);
    }
    return fallback;
  }
}

async function validate(doc: TextDocument): Promise<void> {
  // The document object is updated in place by later edits: take the version and text now.
  const version = doc.version;
  const text = doc.getText();
  const s: Settings = await settings.get(doc.uri);
  if (!s.enable) {
    connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return;
  }
  const config = await projectConfigs.configFor(doc.uri, s.mustAllow);
  configs.set(doc.uri, config);
  const isCurrent = () => documents.get(doc.uri)?.version === version;
  if (!isCurrent()) return; // a newer version is on its way
  // Syntax and load problems first, at once; the semantic findings follow from the worker.
  const analysis = guarded(doc, 'analysis', () => analysisOf(doc), undefined);
  if (!analysis) return;
  const syntax = analysis.findings.map((f) => toDiagnostic(analysis.tree.index, doc.uri, f));
  connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: syntax });
  const findings = await semantics.analyse(doc.uri, version, text, familyFromPath(pathOf(doc.uri)), config);
  if (!findings || !isCurrent()) return; // superseded by a newer version
  const all = guarded(doc, 'semantic diagnostics', () => findings.map((f) => toDiagnostic(analysis.tree.index, doc.uri, f)), undefined);
  if (!all) return;
  published.set(doc.uri, { version, findings });
  connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: all });
}

function schedule(doc: TextDocument, delay: number): void {
  clearTimeout(pending.get(doc.uri));
  pending.set(
    doc.uri,
    setTimeout(() => {
      pending.delete(doc.uri);
      void validate(doc);
    }, delay),
  );
}

connection.onInitialize((params): InitializeResult => {
  settings.configurationSupported = !!params.capabilities.workspace?.configuration;
  projectConfigs.setWorkspaceRoots([...(params.workspaceFolders ?? []).map((f) => f.uri), ...(params.rootUri ? [params.rootUri] : [])]);
  return {
    capabilities: Object.assign(
      { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } } },
      ...FEATURES.map((f) => f.capabilities),
    ),
    serverInfo: { name: 'iptables-lint' },
  };
});

connection.onInitialized(() => {
  if (settings.configurationSupported) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'iptablesLint' });
  // Editors that cannot watch files for us still see a changed configuration on the next lint of a saved document.
  void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE}` }] }).catch(() => undefined);
});

connection.onDidChangeWatchedFiles(() => {
  projectConfigs.clear();
  for (const doc of documents.all()) schedule(doc, 0);
});

/** Features that show settings-dependent results (inlay hints, code lens) refresh on change. */
const settingsListeners: Array<() => void> = [];

connection.onDidChangeConfiguration(() => {
  settings.clear();
  for (const listener of settingsListeners) listener();
  for (const doc of documents.all()) schedule(doc, 0);
});

documents.onDidOpen((e) => schedule(e.document, 0));
documents.onDidChangeContent(async (e) => {
  const s = await settings.get(e.document.uri);
  if (s.run === 'onType') schedule(e.document, DEBOUNCE_MS);
});
documents.onDidSave((e) => schedule(e.document, 0));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  cache.delete(e.document.uri);
  configs.delete(e.document.uri);
  published.delete(e.document.uri);
  settings.forget(e.document.uri);
  semantics.drop(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

const settingsOf = (uri: string) => settings.get(uri);
const onSettingsChanged = (listener: () => void) => void settingsListeners.push(listener);
for (const feature of FEATURES) feature.register({ connection, documents, analysisOf, findingsOf, guarded, settingsOf, onSettingsChanged });

connection.onShutdown(() => semantics.dispose());

documents.listen(connection);
connection.listen();



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
import { analyse, Analysis, familyFromPath, FileKind, Finding } from '../analysis';
import { isScriptTree } from '../syntax/script';
import { DEFAULT_CONFIG, LintConfig } from '../config/config';
import { CONFIG_FILE, ProjectConfigs } from './project-config';
import { toDiagnostic } from './convert';
import { SemanticRunner } from './semantic-runner';
import type { FixAllSummary } from './semantic-worker';
import type { FixOptions } from '../fixes/apply';
import { FEATURES } from './features';
import { Settings, SettingsCache } from './settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new SettingsCache(connection);
const semantics = new SemanticRunner((message) => connection.console.error(message));
/** Fix-all in a worker of its own, so that it neither waits for nor stops the diagnostics. */
const fixer = new SemanticRunner((message) => connection.console.error(message));
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

/** Shell scripts come as VS Code's `shellscript` (other editors: `sh`, `bash`); everything else is a rules file. */
const SHELL_LANGUAGES = new Set(['shellscript', 'sh', 'bash', 'zsh', 'ksh']);
function kindOf(doc: TextDocument): FileKind {
  return SHELL_LANGUAGES.has(doc.languageId) ? 'shell' : 'dump';
}

/** `iptablesLint.shellScripts` per script, as last read (scripts are served until it says otherwise). */
const shellScripts = new Map<string, boolean>();

/**
 * Whether the server answers for a document at all: rules files always; shell scripts only
 * when they run iptables and the setting allows it (other scripts get no diagnostics, hovers
 * or anything else from us).
 */
function served(doc: TextDocument): boolean {
  if (kindOf(doc) !== 'shell') return true;
  if (shellScripts.get(doc.uri) === false) return false;
  const tree = analysisOf(doc).tree;
  return isScriptTree(tree) && tree.script.commands > 0;
}

/** The documents as the features see them: only those the server answers for. */
const servedDocuments: TextDocuments<TextDocument> = new Proxy(documents, {
  get(target, prop) {
    if (prop === 'get') return (uri: string) => {
      const doc = target.get(uri);
      return doc && served(doc) ? doc : undefined;
    };
    if (prop === 'all') return () => target.all().filter(served);
    const value = Reflect.get(target, prop, target) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  },
});

/** The syntax-level analysis (tree, model, syntax and load findings): fast, on this thread. */
function analysisOf(doc: TextDocument): Analysis {
  const config = configs.get(doc.uri) ?? DEFAULT_CONFIG;
  const hit = cache.get(doc.uri);
  if (hit && hit.version === doc.version && hit.config === config) return hit.analysis;
  const analysis = analyse(doc.getText(), { family: familyFromPath(pathOf(doc.uri)), semantics: false, config, kind: kindOf(doc) });
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

/** Fix-all over the document's current text; the first round reuses the findings already published for it. */
function fixAllOf(doc: TextDocument, options: FixOptions): Promise<FixAllSummary | undefined> {
  const full = published.get(doc.uri);
  const known = full && full.version === doc.version ? full.findings.filter((f) => f.fixes.length > 0) : undefined;
  const config = configs.get(doc.uri) ?? DEFAULT_CONFIG;
  return fixer.fixAll(doc.uri, doc.version, doc.getText(), familyFromPath(pathOf(doc.uri)), config, options, known, kindOf(doc));
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
  shellScripts.set(doc.uri, s.shellScripts);
  if (!s.enable || !guarded(doc, 'analysis', () => served(doc), false)) {
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
  const findings = await semantics.analyse(doc.uri, version, text, familyFromPath(pathOf(doc.uri)), config, kindOf(doc));
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
  shellScripts.delete(e.document.uri);
  settings.forget(e.document.uri);
  semantics.drop(e.document.uri);
  fixer.drop(e.document.uri);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

const settingsOf = (uri: string) => settings.get(uri);
const onSettingsChanged = (listener: () => void) => void settingsListeners.push(listener);
for (const feature of FEATURES) feature.register({ connection, documents: servedDocuments, analysisOf, findingsOf, fixAllOf, guarded, settingsOf, onSettingsChanged });

connection.onShutdown(() => {
  semantics.dispose();
  fixer.dispose();
});

documents.listen(connection);
connection.listen();



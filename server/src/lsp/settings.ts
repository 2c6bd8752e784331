// Per-document settings, pulled from the client with workspace/configuration and cached
// until the configuration changes.

import { Connection } from 'vscode-languageserver';

export interface Settings {
  readonly enable: boolean;
  /** Lint while typing (debounced) or only when the file is saved. */
  readonly run: 'onType' | 'onSave';
  /** Inlay hints: each rule's number in its chain, and readable [packets:bytes] counters. */
  readonly inlayHints: { readonly ruleNumbers: boolean; readonly counters: boolean };
  /** Code lens on chain declarations (policy, rule count, references). */
  readonly codeLens: boolean;
  /** Fix-all (on save, or the command) applies unsafe fixes too: moves and deletions that change which packets are accepted. */
  readonly fixAll: { readonly unsafe: boolean };
  /** Lint shell scripts that run iptables (VS Code's shellscript language); off: scripts get nothing. */
  readonly shellScripts: boolean;
  /** Services that must stay reachable ("tcp/22"); undefined: the default. .iptables-lint.json may replace it. */
  readonly mustAllow?: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = { enable: true, run: 'onType', inlayHints: { ruleNumbers: true, counters: true }, codeLens: true, fixAll: { unsafe: false }, shellScripts: true };

export class SettingsCache {
  configurationSupported = false;
  private readonly cache = new Map<string, Promise<Settings>>();

  constructor(private readonly connection: Connection) {}

  get(uri: string): Promise<Settings> {
    if (!this.configurationSupported) return Promise.resolve(DEFAULT_SETTINGS);
    let entry = this.cache.get(uri);
    if (!entry) {
      entry = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'iptablesLint' })
        .then((raw: Partial<Settings> | null) => normalise(raw ?? {}), () => DEFAULT_SETTINGS);
      this.cache.set(uri, entry);
    }
    return entry;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}

function normalise(raw: Partial<Settings>): Settings {
  return {
    enable: typeof raw.enable === 'boolean' ? raw.enable : DEFAULT_SETTINGS.enable,
    run: raw.run === 'onSave' ? 'onSave' : 'onType',
    inlayHints: {
      ruleNumbers: flag(raw.inlayHints?.ruleNumbers, DEFAULT_SETTINGS.inlayHints.ruleNumbers),
      counters: flag(raw.inlayHints?.counters, DEFAULT_SETTINGS.inlayHints.counters),
    },
    codeLens: flag(raw.codeLens, DEFAULT_SETTINGS.codeLens),
    fixAll: { unsafe: flag(raw.fixAll?.unsafe, DEFAULT_SETTINGS.fixAll.unsafe) },
    shellScripts: flag(raw.shellScripts, DEFAULT_SETTINGS.shellScripts),
    ...(Array.isArray(raw.mustAllow) ? { mustAllow: raw.mustAllow.map(String) } : {}),
  };
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

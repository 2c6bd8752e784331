// Per-document settings, pulled from the client with workspace/configuration and cached
// until the configuration changes.

import { Connection } from 'vscode-languageserver';

export interface Settings {
  readonly enable: boolean;
  /** Lint while typing (debounced) or only when the file is saved. */
  readonly run: 'onType' | 'onSave';
}

export const DEFAULT_SETTINGS: Settings = { enable: true, run: 'onType' };

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
  };
}

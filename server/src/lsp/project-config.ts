// Finds and reads the project configuration of a document: the nearest `.iptables-lint.json`
// above it (up to the workspace folder that holds it), on top of the editor settings.
// Problems in the file are published as diagnostics on the file itself; the client tells
// us when it changes (a file watcher), and every open document is then linted again.

import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { Connection, Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { codeOf, checkByCode, docsUrl } from '../checks/registry';
import { ConfigProblem, DEFAULT_CONFIG, LintConfig, parseConfigFile, resolveConfig } from '../config/config';
import { LineIndex } from '../syntax/text';
import { toRange } from './convert';

export const CONFIG_FILE = '.iptables-lint.json';

export class ProjectConfigs {
  /** Parsed files by path (undefined: no such file). */
  private readonly files = new Map<string, Promise<{ config: LintConfig; problems: ConfigProblem[]; text: string } | undefined>>();
  private readonly reportedSettings = new Set<string>();
  private workspaceRoots: string[] = [];

  constructor(private readonly connection: Connection) {}

  setWorkspaceRoots(uris: readonly string[]): void {
    this.workspaceRoots = uris.flatMap((u) => (u.startsWith('file:') ? [fileURLToPath(u)] : []));
  }

  /** Forget what was read: a configuration file changed, appeared or went away. */
  clear(): void {
    this.files.clear();
  }

  /** The configuration for a document, given the `iptablesLint.mustAllow` setting. */
  async configFor(uri: string, mustAllowSetting: readonly string[] | undefined): Promise<LintConfig> {
    const base = this.fromSettings(mustAllowSetting);
    const file = uri.startsWith('file:') ? this.findFile(path.dirname(fileURLToPath(uri))) : undefined;
    if (!file) return base;
    const read = await this.read(file, base);
    return read?.config ?? base;
  }

  private fromSettings(mustAllow: readonly string[] | undefined): LintConfig {
    if (mustAllow === undefined) return DEFAULT_CONFIG;
    const { config, problems } = resolveConfig({ mustAllow }, codeOf);
    for (const p of problems) {
      if (this.reportedSettings.has(p.message)) continue;
      this.reportedSettings.add(p.message);
      void this.connection.window.showWarningMessage(`iptables-lint: in the setting iptablesLint.mustAllow, ${p.message}`);
    }
    return config;
  }

  /** The nearest configuration file from `dir` upwards, not above the workspace folder. */
  private findFile(dir: string): string | undefined {
    const root = this.workspaceRoots.filter((r) => dir === r || dir.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
    for (let d = dir; ; d = path.dirname(d)) {
      const candidate = path.join(d, CONFIG_FILE);
      if (fs.existsSync(candidate)) return candidate;
      if (d === root || path.dirname(d) === d) return undefined;
    }
  }

  private read(file: string, base: LintConfig) {
    const key = `${file}\u0000${JSON.stringify(base.mustAllow.map((m) => m.text))}`;
    let entry = this.files.get(key);
    if (!entry) {
      entry = fs.promises.readFile(file, 'utf8').then(
        (text) => {
          const parsed = parseConfigFile(text, codeOf, base);
          this.publish(file, text, parsed.problems);
          return { ...parsed, text };
        },
        () => undefined,
      );
      this.files.set(key, entry);
    }
    return entry;
  }

  private publish(file: string, text: string, problems: readonly ConfigProblem[]): void {
    const index = new LineIndex(text);
    const check = checkByCode('IPT392')!;
    const diagnostics: Diagnostic[] = problems.map((p) => ({
      range: toRange(index, { start: p.start, end: p.end }),
      severity: DiagnosticSeverity.Warning,
      source: 'iptables-lint',
      code: check.code,
      codeDescription: { href: docsUrl(check) },
      message: p.message,
    }));
    void this.connection.sendDiagnostics({ uri: pathToFileURL(file).toString(), diagnostics });
  }
}

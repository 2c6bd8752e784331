// One code-server (a real VS Code: server, extension host and web UI) on 127.0.0.1, in a
// throwaway directory: its own HOME and XDG dirs, user data, extensions and workspaces. Nothing is
// written to the real home directory and nothing is left behind.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_ENTRY } from './paths.mjs';
import { signalGroup, trackProcessGroup, trackTempDir, untrackProcessGroup, untrackTempDir } from './cleanup.mjs';
import { installFromWorkTree } from './extension.mjs';

const START_TIMEOUT_MS = 60_000;

/** User settings for a quiet, predictable workbench. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 300,
  'outline.collapseItems': 'alwaysExpand',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class CodeServer {
  /**
   * @param {{ vsix?: string, noExtension?: boolean }} [options] vsix: install this VSIX with
   *   `--install-extension`; noExtension: install nothing (e.g. to load the extension as a
   *   development extension instead); otherwise the extension is copied from the work tree (the
   *   files the VSIX would contain).
   */
  static async start(options = {}) {
    const server = new CodeServer(fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-e2e-')));
    try {
      await server.installExtension(options);
      await server.launch();
      return server;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  constructor(runDir) {
    this.runDir = runDir;
    trackTempDir(runDir);
    this.userDataDir = path.join(runDir, 'user-data');
    this.extensionsDir = path.join(runDir, 'extensions');
    this.logFile = path.join(runDir, 'code-server.log');
    /** HOME, TMPDIR and XDG dirs: code-server would otherwise write to ~/.config, ~/.local and /tmp. */
    this.isolatedEnv = {
      HOME: path.join(runDir, 'home'),
      TMPDIR: path.join(runDir, 'tmp'),
      XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
      XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
      XDG_CACHE_HOME: path.join(runDir, 'xdg-cache'),
      XDG_RUNTIME_DIR: path.join(runDir, 'xdg-runtime'),
    };
    for (const dir of [path.join(this.userDataDir, 'User'), this.extensionsDir, ...Object.values(this.isolatedEnv)]) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    fs.writeFileSync(path.join(this.userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    this.workspaceCount = 0;
    this.process = undefined;
    this.baseUrl = undefined;
  }

  commonArgs() {
    return ['--config', path.join(this.runDir, 'config.yaml'), '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];
  }

  env() {
    // EXTENSIONS_GALLERY={}: no marketplace, so VS Code never queries open-vsx.org (the tests
    // stay on 127.0.0.1; extensions come from the work tree or a local VSIX).
    return { ...process.env, ...this.isolatedEnv, EXTENSIONS_GALLERY: '{}' };
  }

  async installExtension({ vsix, noExtension }) {
    if (noExtension) return;
    if (!vsix) {
      await installFromWorkTree(this.extensionsDir);
      return;
    }
    // Exactly what a user runs; works offline for a local .vsix.
    execFileSync(process.execPath, [CODE_SERVER_ENTRY, ...this.commonArgs(), '--install-extension', vsix], {
      env: this.env(),
      stdio: 'pipe',
    });
  }

  /** `code-server --list-extensions --show-versions`: ['publisher.name@version', ...]. */
  listExtensions() {
    const output = execFileSync(process.execPath, [CODE_SERVER_ENTRY, ...this.commonArgs(), '--list-extensions', '--show-versions'], {
      env: this.env(),
      encoding: 'utf8',
    });
    return output.split('\n').map((line) => line.trim()).filter((line) => /^[\w-]+\.[\w-]+@/.test(line));
  }

  async launch() {
    const log = fs.openSync(this.logFile, 'w');
    const args = [
      CODE_SERVER_ENTRY,
      '--bind-addr', '127.0.0.1:0', // the OS picks a free port; read back from the log
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...this.commonArgs(),
    ];
    this.process = spawn(process.execPath, args, { env: this.env(), stdio: ['ignore', log, log], detached: true });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => this.process.once('exit', resolve));
    trackProcessGroup(this.process.pid, 'code-server');
    this.baseUrl = await this.waitForListeningUrl();
    await this.waitForHealthy();
  }

  async waitForListeningUrl() {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) break;
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(fs.readFileSync(this.logFile, 'utf8'));
      if (match) return match[1];
      await sleep(50);
    }
    throw new Error(`code-server did not start; its log: ${this.logFile}\n${this.logTail()}`);
  }

  async waitForHealthy() {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.baseUrl}/healthz`)).ok) return;
      } catch {
        // not accepting connections yet
      }
      await sleep(100);
    }
    throw new Error(`code-server is not healthy; its log: ${this.logFile}\n${this.logTail()}`);
  }

  logTail() {
    try {
      return fs.readFileSync(this.logFile, 'utf8').slice(-3000);
    } catch {
      return '';
    }
  }

  /** A new, empty workspace folder holding the given files ({ 'rules.v4': '...' }). */
  createWorkspace(files) {
    const dir = path.join(this.runDir, 'workspaces', String(++this.workspaceCount));
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  workbenchUrl(folder) {
    return `${this.baseUrl}/?folder=${encodeURIComponent(folder)}`;
  }

  /** The extension host logs: activation, errors, and the language client's output channel. */
  logDirs() {
    const logsRoot = path.join(this.userDataDir, 'logs');
    if (!fs.existsSync(logsRoot)) return [];
    return fs.readdirSync(logsRoot).map((session) => path.join(logsRoot, session));
  }

  /** Copies code-server's log and the extension host logs into dir (for a failed test). */
  saveLogs(dir) {
    fs.mkdirSync(dir, { recursive: true });
    if (fs.existsSync(this.logFile)) fs.copyFileSync(this.logFile, path.join(dir, 'code-server.log'));
    for (const sessionDir of this.logDirs()) {
      fs.cpSync(sessionDir, path.join(dir, 'logs', path.basename(sessionDir)), { recursive: true });
    }
  }

  /** Stops the whole process group (server, extension host, language server), then removes runDir. */
  async stop({ keepRunDir = false } = {}) {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) {
      signalGroup(this.process.pid, 'SIGTERM');
      const stopped = await Promise.race([this.exited.then(() => true), sleep(5000).then(() => false)]);
      if (!stopped) signalGroup(this.process.pid, 'SIGKILL');
    }
    // The leader may be gone while children of its group linger: make sure of the whole group.
    if (this.process) {
      signalGroup(this.process.pid, 'SIGKILL');
      untrackProcessGroup(this.process.pid);
    }
    if (!keepRunDir) fs.rmSync(this.runDir, { recursive: true, force: true });
    untrackTempDir(this.runDir);
  }
}

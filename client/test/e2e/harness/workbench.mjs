// One browser tab on a VS Code workbench, with one helper per thing a user does or looks at.
// Scenarios talk to VS Code only through these helpers, so a new scenario is a few lines and a
// change in VS Code's DOM is fixed in one place.
//
// Adding a helper: drive the UI the way a person would (keyboard first: mouse clicks on menus are
// sometimes swallowed by VS Code's pointer-blocking overlays in headless chromium), then wait for
// what the person would see, with waitFor().
import fs from 'node:fs';
import path from 'node:path';
import { readAllRows } from './lists.mjs';
import { waitFor } from './waitFor.mjs';

const VIEWPORT = { width: 1400, height: 1000 };

export class Workbench {
  /**
   * Opens a new browser context (no state shared with other tests) on a new workspace folder
   * holding `files` ({ name: content }), and waits until the explorer shows it.
   */
  static async open(server, browser, files) {
    const folder = server.createWorkspace(files);
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const workbench = new Workbench(server, context, page, folder);
    await page.goto(server.workbenchUrl(folder));
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view').waitFor();
    return workbench;
  }

  constructor(server, context, page, folder) {
    this.server = server;
    this.context = context;
    this.page = page;
    this.folder = folder;
    /** Errors and warnings from the page, saved with the screenshots when a test fails. */
    this.consoleMessages = [];
    page.setDefaultTimeout(30_000);
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') this.consoleMessages.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.consoleMessages.push(`pageerror: ${error.message}`));
    // Chromium resolves no name but 127.0.0.1 (see browser.mjs); this records any attempt anyway.
    page.on('request', (request) => {
      if (!request.url().startsWith('http://127.0.0.1:') && /^(https?|wss?):/.test(request.url())) {
        this.consoleMessages.push(`request off 127.0.0.1 (blocked): ${request.url()}`);
      }
    });
  }

  // ------------------------------------------------------------------ commands and editors

  /** Runs a command from the command palette by its exact title, e.g. 'View: Toggle Word Wrap'. */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    await this.page.locator('.quick-input-widget .quick-input-box input').waitFor();
    await this.page.keyboard.insertText(title);
    await this.pickFocusedQuickInputRow(title);
  }

  /** Waits until the focused row of the open quick input is labelled `label`, then picks it. */
  async pickFocusedQuickInputRow(label) {
    const focused = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .label-name');
    await waitFor(`quick input row '${label}'`, async () => (await focused.allInnerTexts()).map((t) => t.trim()), (labels) => labels[0] === label);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Opens a workspace file (path relative to the workspace folder) as a pinned editor: from the
   * Explorer for a file at the top level (fast), otherwise with Quick Open (whose first use waits
   * for the file search to start, a few seconds).
   */
  async openFile(relativePath) {
    const name = path.basename(relativePath);
    if (relativePath === name) {
      await this.page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true }).dblclick();
    } else {
      await this.page.keyboard.press('Control+p');
      await this.page.locator('.quick-input-widget .quick-input-box input').waitFor();
      await this.page.keyboard.insertText(relativePath);
      await this.pickFocusedQuickInputRow(name);
    }
    await this.waitForActiveEditor(name);
  }

  /** Opens a new untitled editor and types `text` into it. */
  async newUntitledFile(text) {
    await this.runCommand('File: New Untitled Text File');
    await this.waitForActiveEditor(/^Untitled-\d+$/);
    await this.page.keyboard.insertText(text);
  }

  async waitForActiveEditor(title) {
    const matches = (text) => (typeof title === 'string' ? text === title : title.test(text));
    const activeTab = this.page.locator('.tabs-container .tab.active .label-name');
    await waitFor(`active editor '${title}'`, async () => (await activeTab.allInnerTexts()).map((t) => t.trim()), (t) => matches(t[0] ?? ''));
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /** The language mode shown in the status bar for the active editor, e.g. 'iptables'. */
  async languageMode() {
    return (await this.page.locator('[id="status.editor.mode"]').innerText()).trim();
  }

  /** Waits until the status bar shows `expected` as the language mode; returns what it shows. */
  async waitForLanguageMode(expected, timeoutMs) {
    return waitFor(`language mode '${expected}'`, () => this.languageMode(), (mode) => mode === expected, timeoutMs);
  }

  // ------------------------------------------------------------------ Problems panel

  /**
   * Opens the Problems panel and returns its entries once at least `atLeast` are listed:
   * [{ file, severity, message, source, code, line, column }].
   */
  async problems({ atLeast = 1 } = {}) {
    await this.runCommand('Problems: Focus on Problems View');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor();
    return waitFor(`at least ${atLeast} entries in the Problems panel`, () => this.readProblems(panel), (rows) => rows.length >= atLeast);
  }

  async readProblems(panel) {
    const rows = await readAllRows(panel, (elements) =>
      elements.map((row) => {
        const text = (selector) => row.querySelector(selector)?.textContent?.trim() ?? '';
        const position = /Ln (\d+), Col (\d+)/.exec(text('.marker-line'));
        const icon = row.querySelector('.marker-icon');
        return {
          index: Number(row.dataset.index),
          isFile: !row.querySelector('.marker-message'),
          file: text('.label-name'),
          severity: ['error', 'warning', 'info'].find((s) => icon?.classList.contains(s)) ?? '',
          message: text('.marker-message'),
          source: text('.marker-source'),
          code: text('.marker-code'),
          line: position ? Number(position[1]) : 0,
          column: position ? Number(position[2]) : 0,
        };
      }),
    );
    return attachFileNames(rows);
  }

  // ------------------------------------------------------------------ Outline view

  /**
   * Shows the Outline view of the active editor and returns its rows once at least `atLeast`
   * are shown: [{ level, label, description }] in tree order (level 1 = top).
   */
  async outline({ atLeast = 1 } = {}) {
    await this.runCommand('Explorer: Focus on Outline View');
    const pane = this.page.locator('.outline-pane');
    await pane.waitFor();
    // The view refills while the server's symbols arrive: a read may catch it half drawn, so
    // wait for one that starts at a top-level row and holds enough rows.
    return waitFor(`at least ${atLeast} rows in the Outline view, from the top`, () => this.readOutline(pane), (rows) => rows.length >= atLeast && rows[0].level === 1);
  }

  async readOutline(pane) {
    const rows = await readAllRows(pane, (elements) =>
      elements.map((row) => ({
        index: Number(row.dataset.index),
        level: Number(row.getAttribute('aria-level') ?? 0),
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      })),
    );
    return rows.map(({ level, label, description }) => ({ level, label, description }));
  }

  // ------------------------------------------------------------------ evidence

  /** Saves a screenshot as dir/name.png and returns its path. */
  async screenshot(dir, name) {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close() {
    await this.context.close().catch(() => {});
  }
}

/** The Problems panel lists a file row, then that file's markers: give each marker its file. */
function attachFileNames(rows) {
  const problems = [];
  let file = '';
  for (const row of rows) {
    if (row.isFile) {
      file = row.file;
      continue;
    }
    const { severity, message, source, code, line, column } = row;
    problems.push({ file, severity, message, source, code, line, column });
  }
  return problems;
}

// Helpers for code actions as a person uses them: wait for the lightbulb next to the cursor,
// open its menu with Ctrl+. (the lightbulb's own shortcut; keyboard rather than a click, see
// workbench.mjs), read the entries and pick one; save; read a file of the workspace on disk.
// Each takes the Workbench (workbench.mjs) and waits for what a person would see.
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './waitFor.mjs';

const MENU = '.action-widget';
const ROWS = `${MENU} .monaco-list-row.action`;

/**
 * Waits for the lightbulb of the line with the cursor, drawn in the gutter or (when the gutter
 * has no room) in the text; returns its classes: they contain 'auto-fix' or 'autofix' when a
 * preferred fix exists.
 */
export async function waitForLightbulb(workbench) {
  const bulb = workbench.page.locator('.editor-instance .monaco-editor').locator('.cgmr[class*="codicon-gutter-lightbulb"], .lightBulbWidget[class*="codicon-"]').first();
  await bulb.waitFor({ state: 'visible' });
  return (await bulb.getAttribute('class')) ?? '';
}

/** Opens the code action menu at the cursor (Ctrl+.) and returns its entries, once it lists `expected` (a string or RegExp). */
export async function openCodeActionMenu(workbench, expected) {
  const page = workbench.page;
  const matches = (titles) => titles.some((t) => (typeof expected === 'string' ? t === expected : expected.test(t)));
  return waitFor(
    `the code action menu listing ${expected}`,
    async () => {
      if (!(await page.locator(MENU).isVisible())) await page.keyboard.press('Control+.');
      await page.locator(ROWS).first().waitFor({ state: 'visible', timeout: 3000 });
      const titles = await menuTitles(workbench);
      // Still computing, or opened before the server's answer: close it and ask again.
      if (!matches(titles)) await page.keyboard.press('Escape');
      return titles;
    },
    matches,
  );
}

async function menuTitles(workbench) {
  return workbench.page.locator(ROWS).evaluateAll((rows) =>
    rows.sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index)).map((row) => (row.querySelector('.title')?.textContent ?? row.textContent ?? '').trim()),
  );
}

/** Picks `title` in the open code action menu with the arrow keys and Enter. */
export async function pickCodeAction(workbench, title) {
  const page = workbench.page;
  const focused = page.locator(`${ROWS}.focused .title`);
  for (let i = 0; i < 30; i++) {
    if ((await focused.innerText().catch(() => '')).trim() === title) {
      await page.keyboard.press('Enter');
      await page.locator(MENU).waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`'${title}' is not in the code action menu: ${(await menuTitles(workbench)).join(' | ')}`);
}

/**
 * Saves the active editor, which has unsaved changes, with Ctrl+S, and waits until its tab no
 * longer shows unsaved changes (save participants such as codeActionsOnSave run before that).
 */
export async function saveActiveEditor(workbench) {
  const dirtyTab = workbench.page.locator('.tabs-container .tab.active.dirty');
  await dirtyTab.waitFor({ state: 'attached' });
  await workbench.page.keyboard.press('Control+s');
  await dirtyTab.waitFor({ state: 'detached' });
}

/** The text of a workspace file on disk, once `accept(text)` holds. */
export async function waitForFileOnDisk(workbench, relativePath, accept, description = `${relativePath} on disk`) {
  return waitFor(description, () => fs.readFileSync(path.join(workbench.folder, relativePath), 'utf8'), accept);
}

/** The titles of the editor tabs, in order. */
export async function tabTitles(workbench) {
  return (await workbench.page.locator('.tabs-container .tab .label-name').allInnerTexts()).map((t) => t.trim());
}

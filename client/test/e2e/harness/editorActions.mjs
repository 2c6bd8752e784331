// Helpers for what a person reads and types in the editor: hovering a word, asking for
// completion and picking an entry, reading the language status item. Each takes the Workbench
// (workbench.mjs) and waits for what a person would see.
import { waitFor } from './waitFor.mjs';

const editorLines = (workbench) => workbench.page.locator('.editor-instance .monaco-editor .view-lines').first();

/**
 * The screen position of the middle of `word` in the rendered line containing `lineText`.
 * Monaco draws an untokenised line as one span, so the word's box comes from a DOM Range.
 */
export async function wordCenter(workbench, lineText, word) {
  const line = editorLines(workbench).locator('.view-line', { hasText: lineText }).first();
  await line.waitFor();
  const box = await line.evaluate((element, w) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const i = node.data.replace(/\u00a0/g, ' ').indexOf(w);
      if (i === -1) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + w.length);
      const b = range.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }
    return null;
  }, word);
  if (!box) throw new Error(`'${word}' is not in the line showing '${lineText}'`);
  return box;
}

/**
 * Moves the mouse onto `word` (in the line showing `lineText`) as a person would, and returns
 * the text of the hover once it contains `expected` (a string or RegExp).
 */
export async function hoverText(workbench, lineText, word, expected) {
  const page = workbench.page;
  const hover = page.locator('.monaco-hover').filter({ hasText: expected }).first();
  // The server may not have answered yet when the hover first opens, and code lenses appearing
  // above a line move it down: find the word again and move away and back until the hover shows.
  return waitFor(
    `a hover on '${word}' containing ${expected}`,
    async () => {
      // Close any open hover first: it may cover the word, and it stays while the mouse is on it.
      await page.keyboard.press('Escape');
      await page.locator('.monaco-hover').filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
      const at = await wordCenter(workbench, lineText, word);
      await page.mouse.move(at.x - 40, at.y + 40);
      await page.mouse.move(at.x, at.y, { steps: 5 });
      await hover.waitFor({ state: 'visible', timeout: 3000 });
      return (await hover.innerText()).replace(/\s+/g, ' ').trim();
    },
    Boolean,
  );
}

/** Puts the cursor at the end of the line showing `lineText` (clicking there, then End). */
export async function cursorToEndOfLine(workbench, lineText) {
  const line = editorLines(workbench).locator('.view-line', { hasText: lineText }).first();
  await line.waitFor();
  await line.click();
  await workbench.page.keyboard.press('End');
}

/** The labels of the open completion list, top to bottom, once it shows at least one entry. */
export async function suggestions(workbench) {
  const rows = workbench.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
  return waitFor(
    'the completion list',
    () => rows.evaluateAll((elements) => elements.sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index)).map((row) => row.querySelector('.label-name')?.textContent?.trim() ?? '')),
    (labels) => labels.length > 0,
  );
}

/** Opens the completion list at the cursor (Ctrl+Space) and returns its labels. */
export async function triggerSuggest(workbench) {
  await workbench.page.keyboard.press('Control+Space');
  return suggestions(workbench);
}

/** Picks `label` in the open completion list with the keyboard (arrow keys, then Enter). */
export async function acceptSuggestion(workbench, label) {
  const page = workbench.page;
  const focused = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row.focused .label-name');
  for (let i = 0; i < 50; i++) {
    if ((await focused.innerText().catch(() => '')).trim() === label) {
      await page.keyboard.press('Enter');
      await page.locator('.editor-widget.suggest-widget.visible').waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`'${label}' is not in the completion list: ${(await suggestions(workbench)).join(', ')}`);
}

/**
 * The rows of the language status hover (the `{}` item next to the language mode), once one
 * contains `expected`: e.g. ['5 rules 1 table (IPv4) · analysed at 10:00:00 Show Output'].
 */
export async function languageStatus(workbench, expected) {
  const page = workbench.page;
  const item = page.locator('.statusbar [id="status.languageStatus"]');
  const rows = page.locator('.hover-language-status');
  return waitFor(
    `a language status row containing ${expected}`,
    async () => {
      await page.mouse.move(5, 5);
      await item.hover();
      await rows.first().waitFor({ state: 'visible', timeout: 3000 });
      return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    },
    (texts) => texts.some((t) => (typeof expected === 'string' ? t.includes(expected) : expected.test(t))),
  );
}

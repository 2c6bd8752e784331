// Keyboard-driven helpers for navigation in the active editor: put the cursor somewhere, read
// where it is, read the editor's text, rename the symbol under the cursor. Each takes the
// Workbench (workbench.mjs) and waits for what a person would see.
import { waitFor } from './waitFor.mjs';

/** Focuses the text of the active editor (after opening a file, focus may be in the explorer). */
export async function focusEditor(workbench) {
  await workbench.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

/** Moves the cursor with "Go to Line/Column" (Ctrl+G): 1-based line and column, as the status bar shows them. */
export async function goToLineColumn(workbench, line, column) {
  await focusEditor(workbench);
  await workbench.page.keyboard.press('Control+g');
  await workbench.page.locator('.quick-input-widget .quick-input-box input').waitFor();
  await workbench.page.keyboard.insertText(`${line}:${column}`);
  await workbench.page.keyboard.press('Enter');
  await workbench.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await waitForCursor(workbench, line, column);
}

/** The cursor as the status bar shows it: { line, column } (1-based). */
export async function cursorPosition(workbench) {
  const text = await workbench.page.locator('[id="status.editor.selection"]').innerText();
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/** Waits until the cursor is at line:column; returns where it is. */
export async function waitForCursor(workbench, line, column) {
  return waitFor(`cursor at Ln ${line}, Col ${column}`, () => cursorPosition(workbench), (p) => p?.line === line && p?.column === column);
}

/**
 * The lines the active editor shows, top to bottom (the file must fit on the screen). Inlay
 * hints are part of what is shown; the padding VS Code draws around them (a hair space)
 * reads as a space.
 */
export async function editorLines(workbench) {
  const lines = workbench.page.locator('.editor-instance .monaco-editor .view-lines').first();
  return lines.evaluate((root) =>
    [...root.querySelectorAll('.view-line')]
      .map((line) => ({ top: parseFloat(line.style.top) || 0, text: (line.textContent ?? '').replace(/[\u00a0\u200a]/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
}

/** Renames the symbol under the cursor the way a person does: F2, type the new name, Enter. */
export async function renameSymbol(workbench, newName) {
  const page = workbench.page;
  await page.keyboard.press('F2');
  const input = page.locator('.rename-box .rename-input').first();
  // The box opens once the server has said what can be renamed; typing before it has the
  // focus would type into the document.
  await waitFor('the rename box to have the focus', () => input.evaluate((el) => el === document.activeElement), Boolean);
  await input.fill(newName);
  await input.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * The code lenses the active editor shows, once one matches `pattern`. They come from the
 * language server, so this also tells that the server is up and answering requests for the
 * file (a key such as F12 pressed before that does nothing).
 */
export async function waitForCodeLens(workbench, pattern) {
  const lenses = workbench.page.locator('.editor-instance .monaco-editor .codelens-decoration');
  return waitFor(`a code lens matching ${pattern}`, async () => (await lenses.allInnerTexts()).map((t) => t.trim()), (texts) => texts.some((t) => pattern.test(t)));
}

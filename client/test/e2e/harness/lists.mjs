// Reading VS Code's virtualised lists and trees (Problems, Outline, ...). Only the rows in view
// exist in the DOM, so the list is scrolled from top to bottom with the mouse wheel, collecting
// rows by their data-index. Trees also draw copies of the parents of the rows in view at the top
// ("sticky scroll"); those copies live outside .monaco-list-rows and are skipped.

const MAX_SCROLL_STEPS = 50;

/**
 * Returns every row of the list inside `container` (a playwright Locator), in list order.
 * `describeRows` runs in the page: it gets the rendered row elements and returns one plain
 * object per row, with `index: Number(row.dataset.index)` (playwright sends its source text to
 * the page, so it cannot use anything from this module).
 */
export async function readAllRows(container, describeRows) {
  const page = container.page();
  const rows = new Map();
  await container.hover({ position: { x: 5, y: 5 } });
  await scrollToTop(container);
  for (let step = 0; step < MAX_SCROLL_STEPS; step++) {
    const visible = await container.locator('.monaco-list-rows > .monaco-list-row').evaluateAll(describeRows);
    const before = rows.size;
    for (const row of visible) rows.set(row.index, row);
    if (rows.size === before && step > 0) break;
    const box = await container.boundingBox();
    await page.mouse.wheel(0, Math.max(50, (box?.height ?? 200) - 40));
    await page.waitForTimeout(50); // let the list render the rows scrolled into view
  }
  return [...rows.values()].sort((a, b) => a.index - b.index);
}

async function scrollToTop(container) {
  await container.page().mouse.wheel(0, -100_000);
  await container.page().waitForTimeout(50);
}

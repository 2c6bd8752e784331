// Test snippets mark the cursor with `<|>` (a `$0` would be a real shell variable).

import { analyse, Analysis } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';

export const CURSOR = '<|>';

/** The text without its cursor marker, and the marker's offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset === -1 || marked.indexOf(CURSOR, offset + 1) !== -1) throw new Error(`the snippet needs exactly one ${CURSOR}: ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + CURSOR.length), offset };
}

/** Analyses a marked snippet as the language server does (syntax level only). */
export function analyseMarked(marked: string, family?: Family): { analysis: Analysis; offset: number; text: string } {
  const { text, offset } = withCursor(marked);
  return { analysis: analyse(text, { family, semantics: false }), offset, text };
}

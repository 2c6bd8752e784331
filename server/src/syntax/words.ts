import { Span } from './text';

/**
 * One argument of an iptables command line, as the program would receive it in argv,
 * together with where it came from in the document.
 *
 * Rules in a dump and `iptables ...` commands in shell scripts both end up as lists of
 * words, so everything after tokenisation works the same for both.
 */
export interface Word {
  /** The argument value after quote removal and escape processing. */
  readonly text: string;
  /** Where the word stands in the document, quotes included. */
  readonly span: Span;
  /** True when any part of the word was quoted. */
  readonly quoted: boolean;
  /**
   * Document offset of each character of `text`, when they are not simply consecutive from
   * `span.start` (quotes and escapes). Lets diagnostics point inside a word, e.g. at the
   * `/33` of `10.0.0.0/33`. Use `charOffset` rather than reading it.
   */
  readonly offsets?: readonly number[];
  /**
   * The value is not known statically (a shell expansion such as `$IFACE`). Rules that
   * contain dynamic words are parsed for structure but their values are not judged.
   */
  readonly dynamic?: boolean;
}

/** Document offset of character `i` of the word's value. */
export function charOffset(word: Word, i: number): number {
  return word.offsets ? word.offsets[i] : word.span.start + i;
}

/** Document span of characters [from, to) of the word's value (quotes excluded). */
export function subSpan(word: Word, from: number, to: number = word.text.length): Span {
  const n = word.text.length;
  if (n === 0) return word.span;
  const lo = Math.max(0, Math.min(from, n));
  const hi = Math.max(lo, Math.min(to, n));
  if (hi === lo) {
    const at = lo < n ? charOffset(word, lo) : charOffset(word, n - 1) + 1;
    return { start: at, end: at };
  }
  return { start: charOffset(word, lo), end: charOffset(word, hi - 1) + 1 };
}

/** A word whose characters map one to one onto the document, starting at `start`. */
export function plainWord(text: string, start: number): Word {
  return { text, span: { start, end: start + text.length }, quoted: false };
}

/** A synthetic word for a value that is already split from another, e.g. `tcp` of `-ptcp`. */
export function sliceWord(word: Word, from: number, to: number = word.text.length): Word {
  const text = word.text.slice(from, to);
  const span = subSpan(word, from, to);
  const offsets = word.offsets?.slice(from, to);
  return { text, span, quoted: word.quoted, ...(offsets ? { offsets } : {}), ...(word.dynamic ? { dynamic: true } : {}) };
}

export interface SplitResult {
  readonly words: Word[];
  /** Offset of a quote that was opened and never closed, if any. */
  readonly unterminatedQuote?: number;
}

/**
 * Splits a rule line into words exactly as iptables-restore does (add_param_to_argv):
 * words are separated by spaces and tabs; a double quote opens a quoted part in which a
 * backslash takes the next character literally; a closing quote ends the word, so
 * `"abc"def` is two words. Outside quotes a backslash is an ordinary character.
 * An unterminated quote runs to the end of the line.
 */
export function splitRestoreWords(text: string, from: number, to: number): SplitResult {
  const words: Word[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    // Fast path: a word without quotes is a plain slice of the line.
    let j = i;
    while (j < to) {
      const d = text.charCodeAt(j);
      if (d === SPACE || d === TAB || d === QUOTE) break;
      j++;
    }
    if (j === to || text.charCodeAt(j) !== QUOTE) {
      words.push({ text: text.slice(i, j), span: { start: i, end: j }, quoted: false });
      i = j;
      continue;
    }
    const quoted = readQuotedWord(text, i, to);
    words.push(quoted.word);
    if (quoted.unterminated !== undefined) return { words, unterminatedQuote: quoted.unterminated };
    i = quoted.word.span.end;
  }
  return { words };
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;

/** A word with quotes in it, starting at `start`: the slow path, with per-character offsets. */
function readQuotedWord(text: string, start: number, to: number): { word: Word; unterminated?: number } {
  const chars: string[] = [];
  const offsets: number[] = [];
  let inQuote = false;
  let quoteStart = -1;
  for (let i = start; i < to; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '\\' && i + 1 < to) {
        chars.push(text[i + 1]);
        offsets.push(i + 1);
        i++;
      } else if (c === '"') {
        // A closing quote ends the word, as in iptables-restore.
        return { word: { text: chars.join(''), span: { start, end: i + 1 }, quoted: true, offsets } };
      } else {
        chars.push(c);
        offsets.push(i);
      }
      continue;
    }
    if (c === ' ' || c === '\t') return { word: { text: chars.join(''), span: { start, end: i }, quoted: true, offsets } };
    if (c === '"') {
      inQuote = true;
      quoteStart = i;
      continue;
    }
    chars.push(c);
    offsets.push(i);
  }
  const word: Word = { text: chars.join(''), span: { start, end: to }, quoted: true, offsets };
  return inQuote ? { word, unterminated: quoteStart } : { word };
}

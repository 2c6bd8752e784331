// Suppression comments, in rules files and scripts alike:
//
//   # iptables-lint disable-next-line=IPT301,IPT203   the next line that is not blank or a comment
//   # iptables-lint disable=IPT301                     from here to the end of the file
//
// Codes may be given as check names too (`disable=missing-loopback`); no codes means every
// check. A directive that suppresses nothing is reported, so stale ones do not pile up.

import { LineIndex, Span } from '../syntax/text';

export interface Directive {
  readonly kind: 'disable' | 'disable-next-line';
  /** The directive's comment line (without its line ending). */
  readonly span: Span;
  /** The line with its line ending: what deleting the directive removes. */
  readonly wholeLine: Span;
  /** Codes it names, resolved. */
  readonly codes: readonly string[];
  /** It names no code at all: it applies to every check. */
  readonly all: boolean;
  /** Words that name no check, with their spans. */
  readonly unknown: ReadonlyArray<{ readonly text: string; readonly span: Span }>;
  /** The characters the directive applies to. */
  readonly scope: Span;
}

const DIRECTIVE = /^(\s*)#\s*iptables-lint\s+(disable-next-line|disable)\b\s*(=\s*)?(.*)$/;
/** Anything after the codes that starts with `--` or `#` is a note for the reader. */
const NOTE = /\s+(--|#).*$/;

/**
 * Finds the directives of a text. In a rules file a comment must start the line (restore
 * reads `#` only in the first column); in a shell script it may be indented.
 */
export function findDirectives(text: string, index: LineIndex, knownCode: (codeOrName: string) => string | undefined, options: { indented: boolean }): Directive[] {
  const out: Directive[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const start = index.lineStart(line);
    const end = index.lineContentEnd(line);
    const lineText = text.slice(start, end);
    const m = DIRECTIVE.exec(lineText);
    if (!m || (m[1].length > 0 && !options.indented)) continue;
    const list = m[4].replace(NOTE, '');
    const listStart = start + lineText.length - m[4].length;
    const codes: string[] = [];
    const unknown: Array<{ text: string; span: Span }> = [];
    const word = /[^\s,]+/g;
    for (let w = word.exec(list); w; w = word.exec(list)) {
      const code = knownCode(w[0]);
      if (code) codes.push(code);
      else unknown.push({ text: w[0], span: { start: listStart + w.index, end: listStart + w.index + w[0].length } });
    }
    const kind = m[2] as Directive['kind'];
    const next = line + 1 < index.lineCount ? index.lineStart(line + 1) : end;
    out.push({ kind, span: { start, end }, wholeLine: { start, end: next }, codes, all: codes.length === 0 && unknown.length === 0, unknown, scope: kind === 'disable' ? { start: end, end: text.length } : nextCodeLine(text, index, line, options.indented) });
  }
  return out;
}

/** The next line after `line` that is neither blank nor a comment, with its continuation lines in a script (an empty span at the end when none). */
function nextCodeLine(text: string, index: LineIndex, line: number, indented: boolean): Span {
  for (let l = line + 1; l < index.lineCount; l++) {
    const start = index.lineStart(l);
    const end = index.lineContentEnd(l);
    const content = text.slice(start, end);
    const trimmed = content.trimStart();
    if (trimmed === '' || (trimmed.startsWith('#') && (indented || content.startsWith('#')))) continue;
    // In a script, a command continued with `\` at the ends of its lines counts as one line.
    let last = l;
    while (indented && last + 1 < index.lineCount && text.slice(index.lineStart(last), index.lineContentEnd(last)).endsWith('\\')) last++;
    return { start, end: index.lineContentEnd(last) };
  }
  return { start: text.length, end: text.length };
}

export interface Suppressible {
  readonly code: string;
  readonly span: Span;
}

/**
 * Splits findings into those that stay and those a directive suppresses, and tells which
 * directives (and which of their codes) were used.
 */
export function applyDirectives<F extends Suppressible>(findings: readonly F[], directives: readonly Directive[]): { kept: F[]; used: Map<Directive, Set<string>> } {
  const used = new Map<Directive, Set<string>>(directives.map((d) => [d, new Set<string>()]));
  const kept: F[] = [];
  for (const f of findings) {
    const by = directives.find((d) => covers(d, f));
    if (by) used.get(by)!.add(f.code);
    else kept.push(f);
  }
  return { kept, used };
}

function covers(d: Directive, f: Suppressible): boolean {
  if (!d.all && !d.codes.includes(f.code)) return false;
  return f.span.start >= d.scope.start && f.span.start <= d.scope.end && !(d.scope.start === d.scope.end && d.kind === 'disable-next-line');
}

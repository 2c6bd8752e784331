// Code actions as plain data: for each diagnostic the editor asks about, the fixes of its
// finding, then "disable for this line", "disable for this file" and "show documentation";
// and the edits that turn a text into its fixed version (fix-all), as few and as small as
// possible. The LSP conversion is in lsp/features/code-actions.ts; choosing and applying the
// fixes of fix-all is fixes/apply.ts.

import { Finding } from '../analysis';
import { LINT_CONFIG_CHECKS } from '../checks/lint-config';
import { checkByCode, codeOf } from '../checks/registry';
import { Directive, findDirectives } from '../checks/suppressions';
import { Edit } from '../checks/types';
import { LineIndex, Span } from '../syntax/text';

/** A diagnostic of the editor's request, by its code and where it is in the current text. */
export interface DiagnosticRef {
  readonly code: string;
  readonly span: Span;
}

export interface CodeActionData {
  readonly title: string;
  /** The request's diagnostics (indexes) the action is about. */
  readonly diagnostics: readonly number[];
  /** Edits against the current text (none for a command). */
  readonly edits?: readonly Edit[];
  readonly preferred?: boolean;
  /** A command to run instead of (or after) the edits: opens the check's documentation. */
  readonly command?: { readonly kind: 'showDocumentation'; readonly code: string };
}

/** Checks about the suppression comments themselves: a suppression comment cannot silence them. */
const UNSUPPRESSIBLE = new Set(['IPT100', ...LINT_CONFIG_CHECKS.map((c) => c.code)]);

export const DIRECTIVE_PREFIX = '# iptables-lint';

/** The first line ending of the text (`\n` when it has none). */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

export interface QuickFixOptions {
  /**
   * The text is a shell script: suppression comments may be indented (they take the
   * command's indentation) and go above the first line of a command continued with `\`.
   */
  readonly script?: boolean;
}

/**
 * The quick fixes for the request's diagnostics: every fix of each diagnostic's finding (the
 * preferred first), then one "disable for this line" per code and line, one "disable for
 * this file" and one "show documentation" per code. Diagnostics that match no current
 * finding (stale ones) get no fixes, but still the other actions.
 */
export function quickFixes(text: string, index: LineIndex, findings: readonly Finding[], diagnostics: readonly DiagnosticRef[], options: QuickFixOptions = {}): CodeActionData[] {
  const fixes: CodeActionData[] = [];
  const seenFixes = new Map<string, Collected>();
  diagnostics.forEach((d, i) => {
    const matching = findings.filter((f) => f.code === d.code && f.span.start === d.span.start && f.span.end === d.span.end);
    for (const finding of matching) {
      const ordered = [...finding.fixes].sort((a, b) => Number(!!b.preferred) - Number(!!a.preferred));
      for (const fix of ordered) {
        if (fix.edits.length === 0) continue;
        // Two diagnostics may offer the very same remedy: one action for both.
        const key = JSON.stringify([fix.title, fix.edits]);
        const known = seenFixes.get(key);
        if (known) {
          if (!known.diagnostics.includes(i)) known.diagnostics.push(i);
          continue;
        }
        const action = { title: fix.title, diagnostics: [i], edits: fix.edits, ...(fix.preferred ? { preferred: true } : {}) };
        seenFixes.set(key, action);
        fixes.push(action);
      }
    }
  });

  const script = options.script === true;
  const directives = findDirectives(text, index, codeOf, { indented: script });
  const lineActions = new Map<string, Collected>();
  const fileActions = new Map<string, Collected>();
  const docActions = new Map<string, Collected>();
  diagnostics.forEach((d, i) => {
    const check = checkByCode(d.code);
    if (!check) return;
    const code = check.code;
    if (!UNSUPPRESSIBLE.has(code)) {
      const line = commandStart(text, index, index.lineOf(d.span.start), script);
      addTo(lineActions, `${code} ${line}`, i, () => {
        const edit = disableForLine(text, index, directives, code, line, script);
        return edit && { title: `Disable ${code} for this line`, diagnostics: [i], edits: [edit] };
      });
      addTo(fileActions, code, i, () => {
        const edit = disableForFile(text, index, directives, code, d.span.start);
        return edit && { title: `Disable ${code} for this file`, diagnostics: [i], edits: [edit] };
      });
    }
    addTo(docActions, code, i, () => ({ title: `Show documentation for ${code}`, diagnostics: [i], command: { kind: 'showDocumentation', code } }));
  });
  return [...fixes, ...[...lineActions.values(), ...fileActions.values(), ...docActions.values()].filter((a) => a.diagnostics.length > 0)];
}

type Collected = CodeActionData & { diagnostics: number[] };

/** One action per key: a further diagnostic joins the action made for the first one. */
function addTo(actions: Map<string, Collected>, key: string, diagnostic: number, make: () => Collected | undefined): void {
  const known = actions.get(key);
  if (known) {
    if (known.diagnostics.length > 0) known.diagnostics.push(diagnostic);
    return;
  }
  const made = make();
  // Remember a refusal too, so that it is not computed again for the same key.
  actions.set(key, made ?? { title: '', diagnostics: [] });
}

/** In a script, the first line of the command `line` belongs to (lines continued with `\`). */
function commandStart(text: string, index: LineIndex, line: number, script: boolean): number {
  if (!script) return line;
  while (line > 0 && /\\$/.test(text.slice(index.lineStart(line - 1), index.lineContentEnd(line - 1)))) line--;
  return line;
}

/**
 * The edit that silences `code` on `line`: adds the code to the disable-next-line directive
 * that already applies to the line, or inserts one on its own line above it (in column 0, as
 * iptables-restore reads comments; in a script, with the line's indentation). Undefined for a
 * blank or comment line, which a disable-next-line directive cannot reach.
 */
export function disableForLine(text: string, index: LineIndex, directives: readonly Directive[], code: string, line: number, script = false): Edit | undefined {
  const start = index.lineStart(line);
  const content = text.slice(start, index.lineContentEnd(line));
  if (content.trim() === '' || (script ? content.trimStart() : content).startsWith('#')) return undefined;
  const existing = directives.find((d) => d.kind === 'disable-next-line' && d.scope.start === start && !d.all);
  if (existing) {
    if (existing.codes.includes(code)) return undefined;
    return appendCode(text, existing, code);
  }
  const indent = script ? /^[ \t]*/.exec(content)![0] : '';
  return { span: { start, end: start }, text: `${indent}${DIRECTIVE_PREFIX} disable-next-line=${code}${eolOf(text)}` };
}

/**
 * The edit that silences `code` in the whole file: adds the code to a disable directive at
 * the top of the file, or inserts one there: after a first line `# Generated by ...`,
 * `*table` (editors tell the file type from that line) or `#!` (a script's interpreter),
 * else as the first line. Undefined when the finding at `at` would still lie before the
 * directive.
 */
export function disableForFile(text: string, index: LineIndex, directives: readonly Directive[], code: string, at: number): Edit | undefined {
  const top = topEnd(text, index);
  const existing = directives.find((d) => d.kind === 'disable' && !d.all && d.span.start < top && !d.codes.includes(code));
  if (existing && existing.span.end <= at) return appendCode(text, existing, code);
  const first = text.slice(0, index.lineContentEnd(0));
  const directive = `${DIRECTIVE_PREFIX} disable=${code}`;
  const eol = eolOf(text);
  const afterFirst = /^# Generated by /.test(first) || /^\*\S+\s*$/.test(first) || first.startsWith('#!');
  if (afterFirst && index.lineCount > 1 && index.lineStart(1) <= at) {
    const pos = index.lineStart(1);
    return { span: { start: pos, end: pos }, text: directive + eol };
  }
  if (afterFirst && index.lineCount === 1 && at >= text.length && text.length > 0) {
    // A one-line file: the directive follows it.
    return { span: { start: text.length, end: text.length }, text: eol + directive + eol };
  }
  return { span: { start: 0, end: 0 }, text: directive + eol };
}

/** Where the top of the file ends: the first line that is not blank, a comment or a `*table` line. */
function topEnd(text: string, index: LineIndex): number {
  for (let line = 0; line < index.lineCount; line++) {
    const content = text.slice(index.lineStart(line), index.lineContentEnd(line));
    if (content.trim() === '' || content.startsWith('#') || /^\*\S+\s*$/.test(content)) continue;
    return index.lineStart(line);
  }
  return text.length;
}

/** Adds `,CODE` after the last word of a directive's list (before any `-- note`). */
function appendCode(text: string, directive: Directive, code: string): Edit {
  const line = text.slice(directive.span.start, directive.span.end);
  const m = /^\s*#\s*iptables-lint\s+(disable-next-line|disable)\b\s*(=\s*)?/.exec(line)!;
  const list = line.slice(m[0].length).replace(/\s+(--|#).*$/, '').replace(/\s+$/, '');
  const at = directive.span.start + m[0].length + list.length;
  return { span: { start: at, end: at }, text: `,${code}` };
}

// ---------------------------------------------------------------------------- fix-all edits

/** At most this many changed lines are matched up line by line; beyond, one edit does. */
const MAX_LINE_DIFF = 1000;

/**
 * Edits that turn `before` into `after`: one per changed run of lines, each trimmed to the
 * characters that differ, so that the editor keeps the cursor, folding and markers of the
 * lines in between. Non-overlapping, in text order; none when the texts are equal.
 */
export function minimalEdits(before: string, after: string): Edit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  // Common lines at both ends are never part of an edit.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const offsets = lineOffsets(a);
  const hunks = diffLines(a.slice(head, a.length - tail), b.slice(head, b.length - tail), MAX_LINE_DIFF) ?? [{ aStart: 0, aEnd: a.length - head - tail, bStart: 0, bEnd: b.length - head - tail }];
  return hunks.map((h) => {
    const start = offsets[head + h.aStart];
    const end = offsets[head + h.aEnd];
    return trimmed(before.slice(start, end), b.slice(head + h.bStart, head + h.bEnd).join(''), start);
  });
}

/** The replacement of `old` (at `start`) by `text`, without their common prefix and suffix. */
function trimmed(old: string, text: string, start: number): Edit {
  let p = 0;
  while (p < old.length && p < text.length && old[p] === text[p]) p++;
  let s = 0;
  while (s < old.length - p && s < text.length - p && old[old.length - 1 - s] === text[text.length - 1 - s]) s++;
  return { span: { start: start + p, end: start + old.length - s }, text: text.slice(p, text.length - s) };
}

/** The lines of a text, each with its line ending (the last may have none). */
function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

function lineOffsets(lines: readonly string[]): number[] {
  const out = [0];
  for (const l of lines) out.push(out[out.length - 1] + l.length);
  return out;
}

interface Hunk {
  readonly aStart: number;
  readonly aEnd: number;
  readonly bStart: number;
  readonly bEnd: number;
}

/**
 * The runs of lines that differ between `a` and `b` (Myers' shortest edit script), or
 * undefined when more than `limit` lines are inserted or deleted.
 */
function diffLines(a: readonly string[], b: readonly string[], limit: number): Hunk[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, limit);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return undefined;
  // Walk back through the trace, collecting the lines both sides keep.
  const kept: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[off + k - 1] < vd[off + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[off + prevK];
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      kept.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  kept.reverse();
  const hunks: Hunk[] = [];
  let ai = 0;
  let bi = 0;
  for (const [ka, kb] of [...kept, [n, m] as [number, number]]) {
    if (ka > ai || kb > bi) hunks.push({ aStart: ai, aEnd: ka, bStart: bi, bEnd: kb });
    ai = ka + 1;
    bi = kb + 1;
  }
  return hunks;
}

// Positions in iptables-lint are UTF-16 code-unit offsets into the document text, which is
// what JavaScript strings index by and what LSP's default position encoding counts.
// Lines and columns are derived from offsets only at the edges (LSP, CLI output).

/** A half-open range [start, end) of UTF-16 offsets into the document. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface LineCol {
  /** 0-based line */
  readonly line: number;
  /** 0-based UTF-16 column */
  readonly character: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

export function spanCovering(first: Span, last: Span): Span {
  return { start: Math.min(first.start, last.start), end: Math.max(first.end, last.end) };
}

/** Maps offsets to line/column and back. Only `\n` ends a line, as for iptables-restore. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of the line's content, before any `\r\n` or `\n`. */
  lineContentEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > this.lineStart(line) && this.text[next - 1] === '\r' ? next - 1 : next;
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): LineCol {
    const line = this.lineOf(offset);
    return { line, character: offset - this.starts[line] };
  }

  offset(pos: LineCol): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }
}

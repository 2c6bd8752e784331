// Expected findings written inside fixtures as caret lines under the culprit:
//
//   -A INPUT -p tcp --dport 23 -j DROPP
//   #                             ^^^^^ IPT104 did you mean 'DROP'
//
// A caret line starts with `#` (so iptables-restore skips it and fixtures still load into a
// real kernel); its carets sit in the columns of the text they point at, on the closest
// line above that is not itself a caret line. An optional text after the code must appear
// in the message. A single caret right after the `#` (`#^ IPT120`) stands for the whole
// line above, from column 0 (which a caret cannot reach, the `#` being there).

export interface Expectation {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly code: string;
  readonly message?: string;
}

const CARET_LINE = /^#(\s*)(\^+)\s+(IPT\d{3})(?:\s+(.*))?$/;

export function isCaretLine(text: string): boolean {
  return CARET_LINE.test(text);
}

export function readExpectations(text: string): Expectation[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: Expectation[] = [];
  let target = -1;
  lines.forEach((line, i) => {
    const m = CARET_LINE.exec(line);
    if (!m) {
      target = i;
      return;
    }
    const start = 1 + m[1].length;
    const wholeLine = start === 1 && m[2].length === 1;
    const end = wholeLine ? (lines[target] ?? '').length : start + m[2].length;
    out.push({ line: target, start: wholeLine ? 0 : start, end, code: m[3], message: m[4]?.trim() || undefined });
  });
  return out;
}

// Every file under test-fixtures/syntax/ and test-fixtures/checks/ is linted and its
// findings compared with the caret annotations it carries: each annotation must be found,
// and nothing else may be. Files under syntax/ok/ carry no annotation, so they must be clean.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyse, familyFromPath } from '../../src/analysis';
import { readExpectations } from '../support/annotations';
import { FIXTURES, listFiles } from '../support/paths';

function describeFinding(f: { line: number; start: number; end: number; code: string; message?: string }): string {
  return `${f.line + 1}:${f.start}-${f.end} ${f.code}${f.message ? ` ${f.message}` : ''}`;
}

describe('fixtures with caret annotations', function () {
  const files = [...listFiles(path.join(FIXTURES, 'syntax')), ...listFiles(path.join(FIXTURES, 'checks'))];
  it('has fixtures', () => assert.ok(files.length > 10, `only ${files.length} fixtures`));
  for (const file of files) {
    const name = path.relative(FIXTURES, file);
    it(name, function () {
      const text = fs.readFileSync(file, 'utf8');
      const { findings, tree } = analyse(text, { family: familyFromPath(file) });
      const actual = findings.map((f) => {
        const s = tree.index.position(f.span.start);
        const e = tree.index.position(f.span.end);
        // A finding over several lines is compared on its first line.
        const end = e.line === s.line ? e.character : tree.index.lineContentEnd(s.line) - tree.index.lineStart(s.line);
        return { line: s.line, start: s.character, end, code: f.code, message: f.message };
      });
      const expected = readExpectations(text);
      const missing = expected.filter((e) => !actual.some((a) => a.line === e.line && a.start === e.start && a.end === e.end && a.code === e.code && (!e.message || a.message.includes(e.message))));
      const unexpected = actual.filter((a) => !expected.some((e) => a.line === e.line && a.start === e.start && a.end === e.end && a.code === e.code));
      assert.deepStrictEqual(
        { missing: missing.map(describeFinding), unexpected: unexpected.map(describeFinding) },
        { missing: [], unexpected: [] },
      );
    });
  }
});

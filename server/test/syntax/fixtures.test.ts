// Every file under test-fixtures/syntax/ is linted and its findings compared with the caret
// annotations it carries. Files under ok/ must produce no finding at all.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyse, familyFromPath } from '../../src/analysis';
import { readExpectations } from '../support/annotations';
import { FIXTURES, listFiles } from '../support/paths';

function describeFinding(f: { line: number; start: number; end: number; code: string; message?: string }): string {
  return `${f.line + 1}:${f.start}-${f.end} ${f.code}${f.message ? ` ${f.message}` : ''}`;
}

describe('syntax fixtures (caret annotations)', function () {
  const files = listFiles(path.join(FIXTURES, 'syntax'));
  it('has fixtures', () => assert.ok(files.length > 10, `only ${files.length} fixtures`));
  for (const file of files) {
    const name = path.relative(FIXTURES, file);
    it(name, function () {
      const text = fs.readFileSync(file, 'utf8');
      const { findings, tree } = analyse(text, { family: familyFromPath(file) });
      const actual = findings.map((f) => {
        const s = tree.index.position(f.span.start);
        const e = tree.index.position(f.span.end);
        return { line: s.line, start: s.character, end: e.line === s.line ? e.character : s.character + 1, code: f.code, message: f.message };
      });
      const expected = readExpectations(text);
      if (name.startsWith(`syntax${path.sep}ok`)) assert.deepStrictEqual(actual.map(describeFinding), [], 'a clean fixture must have no findings');
      const missing = expected.filter((e) => !actual.some((a) => a.line === e.line && a.start === e.start && a.end === e.end && a.code === e.code && (!e.message || a.message.includes(e.message))));
      const unexpected = actual.filter((a) => !expected.some((e) => a.line === e.line && a.start === e.start && a.end === e.end && a.code === e.code));
      assert.deepStrictEqual(
        { missing: missing.map(describeFinding), unexpected: unexpected.map(describeFinding) },
        { missing: [], unexpected: [] },
      );
    });
  }
});

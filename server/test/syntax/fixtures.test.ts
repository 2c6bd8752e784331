// Every file under test-fixtures/syntax/ and test-fixtures/checks/ is linted and its
// findings compared with the caret annotations it carries: each annotation must be found,
// and nothing else of the checks the fixture is about may be. A fixture is about the codes
// its annotations name, plus: under syntax/, every syntax and load check (IPT1xx; files
// under syntax/ok/ carry no annotation, so they must be free of those); under
// checks/IPTnnn-name/, check IPTnnn. Other checks' findings on a fixture are their own
// fixtures' business, so that adding a check does not rewrite every other check's files.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyse, familyFromPath } from '../../src/analysis';
import { readExpectations } from '../support/annotations';
import { FIXTURES, listFiles } from '../support/paths';

function describeFinding(f: { line: number; start: number; end: number; code: string; message?: string }): string {
  return `${f.line + 1}:${f.start}-${f.end} ${f.code}${f.message ? ` ${f.message}` : ''}`;
}

/** Which findings a fixture is about (see the top of this file). */
function codesAbout(name: string, expected: readonly { code: string }[]): (code: string) => boolean {
  const named = new Set(expected.map((e) => e.code));
  const own = /^checks[\\/](IPT\d{3})-/.exec(name)?.[1];
  const syntax = name.startsWith('syntax');
  return (code) => named.has(code) || code === own || (syntax && /^IPT1\d\d$/.test(code));
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
      const about = codesAbout(name, expected);
      const relevant = actual.filter((a) => about(a.code));
      const missing = expected.filter((e) => !relevant.some((a) => a.line === e.line && a.start === e.start && a.end === e.end && a.code === e.code && (!e.message || a.message.includes(e.message))));
      const unexpected = relevant.filter((a) => !expected.some((e) => a.line === e.line && a.start === e.start && a.end === e.end && a.code === e.code));
      assert.deepStrictEqual(
        { missing: missing.map(describeFinding), unexpected: unexpected.map(describeFinding) },
        { missing: [], unexpected: [] },
      );
    });
  }
});

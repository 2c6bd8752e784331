// Hover and completion are asked at every position a person can put the cursor: neither may
// throw on any offset of any fixture, broken ones included (a throw would show an error box).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyse } from '../../src/analysis';
import { completionsAt } from '../../src/ide/completion';
import { hoverAt } from '../../src/ide/hover';
import { FIXTURES, ROOT } from '../support/paths';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('hover and completion at every offset of the fixtures', function () {
  this.timeout(120000);
  it('never throw, and hover says something on most rule words', function () {
    const files = filesUnder(FIXTURES).filter((f) => !/\.(json|md)$/.test(f));
    assert.ok(files.length > 20, 'fixtures found');
    let withHover = 0;
    let inRuleWords = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const analysis = analyse(text, { semantics: false });
      for (let offset = 0; offset <= text.length; offset++) {
        const failure = (what: string, e: unknown) => new Error(`${what} threw at ${path.relative(ROOT, file)}:${offset}: ${(e as Error).stack}`);
        let hover;
        try {
          hover = hoverAt(analysis, offset);
        } catch (e) {
          throw failure('hover', e);
        }
        try {
          completionsAt(analysis, offset);
          completionsAt(analysis, offset, ' ');
        } catch (e) {
          throw failure('completion', e);
        }
        if (/^-[AI] /.test(text.slice(text.lastIndexOf('\n', offset - 1) + 1)) && /\S/.test(text[offset] ?? '')) {
          inRuleWords++;
          if (hover) withHover++;
        }
      }
    }
    assert.ok(withHover / inRuleWords > 0.9, `hover on ${withHover} of ${inRuleWords} characters of rule words`);
  });
});

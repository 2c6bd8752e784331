// Every real-world ruleset of the shared corpus must be read without an exception; the
// number of findings per file is recorded so changes in behaviour show up in review.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyse, familyFromPath } from '../../src/analysis';
import { corpusDir, listFiles } from '../support/paths';

const dir = corpusDir('real-world');

describe('real-world corpus', function () {
  if (!dir) {
    it('skipped: ../shared/corpus/real-world is not present');
    return;
  }
  it('reads every file without an exception and records its findings', function () {
    const rows: string[] = [];
    const failures: string[] = [];
    let total = 0;
    for (const file of listFiles(dir)) {
      const rel = path.relative(dir, file);
      if (rel === 'README.md') continue;
      const text = fs.readFileSync(file, 'utf8');
      try {
        const { findings, tree } = analyse(text, { family: familyFromPath(file) });
        const rules = tree.lines.filter((l) => l.kind === 'rule').length;
        const byCode = new Map<string, number>();
        for (const f of findings) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
        const codes = [...byCode.entries()].sort().map(([c, n]) => `${c}x${n}`).join(' ');
        rows.push(`${rel}: ${rules} rule lines, ${findings.length} findings${codes ? ` (${codes})` : ''}`);
        total += findings.length;
      } catch (e) {
        failures.push(`${rel}: ${(e as Error).stack}`);
      }
    }
    console.log(`    ${rows.length} files, ${total} findings:\n      ${rows.join('\n      ')}`);
    assert.deepStrictEqual(failures, []);
  });
});

// Every check is registered once, named and documented as the project's conventions say,
// and its documentation page in docs/rules is up to date.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allDocsPages, requiredSections } from '../src/checks/docs';
import { ALL_CHECKS } from '../src/checks/registry';
import { ROOT } from './support/paths';

describe('check registry', function () {
  it('gives every check a unique IPTnnn code and a unique kebab-case name describing the pattern', function () {
    const codes = new Set<string>();
    const names = new Set<string>();
    for (const c of ALL_CHECKS) {
      assert.match(c.code, /^IPT\d{3}$/, c.code);
      assert.match(c.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, c.name);
      assert.doesNotMatch(c.name, /^(avoid|do-not|prefer|use)-/, `${c.name} names the fix, not the pattern`);
      assert.ok(!codes.has(c.code), `duplicate code ${c.code}`);
      assert.ok(!names.has(c.name), `duplicate name ${c.name}`);
      codes.add(c.code);
      names.add(c.name);
    }
  });

  it('documents every check with the required sections', function () {
    for (const c of ALL_CHECKS) {
      for (const section of requiredSections(c)) assert.ok(c.docs.includes(section), `${c.code} ${c.name} lacks "${section}"`);
      assert.ok(c.summary.length > 10 && !c.summary.endsWith('.'), `${c.code}: summary`);
    }
  });

  it('has up-to-date pages in docs/rules (run `npm run docs` after changing a check)', function () {
    const dir = path.join(ROOT, 'docs', 'rules');
    for (const [name, text] of allDocsPages()) {
      const file = path.join(dir, name);
      assert.ok(fs.existsSync(file), `docs/rules/${name} is missing`);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), text, `docs/rules/${name} is stale`);
    }
  });
});

// The loopback, reply, INVALID and outbound checks (IPT301-304, IPT307): every fix of every
// finding in their fixtures, applied to the file, removes the finding without bringing
// another of these checks, and the fixed file still loads into the kernel.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyse, familyFromPath, Finding } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { applyEdits } from '../../src/checks/edits';
import { kernelUnavailable, loadAll } from '../support/kernel';
import { FIXTURES } from '../support/paths';

const CODES = ['IPT301', 'IPT302', 'IPT303', 'IPT304', 'IPT307'];
const FOLDERS = ['IPT301-missing-loopback', 'IPT302-missing-established', 'IPT303-late-established', 'IPT304-invalid-not-dropped', 'IPT307-outbound-blocked'];

interface Fixed {
  readonly name: string;
  readonly text: string;
  readonly family: Family;
}

function ours(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => CODES.includes(f.code));
}

function count(findings: readonly Finding[], code: string): number {
  return findings.filter((f) => f.code === code).length;
}

function lint(text: string, family?: Family) {
  return analyse(text, { family });
}

describe('policy checks on loopback, replies, INVALID and outbound traffic', function () {
  const fixed: Fixed[] = [];
  const files = FOLDERS.flatMap((folder) =>
    fs
      .readdirSync(path.join(FIXTURES, 'checks', folder))
      .filter((f) => !f.startsWith('clean-'))
      .map((f) => path.join(FIXTURES, 'checks', folder, f)),
  );

  for (const file of files) {
    const name = path.relative(path.join(FIXTURES, 'checks'), file);
    it(`${name}: every fix removes its finding and brings no other`, function () {
      const text = fs.readFileSync(file, 'utf8');
      const family = familyFromPath(file);
      const before = lint(text, family);
      const found = ours(before.findings);
      assert.ok(found.length > 0, 'the fixture triggers none of the checks');
      for (const finding of found) {
        assert.ok(finding.fixes.length > 0, `${finding.code} '${finding.message}' has no fix`);
        for (const fix of finding.fixes) {
          const after = lint(applyEdits(text, fix.edits), family);
          assert.ok(!after.findings.some((f) => /^IPT1\d\d$/.test(f.code) && f.severity === 'error'), `'${fix.title}' breaks the file`);
          const now = ours(after.findings);
          assert.ok(count(now, finding.code) < count(found, finding.code), `'${fix.title}' leaves ${finding.code}: ${now.map((f) => f.message).join(' | ')}`);
          for (const code of CODES) assert.ok(count(now, code) <= count(found, code), `'${fix.title}' brings ${code}: ${now.filter((f) => f.code === code).map((f) => f.message).join(' | ')}`);
          assert.strictEqual(fix.effect.kind, 'only');
          fixed.push({ name: `${name} / ${fix.title}`, text: applyEdits(text, fix.edits), family: before.tree.blocks[0]?.family ?? 'ipv4' });
        }
      }
    });
  }

  it('writes the reply rule with the state module when the file uses it', function () {
    const text = fs.readFileSync(path.join(FIXTURES, 'checks', 'IPT302-missing-established', 'state-module.rules'), 'utf8');
    const [finding] = lint(text).findings.filter((f) => f.code === 'IPT302');
    const out = applyEdits(text, finding.fixes[0].edits);
    assert.match(out, /-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n/);
  });

  it('leaves a blocked reply rule to IPT303, not IPT202', function () {
    const text = fs.readFileSync(path.join(FIXTURES, 'checks', 'IPT303-late-established', 'udp-drop-first.rules'), 'utf8');
    const { findings } = lint(text);
    assert.deepStrictEqual(
      findings.filter((f) => f.code === 'IPT303' || f.code === 'IPT202').map((f) => f.code),
      ['IPT303'],
    );
  });

  it('names the rule that blocks loopback traffic, and moves the loopback rule up rather than adding one', function () {
    const text = fs.readFileSync(path.join(FIXTURES, 'checks', 'IPT301-missing-loopback', 'loopback-after-udp-drop.rules'), 'utf8');
    const [finding] = lint(text).findings.filter((f) => f.code === 'IPT301');
    assert.deepStrictEqual(finding.witnessFate, { table: 'filter', outcome: 'DROP', line: 7 });
    assert.strictEqual(finding.related.length, 1);
    const out = applyEdits(text, finding.fixes[0].edits);
    assert.strictEqual(out.match(/-A INPUT -i lo -j ACCEPT/g)?.length, 1);
    assert.match(out, /:OUTPUT ACCEPT \[0:0\]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p udp -j DROP\n/);
  });

  it('offers DNS over UDP and over TCP as two unsafe fixes, UDP first', function () {
    const text = fs.readFileSync(path.join(FIXTURES, 'checks', 'IPT307-outbound-blocked', 'no-dns.rules'), 'utf8');
    const [finding] = lint(text).findings.filter((f) => f.code === 'IPT307');
    assert.deepStrictEqual(
      finding.fixes.map((f) => [f.safety, f.preferred, f.effect.kind === 'only' ? f.effect.match.join(' ') : '']),
      [
        ['unsafe', true, '-p udp --dport 53'],
        ['unsafe', false, '-p tcp --dport 53'],
      ],
    );
  });

  it('the fixed files load into the kernel', function () {
    const why = kernelUnavailable();
    if (why) {
      console.log(`    skipped: ${why}`);
      return this.skip();
    }
    assert.ok(fixed.length > 0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-policy-'));
    try {
      const inputs = fixed.map((f, i) => {
        const p = path.join(dir, `fixed-${i}.rules`);
        fs.writeFileSync(p, f.text);
        return { path: p, family: f.family, name: f.name };
      });
      const verdicts = loadAll(inputs);
      const refused = inputs.filter((i) => (verdicts.get(i.path) ?? []).some((v) => v.refused)).map((i) => `${i.name}: ${verdicts.get(i.path)!.find((v) => v.refused)!.message}`);
      assert.deepStrictEqual(refused, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

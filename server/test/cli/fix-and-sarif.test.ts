// The command line's --fix, --unsafe-fixes, JSON fixes and SARIF output, run as a user
// runs them (dist/cli.js), plus the fix loop in process over every fixture.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { familyFromPath } from '../../src/analysis';
import { fixText } from '../../src/cli/main';
import { LineIndex } from '../../src/syntax/text';
import { FIXTURES, listFiles, ROOT } from '../support/paths';

function cli(args: string[], options: { input?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], { input: options.input, cwd: options.cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-fix-'));
}

/** Missing COMMIT, `-g ACCEPT` and CRLF line endings: three safe fixes; `--dport` without -p: two unsafe choices. */
const BROKEN = '*filter\r\n:INPUT ACCEPT [0:0]\r\n-A INPUT -i lo -j ACCEPT\r\n-A INPUT -g ACCEPT\r\n-A INPUT --dport 53 -j ACCEPT\r\n';

/** Applies LSP-style edits (0-based line/character ranges) to a text. */
function applyRangeEdits(text: string, edits: ReadonlyArray<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>): string {
  const index = new LineIndex(text);
  const spans = edits.map((e) => ({ start: index.offset(e.range.start), end: index.offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

describe('command line: --fix', function () {
  this.timeout(60000);

  it('fixes files in place, lists each fix with its line, and reports what is left', function () {
    const dir = tempDir();
    const file = path.join(dir, 'rules.v4');
    fs.writeFileSync(file, BROKEN);
    const r = cli(['--fix', file]);
    const fixed = fs.readFileSync(file, 'utf8');
    assert.ok(!fixed.includes('\r'), 'CRLF converted');
    assert.match(fixed, /^-A INPUT -j ACCEPT$/m);
    assert.match(fixed, /^COMMIT\n$/m);
    // The unsafe choice (-p tcp or -p udp) is left to the reader.
    assert.match(fixed, /^-A INPUT --dport 53 -j ACCEPT$/m);
    assert.match(r.stdout, /rules\.v4: applied 3 fixes:/);
    assert.match(r.stdout, /line 1: Convert the file to Unix \(LF\) line endings \(IPT125\)/);
    assert.match(r.stdout, /line 4: Use -j ACCEPT \(IPT136\)/);
    assert.match(r.stdout, /line \d: Add COMMIT after line 5 \(IPT120\)/);
    // What is left: the --dport error, so exit status 1.
    assert.match(r.stdout, /rules\.v4:5:\d+: error IPT102/);
    assert.strictEqual(r.status, 1);
    fs.rmSync(dir, { recursive: true });
  });

  it('applies unsafe fixes with --unsafe-fixes', function () {
    const dir = tempDir();
    const file = path.join(dir, 'rules.v4');
    fs.writeFileSync(file, BROKEN);
    const r = cli(['--unsafe-fixes', file]);
    assert.match(fs.readFileSync(file, 'utf8'), /^-A INPUT -p tcp --dport 53 -j ACCEPT$/m);
    assert.match(r.stdout, /Add '-p tcp' before --dport \(IPT102\)/);
    assert.doesNotMatch(r.stdout, /error IPT1/);
    fs.rmSync(dir, { recursive: true });
  });

  it('is idempotent: a second --fix changes nothing', function () {
    const dir = tempDir();
    const files = ['IPT120-missing-commit.rules', 'IPT125-crlf.rules', 'IPT136-goto-verdict.rules', 'IPT102-option-before-protocol.rules'].map((name) => {
      const copy = path.join(dir, name);
      fs.copyFileSync(path.join(FIXTURES, 'syntax', 'err', name), copy);
      return copy;
    });
    const first = cli(['--fix', ...files]);
    assert.match(first.stdout, /applied/);
    const after = files.map((f) => fs.readFileSync(f, 'utf8'));
    const second = cli(['--fix', ...files]);
    assert.doesNotMatch(second.stdout, /applied/);
    assert.deepStrictEqual(
      files.map((f) => fs.readFileSync(f, 'utf8')),
      after,
    );
    fs.rmSync(dir, { recursive: true });
  });

  it("prints the fixed text of '-' on standard output, and the rest on standard error", function () {
    const r = cli(['--fix', '-'], { input: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -g ACCEPT\n' });
    assert.strictEqual(r.stdout, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n');
    assert.match(r.stderr, /<stdin>: applied 2 fixes/);
    assert.match(r.stderr, /1 file checked/);
  });

  it('leaves every fixture with nothing more to fix after one pass (in process)', function () {
    const files = listFiles(FIXTURES).filter((f) => /\.(rules|v4|v6)$/.test(f));
    const problems: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const unsafeFixes of [false, true]) {
        const args = { family: familyFromPath(file), unsafeFixes };
        const once = fixText(file, text, args);
        const twice = fixText(file, once.text, args);
        const name = `${path.relative(FIXTURES, file)}${unsafeFixes ? ' (unsafe)' : ''}`;
        if (!once.converged) problems.push(`${name}: fixes kept appearing`);
        if (twice.changes.length) problems.push(`${name}: a second pass still applies ${twice.changes.map((c) => `${c.code} "${c.title}"`).join(', ')}`);
      }
    }
    assert.deepStrictEqual(problems, []);
  });
});

describe('command line: JSON fixes', function () {
  this.timeout(60000);

  it('gives each diagnostic its fixes with 0-based ranges, which reproduce the fix when applied', function () {
    const dir = tempDir();
    const file = path.join(dir, 'rules.v4');
    fs.writeFileSync(file, BROKEN);
    const out = JSON.parse(cli(['--format', 'json', file]).stdout);
    const diagnostics = out[0].diagnostics as Array<{ code: string; fixes: Array<{ title: string; safety: string; preferred: boolean; edits: Array<{ range: never; newText: string }> }> }>;
    assert.ok(diagnostics.every((d) => Array.isArray(d.fixes)));
    const goto = diagnostics.find((d) => d.code === 'IPT136')!;
    assert.deepStrictEqual(goto.fixes, [{ title: 'Use -j ACCEPT', safety: 'safe', preferred: true, edits: [{ range: { start: { line: 3, character: 9 }, end: { line: 3, character: 11 } }, newText: '-j' }] }]);
    const dport = diagnostics.find((d) => d.code === 'IPT102')!;
    assert.deepStrictEqual(
      dport.fixes.map((f) => [f.title, f.safety, f.preferred]),
      [
        ["Add '-p tcp' before --dport", 'unsafe', false],
        ["Add '-p udp' before --dport", 'unsafe', false],
      ],
    );
    assert.match(applyRangeEdits(BROKEN, dport.fixes[1].edits), /-A INPUT -p udp --dport 53 -j ACCEPT/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('command line: SARIF', function () {
  this.timeout(60000);
  const LEVELS = ['none', 'note', 'warning', 'error'];

  it('emits a SARIF 2.1.0 log with every check as a rule and every diagnostic as a result', function () {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'etc iptables'));
    const file = path.join(dir, 'etc iptables', 'rules.v4');
    fs.writeFileSync(file, BROKEN);
    const r = cli(['--format', 'sarif', path.join('etc iptables', 'rules.v4')], { cwd: dir });
    assert.strictEqual(r.status, 1);
    const log = JSON.parse(r.stdout);
    // The top level (sarifLog): version and schema; exactly one run here.
    assert.strictEqual(log.version, '2.1.0');
    assert.strictEqual(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.strictEqual(log.runs.length, 1);
    const run = log.runs[0];
    // tool.driver (toolComponent): name required; rules are reportingDescriptors.
    const driver = run.tool.driver;
    assert.strictEqual(driver.name, 'iptables-lint');
    assert.strictEqual(typeof driver.version, 'string');
    assert.match(driver.informationUri, /^https:\/\//);
    assert.ok(driver.rules.length > 40);
    const ids = new Set<string>();
    for (const rule of driver.rules) {
      assert.match(rule.id, /^IPT\d{3}$/);
      assert.ok(!ids.has(rule.id), `rule ${rule.id} twice`);
      ids.add(rule.id);
      assert.match(rule.name, /^[a-z0-9-]+$/);
      assert.ok(rule.shortDescription.text.length > 0 && rule.fullDescription.text.length > 0, rule.id);
      assert.ok(rule.help.text.length > 0 && rule.help.markdown.includes('## What it means'), rule.id);
      assert.match(rule.helpUri, /^https:\/\/.*\/docs\/rules\/IPT\d{3}\.md$/);
      assert.ok(LEVELS.includes(rule.defaultConfiguration.level), rule.id);
    }
    assert.ok(run.results.length >= 4);
    for (const res of run.results) {
      // ruleId and ruleIndex agree; level and message as the schema has them.
      assert.ok(ids.has(res.ruleId), res.ruleId);
      assert.strictEqual(driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(LEVELS.includes(res.level));
      assert.ok(res.message.text.length > 0);
      const loc = res.locations[0].physicalLocation;
      // Relative to the current directory, percent-encoded, '/' separated.
      assert.strictEqual(loc.artifactLocation.uri, 'etc%20iptables/rules.v4');
      const reg = loc.region;
      for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(reg[k]) && reg[k] >= 1, `${k} ${reg[k]}`);
      assert.ok(reg.endLine > reg.startLine || (reg.endLine === reg.startLine && reg.endColumn >= reg.startColumn));
      for (const rel of res.relatedLocations ?? []) {
        assert.ok(Number.isInteger(rel.id) && rel.id >= 0);
        assert.ok(rel.physicalLocation.region.startLine >= 1 && rel.message.text.length > 0);
      }
    }
    // The goto result: 1-based columns, the end column exclusive.
    const goto = run.results.find((x: { ruleId: string }) => x.ruleId === 'IPT136');
    assert.deepStrictEqual(goto.locations[0].physicalLocation.region, { startLine: 4, startColumn: 13, endLine: 4, endColumn: 19 });
    assert.strictEqual(goto.level, 'error');
    fs.rmSync(dir, { recursive: true });
  });

  it("gives the preferred fix as SARIF fix replacements that reproduce it", function () {
    const dir = tempDir();
    const file = path.join(dir, 'rules.v4');
    fs.writeFileSync(file, BROKEN);
    const run = JSON.parse(cli(['--format', 'sarif', 'rules.v4'], { cwd: dir }).stdout).runs[0];
    const json = JSON.parse(cli(['--format', 'json', 'rules.v4'], { cwd: dir }).stdout)[0].diagnostics;
    const withFix = run.results.filter((x: { fixes?: unknown[] }) => x.fixes);
    // One SARIF fix per result that has a preferred fix; none for the unsafe choices.
    assert.deepStrictEqual(
      withFix.map((x: { ruleId: string }) => x.ruleId).sort(),
      json.filter((d: { fixes: Array<{ preferred: boolean }> }) => d.fixes.some((f) => f.preferred)).map((d: { code: string }) => d.code).sort(),
    );
    assert.ok(!withFix.some((x: { ruleId: string }) => x.ruleId === 'IPT102'));
    for (const res of withFix) {
      assert.strictEqual(res.fixes.length, 1);
      const change = res.fixes[0].artifactChanges[0];
      assert.strictEqual(change.artifactLocation.uri, 'rules.v4');
      assert.ok(res.fixes[0].description.text.length > 0);
      // SARIF regions (1-based) back to LSP ranges, applied: the same text as the JSON fix.
      const edits = change.replacements.map((rep: { deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }) => ({
        range: { start: { line: rep.deletedRegion.startLine - 1, character: rep.deletedRegion.startColumn - 1 }, end: { line: rep.deletedRegion.endLine - 1, character: rep.deletedRegion.endColumn - 1 } },
        newText: rep.insertedContent.text,
      }));
      const preferred = json.find((d: { code: string; message: string }) => d.code === res.ruleId && d.message === res.message.text).fixes.find((f: { preferred: boolean }) => f.preferred);
      assert.strictEqual(applyRangeEdits(BROKEN, edits), applyRangeEdits(BROKEN, preferred.edits), res.ruleId);
    }
    fs.rmSync(dir, { recursive: true });
  });

  it('writes files outside the current directory as file: URIs', function () {
    const dir = tempDir();
    const file = path.join(dir, 'rules.v4');
    fs.writeFileSync(file, BROKEN);
    const run = JSON.parse(cli(['--format', 'sarif', file], { cwd: os.homedir() }).stdout).runs[0];
    assert.match(run.results[0].locations[0].physicalLocation.artifactLocation.uri, /^file:\/\/\/.*\/rules\.v4$/);
    fs.rmSync(dir, { recursive: true });
  });
});

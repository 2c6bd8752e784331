// The bundled CLI (dist/cli.js), run as a user runs it.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, ROOT } from '../support/paths';

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BROKEN = path.join(FIXTURES, 'syntax', 'err', 'IPT104-unknown-target.rules');
const CLEAN = path.join(FIXTURES, 'syntax', 'ok', 'router-nat.rules');

describe('command line', function () {
  it('prints file:line:col: severity CODE message and exits 1 on errors', function () {
    const r = cli([BROKEN]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /IPT104-unknown-target\.rules:5:31: error IPT104 Unknown target or chain 'DROPP' \(did you mean 'DROP'\?\)/);
    assert.match(r.stdout, /1 file checked: 1 error/);
  });

  it('exits 0 on a clean file', function () {
    const r = cli([CLEAN]);
    assert.strictEqual(r.status, 0, r.stdout);
    assert.match(r.stdout, /no problems found/);
  });

  it('emits JSON with 0-based LSP positions, code, name and tags', function () {
    const r = cli(['--format', 'json', BROKEN, CLEAN]);
    const out = JSON.parse(r.stdout);
    assert.strictEqual(out.length, 2);
    assert.strictEqual(out[0].file, BROKEN);
    const d = out[0].diagnostics[0];
    assert.deepStrictEqual(
      { code: d.code, name: d.name, severity: d.severity, range: d.range, tags: d.tags },
      { code: 'IPT104', name: 'unknown-target', severity: 'error', range: { start: { line: 4, character: 30 }, end: { line: 4, character: 35 } }, tags: [] },
    );
    assert.deepStrictEqual(out[1].diagnostics, []);
  });

  it("reads standard input for '-'", function () {
    const r = cli(['--format=json', '-'], '*filter\n-A INPUT -j DROPP\nCOMMIT\n');
    assert.strictEqual(r.status, 1);
    assert.strictEqual(JSON.parse(r.stdout)[0].file, '-');
  });

  it('exits 2 on usage errors and unreadable files, and prints help with no arguments', function () {
    assert.strictEqual(cli(['--format', 'xml', BROKEN]).status, 2);
    assert.strictEqual(cli(['--bogus']).status, 2);
    const missing = cli([path.join(os.tmpdir(), 'does-not-exist.rules')]);
    assert.strictEqual(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*ENOENT/);
    const none = cli([]);
    assert.strictEqual(none.status, 2);
    assert.match(none.stderr, /Usage: iptables-lint/);
    assert.strictEqual(cli(['--help']).status, 0);
  });

  it('uses the file name to tell IPv6 rulesets', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-cli-'));
    const file = path.join(dir, 'rules.v6');
    fs.writeFileSync(file, '*filter\n-A INPUT -s 2001:db8::/32 -p ipv6-icmp -j ACCEPT\nCOMMIT\n');
    assert.strictEqual(cli([file]).status, 0);
    fs.rmSync(dir, { recursive: true });
  });

  it('lints shell scripts: problems at the words of their iptables commands, nothing about the rest', function () {
    const script = '#!/bin/sh\nIPT=/sbin/iptables\necho starting\nfor port in 22 80; do\n  $IPT -A INPUT -p tcp --dprot $port -j ACCEPT\ndone\n';
    const r = cli(['-'], script);
    assert.strictEqual(r.status, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /shell script/);
    // Reported once, although the loop runs the command twice.
    assert.strictEqual(r.stdout.match(/IPT101/g)?.length, 1, r.stdout);
    assert.match(r.stdout, /^-:5:24: error IPT101 Unknown option '--dprot' \(did you mean '--dport'\?\)/m);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-cli-'));
    const file = path.join(dir, 'firewall.sh');
    fs.writeFileSync(file, 'iptables -F\niptables -A INPUT -i lo -j ACCEPT\n');
    const clean = cli([file]);
    assert.strictEqual(clean.status, 0, clean.stdout);
    assert.match(clean.stdout, /1 file checked/);
    fs.rmSync(dir, { recursive: true });
  });

  it('reads the nearest .iptables-lint.json, or --config, and reports its problems as a file of their own', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-cli-'));
    fs.mkdirSync(path.join(dir, 'hosts'));
    const file = path.join(dir, 'hosts', 'rules.v4');
    fs.writeFileSync(file, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
    assert.match(cli([file]).stdout, /warning IPT201/);
    fs.writeFileSync(path.join(dir, '.iptables-lint.json'), '{\n  "disable": ["unreachable-rule", "IPT2O3"]\n}\n');
    const r = cli([file]);
    assert.strictEqual(r.status, 0);
    assert.doesNotMatch(r.stdout, /IPT201/);
    assert.match(r.stdout, /\.iptables-lint\.json:2:35: warning IPT392 "IPT2O3" is not the code or name of an iptables-lint check/);
    assert.match(r.stdout, /^1 file checked/m);
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, '{"severity": {"IPT201": "error"}}');
    assert.match(cli(['--config', other, file]).stdout, /error IPT201/);
    const missing = cli(['--config', path.join(dir, 'missing.json'), file]);
    assert.strictEqual(missing.status, 2);
    assert.match(missing.stderr, /cannot read the configuration/);
    const bad = cli(['--must-allow', 'tcp/0', file]);
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--must-allow: port 0 in 'tcp\/0' is out of range/);
    fs.rmSync(dir, { recursive: true });
  });
});

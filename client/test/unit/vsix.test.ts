// Builds the VSIX exactly as `npm run package` does and checks what a user would install: only
// what runs (bundles, grammar, manifest, the checks' documentation pages), nothing from the
// sources, tests or tools, every file the manifest points at, and a small size.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALL_CHECKS } from '../../../server/src/checks/registry';
import { listZipEntries, ZipEntry } from './zipEntries';

const ROOT = process.env.IPTABLES_LINT_ROOT ?? path.resolve(__dirname, '..', '..', '..', '..');
const MAX_VSIX_BYTES = 5 * 1024 * 1024;

/** What may be inside extension/ in the VSIX (see .vscodeignore; vsce renames README and LICENSE). */
const ALLOWED = [
  /^package\.json$/,
  /^dist\/[^/]+\.js$/,
  /^syntaxes\/[^/]+\.json$/,
  /^language-configuration\.json$/,
  /^images\/icon\.png$/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE\.txt$/,
  /^docs\/rules\/[^/]+\.md$/,
];

const FORBIDDEN = [/(^|\/)src\//, /(^|\/)test\//, /(^|\/)node_modules\//, /^\.e2e\//, /^test-fixtures\//, /^scripts\//, /^out\//, /^\.out-/, /\.map$/, /\.ts$/];

function packageVsix(outDir: string): string {
  const vsix = path.join(outDir, 'test.vsix');
  execFileSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { cwd: ROOT, stdio: 'pipe' });
  return vsix;
}

describe('VSIX package (npm run package)', function () {
  let tmp: string;
  let vsix: string;
  let entries: ZipEntry[];
  /** Paths inside the installed extension folder (the zip's extension/ prefix removed). */
  let files: string[];

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-vsix-test-'));
    vsix = packageVsix(tmp);
    entries = listZipEntries(vsix);
    files = entries.filter((e) => e.name.startsWith('extension/')).map((e) => e.name.slice('extension/'.length));
  });

  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is smaller than 5 MB', function () {
    const size = fs.statSync(vsix).size;
    assert.ok(size < MAX_VSIX_BYTES, `VSIX is ${size} bytes`);
  });

  it('holds only the extension folder and the two VSIX metadata files', function () {
    const outside = entries.map((e) => e.name).filter((name) => !name.startsWith('extension/'));
    assert.deepStrictEqual(outside.sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
  });

  it('contains nothing from sources, tests, dependencies, tools or source maps', function () {
    assert.deepStrictEqual(files.filter((f) => FORBIDDEN.some((re) => re.test(f))), []);
  });

  it('contains only files the installed extension uses (the .vscodeignore allowlist)', function () {
    assert.deepStrictEqual(files.filter((f) => !ALLOWED.some((re) => re.test(f))), []);
  });

  it('contains the bundles, the grammar, the icon, the licence and the readme', function () {
    for (const required of ['package.json', 'dist/client.js', 'dist/server.js', 'language-configuration.json', 'images/icon.png', 'LICENSE.txt', 'readme.md']) {
      assert.ok(files.includes(required), `${required} missing from ${files.join(', ')}`);
    }
  });

  it('contains the documentation page of every check (opened by the quick fix "Show documentation")', function () {
    const pages = ['docs/rules/README.md', ...ALL_CHECKS.map((c) => `docs/rules/${c.code}.md`)];
    assert.deepStrictEqual(pages.filter((p) => !files.includes(p)), []);
  });

  it('contains every file its manifest points at', function () {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const referenced: string[] = [
      manifest.main,
      manifest.icon,
      ...manifest.contributes.grammars.map((g: { path: string }) => g.path),
      ...manifest.contributes.languages.filter((l: { configuration?: string }) => l.configuration).map((l: { configuration: string }) => l.configuration),
    ].map((p: string) => path.posix.normalize(p));
    assert.deepStrictEqual(referenced.filter((p) => !files.includes(p)), []);
  });
});

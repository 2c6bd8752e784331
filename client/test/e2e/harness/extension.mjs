// The extension under test, in the two shapes a user can get it: the files of the VSIX copied into
// an extensions folder (as if installed; fast, no zip), or the VSIX itself.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO } from './paths.mjs';
import { trackTempDir } from './cleanup.mjs';

const require = createRequire(import.meta.url);

export function readManifest() {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
}

/** The folder name VS Code gives an installed extension: publisher.name-version. */
export function installedFolderName(manifest = readManifest()) {
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`;
}

export function extensionId(manifest = readManifest()) {
  return `${manifest.publisher}.${manifest.name}`;
}

/**
 * Copies exactly the files `vsce package` would put into the VSIX (same .vscodeignore, no
 * dependencies) into extensionsDir, so the suite tests what users install and not the work tree.
 * Expects `npm run build` to have run.
 */
export async function installFromWorkTree(extensionsDir) {
  const vsce = require('@vscode/vsce');
  const files = await vsce.listFiles({ cwd: REPO, packageManager: vsce.PackageManager.None });
  const target = path.join(extensionsDir, installedFolderName());
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(path.join(REPO, file), path.join(target, file));
  }
  return target;
}

/**
 * Builds the VSIX with the project's own `npm run package` (which runs the build first) into a
 * temporary directory that is deleted when the run ends, and returns its path.
 */
export function packageVsix() {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-e2e-vsix-'));
  trackTempDir(outDir);
  const { name, version } = readManifest();
  const vsixPath = path.join(outDir, `${name}-${version}.vsix`);
  execFileSync('npm', ['run', '--silent', 'package', '--', '--out', vsixPath], { cwd: REPO, stdio: 'pipe' });
  return vsixPath;
}

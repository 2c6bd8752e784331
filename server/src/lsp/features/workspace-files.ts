// The iptables files of the workspace folders, for workspace symbols: found by the names the
// extension claims in package.json (rules.v4, *.iptables, sysconfig/iptables ...), read
// from disk and analysed once per modification time. Bounded, so a huge folder cannot make
// a symbol search slow: few levels, few files, small files, no hidden or dependency folders.

import { promises as fs } from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { analyse, Analysis, detectFileKind, familyFromPath } from '../../analysis';

const FILE_NAMES = new Set(['rules.v4', 'rules.v6', 'iptables.rules', 'ip6tables.rules', 'iptables.up.rules', 'ip6tables.up.rules', 'rules-save']);
const MAX_DEPTH = 6;
const MAX_ENTRIES = 5000;
const MAX_FILES = 100;
const MAX_BYTES = 2_000_000;

export function isIptablesFileName(file: string): boolean {
  const base = path.basename(file);
  if (FILE_NAMES.has(base) || /\.ip6?tables$/.test(base)) return true;
  return /^ip6?tables$/.test(base) && path.basename(path.dirname(file)) === 'sysconfig';
}

/** Paths of iptables files under `root`, breadth first, within the bounds above. */
export async function findIptablesFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  let visited = 0;
  let level = [root];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0 && found.length < MAX_FILES; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (++visited > MAX_ENTRIES || found.length >= MAX_FILES) return found;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') next.push(full);
        else if (entry.isFile() && isIptablesFileName(full)) found.push(full);
      }
    }
    level = next;
  }
  return found;
}

const cache = new Map<string, { mtimeMs: number; analysis: Analysis | undefined }>();

/** The syntax-level analysis of a file on disk, or undefined when it is not a dump (or too big). */
export async function analyseFile(file: string): Promise<Analysis | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat || stat.size > MAX_BYTES) return undefined;
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs) return hit.analysis;
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  const analysis = text !== undefined && detectFileKind(text, file) === 'dump' ? analyse(text, { family: familyFromPath(file), semantics: false }) : undefined;
  cache.set(file, { mtimeMs: stat.mtimeMs, analysis });
  return analysis;
}

export function folderPath(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined; // not a file: URI (a remote or virtual folder)
  }
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

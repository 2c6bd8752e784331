import * as fs from 'fs';
import * as path from 'path';

/**
 * The project root: tests run from out/server/test/..., or from a compiled copy elsewhere
 * with IPTABLES_LINT_ROOT pointing at the checkout.
 */
export const ROOT = process.env.IPTABLES_LINT_ROOT ?? path.resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test-fixtures');

/** ../shared/corpus next to the project, when this checkout has it. */
export function corpusDir(name: 'real-world' | 'iptables-extension-tests'): string | undefined {
  const dir = process.env.IPTABLES_LINT_CORPUS
    ? path.join(process.env.IPTABLES_LINT_CORPUS, name)
    : path.resolve(ROOT, '..', 'shared', 'corpus', name);
  return fs.existsSync(dir) ? dir : undefined;
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

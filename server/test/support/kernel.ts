// Loads rulesets into the real kernel, inside a throwaway network namespace (`unshare -n`),
// with both iptables backends, and reports whether and where each refused the file.
// Never touches the host's own tables.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Family } from '../../src/catalogue/types';

export type Backend = 'nft' | 'legacy';
export const BACKENDS: readonly Backend[] = ['nft', 'legacy'];

export interface KernelVerdict {
  readonly backend: Backend;
  readonly refused: boolean;
  /** 1-based line the backend blamed, when it said. */
  readonly line?: number;
  readonly message: string;
}

/** Why kernel tests cannot run here, or undefined when they can. */
export function kernelUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root (unshare -n needs it)';
  for (const b of BACKENDS) {
    const probe = spawnSync('unshare', ['-n', `iptables-${b}-restore`, '--version'], { encoding: 'utf8' });
    if (probe.status !== 0) return `iptables-${b}-restore cannot run in a network namespace (${(probe.stderr || probe.error?.message || '').trim()})`;
  }
  return undefined;
}

const RUNNER = `
prog=$1; shift
for f in "$@"; do
  out=$($prog < "$f" 2>&1); rc=$?
  printf '\\n@@@ %s %s\\n%s\\n' "$rc" "$f" "$out"
done
`;

/** The line a backend's error message names, if any. */
export function blamedLine(message: string): number | undefined {
  const m = /Error occurred at line: (\d+)/.exec(message) ?? /\bline:? (\d+)/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

/**
 * Loads each file with iptables-nft-restore and iptables-legacy-restore (ip6tables for
 * IPv6), sequentially in one namespace per backend: every restore flushes the tables it
 * loads, so earlier files do not leak into later ones.
 */
export function loadAll(files: ReadonlyArray<{ readonly path: string; readonly family: Family }>): Map<string, KernelVerdict[]> {
  const results = new Map<string, KernelVerdict[]>();
  const runner = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-kernel-')), 'runner.sh');
  fs.writeFileSync(runner, RUNNER);
  for (const family of ['ipv4', 'ipv6'] as const) {
    const paths = files.filter((f) => f.family === family).map((f) => f.path);
    if (paths.length === 0) continue;
    for (const backend of BACKENDS) {
      const prog = `${family === 'ipv4' ? 'iptables' : 'ip6tables'}-${backend}-restore`;
      // Chunks keep the argument list well under the system limit.
      for (let i = 0; i < paths.length; i += 200) {
        const chunk = paths.slice(i, i + 200);
        const run = spawnSync('unshare', ['-n', 'bash', runner, prog, ...chunk], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        if (run.status !== 0 && !run.stdout) throw new Error(`kernel runner failed: ${run.stderr}`);
        for (const block of run.stdout.split('\n@@@ ').slice(1)) {
          const nl = block.indexOf('\n');
          const [rcText, ...fileParts] = block.slice(0, nl).split(' ');
          const file = fileParts.join(' ');
          const message = block.slice(nl + 1).trim();
          const refused = Number(rcText) !== 0;
          const verdicts = results.get(file) ?? [];
          verdicts.push({ backend, refused, line: refused ? blamedLine(message) : undefined, message });
          results.set(file, verdicts);
        }
      }
    }
  }
  fs.rmSync(path.dirname(runner), { recursive: true, force: true });
  return results;
}

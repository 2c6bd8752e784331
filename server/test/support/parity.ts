// Compares our verdict on a file with the kernel's: we must report an error exactly when
// the kernel refuses the file, on the line it blames. Where a backend names a COMMIT line
// (nft reports a missing jump target there, legacy every kernel-side refusal), the error
// may be anywhere in the table that COMMIT closes.

import { analyse } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { KernelVerdict } from './kernel';

export interface ParityResult {
  readonly agree: boolean;
  readonly detail: string;
}

interface OurVerdict {
  readonly firstErrorLine?: number; // 1-based
  readonly firstError?: string;
  readonly hostnameLines: ReadonlySet<number>;
}

function ours(text: string, family: Family): OurVerdict {
  const a = analyse(text, { family });
  // Only IPT1xx findings claim that the kernel refuses the file; an error such as a lockout
  // (IPT305) is about what a file that loads fine would do.
  const errors = a.findings.filter((f) => f.severity === 'error' && /^IPT1/.test(f.code));
  const first = errors[0];
  const hostnameLines = new Set(a.findings.filter((f) => f.code === 'IPT130').map((f) => a.tree.index.lineOf(f.span.start) + 1));
  return first
    ? { firstErrorLine: a.tree.index.lineOf(first.span.start) + 1, firstError: `${first.code} ${first.message}`, hostnameLines }
    : { hostnameLines };
}

/** Lines [from, to] (1-based) of the table block whose COMMIT is on line `commit`. */
function blockOf(lines: readonly string[], commit: number): [number, number] {
  for (let i = commit - 2; i >= 0; i--) if (lines[i].startsWith('*')) return [i + 1, commit];
  return [1, commit];
}

function lineAgrees(lines: readonly string[], blamed: number | undefined, ourLine: number): boolean {
  if (blamed === undefined) return true;
  let line = blamed;
  if (line > lines.length || (line === lines.length && lines[line - 1] === '')) {
    line = lines.length;
    // The kernel blames the line after the end; we blame the last line that says something.
    while (line > 1 && (lines[line - 1].trim() === '' || lines[line - 1].startsWith('#'))) line--;
  }
  if (lines[line - 1]?.replace(/\r$/, '') === 'COMMIT' && ourLine !== line) {
    const [from, to] = blockOf(lines, line);
    return ourLine >= from && ourLine <= to;
  }
  return ourLine === line;
}

/**
 * A refusal caused by this machine rather than by the file: a host name without DNS, or
 * an ipset that exists on the user's machine but not in our namespace.
 */
function environmental(v: KernelVerdict, our: OurVerdict): boolean {
  if (/Set \S+ doesn't exist/.test(v.message)) return true;
  return /host\/network .* not found/.test(v.message) && v.line !== undefined && our.hostnameLines.has(v.line);
}

export function compareWithKernel(text: string, family: Family, verdicts: readonly KernelVerdict[]): ParityResult {
  const our = ours(text, family);
  const refusing = verdicts.filter((v) => v.refused && !environmental(v, our));
  const kernelSays = refusing.map((v) => `${v.backend}: line ${v.line ?? '?'}: ${v.message.split('\n')[0]}`).join(' | ') || 'loads';
  const weSay = our.firstError ? `line ${our.firstErrorLine}: ${our.firstError}` : 'no error';
  const detail = `kernel: ${kernelSays}\n        we:     ${weSay}`;
  if (refusing.length === 0) return { agree: our.firstErrorLine === undefined, detail };
  if (our.firstErrorLine === undefined) return { agree: false, detail };
  const lines = text.split('\n');
  return { agree: refusing.some((v) => lineAgrees(lines, v.line, our.firstErrorLine!)), detail };
}

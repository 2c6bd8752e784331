// `iptables-lint [--format text|json] FILE...`: the same analysis as the editor, for
// terminals and CI pipelines.

import * as fs from 'fs';
import { analyse, detectFileKind, familyFromPath } from '../analysis';
import { LineIndex } from '../syntax/text';
import { CliArgs, parseArgs, USAGE, UsageError } from './args';
import { runTrace } from './trace';
import { formatJson } from './report/json';
import { formatText } from './report/text';
import { FileReport } from './report/types';

declare const IPTABLES_LINT_VERSION: string | undefined;

function readInput(file: string): string {
  return file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
}

export function lintText(file: string, text: string, args: Pick<CliArgs, 'family'>): FileReport {
  const family = args.family ?? (file === '-' ? undefined : familyFromPath(file));
  const { findings } = analyse(text, { family });
  const index = new LineIndex(text);
  const range = (s: { start: number; end: number }) => ({ start: index.position(s.start), end: index.position(s.end) });
  return {
    file,
    diagnostics: findings.map((f) => ({
      code: f.code,
      name: f.name,
      severity: f.severity,
      message: f.message,
      range: range(f.span),
      related: f.related.map((r) => ({ file, range: range(r.span), message: r.message })),
      tags: [...f.tags],
      ...(f.witness ? { witness: f.witness } : {}),
    })),
  };
}

export function run(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  if (argv[0] === 'trace') return runTrace(argv.slice(1), out, err);
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`iptables-lint: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.version) {
    out(`iptables-lint ${typeof IPTABLES_LINT_VERSION === 'string' ? IPTABLES_LINT_VERSION : 'dev'}\n`);
    return 0;
  }
  if (args.help || args.files.length === 0) {
    (args.help ? out : err)(USAGE);
    return args.help ? 0 : 2;
  }
  const reports: FileReport[] = [];
  let unreadable = false;
  for (const file of args.files) {
    let text: string;
    try {
      text = readInput(file);
    } catch (e) {
      err(`iptables-lint: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      unreadable = true;
      continue;
    }
    if (detectFileKind(text, file) === 'shell') {
      err(`iptables-lint: skipping ${file}: it looks like a shell script, and shell scripts are not checked yet\n`);
      continue;
    }
    reports.push(lintText(file, text, args));
  }
  out(args.format === 'json' ? formatJson(reports) : formatText(reports));
  if (unreadable) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

export function main(): void {
  process.exitCode = run(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}

if (require.main === module) main();

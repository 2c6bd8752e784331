// `iptables-lint [--format text|json|sarif] [--fix] FILE...`: the same analysis as the
// editor, for terminals and CI pipelines; --fix applies the fixes fix-all would apply.

import * as fs from 'fs';
import * as path from 'path';
import { analyse, detectFileKind, familyFromPath, Finding } from '../analysis';
import { fixAll } from '../fixes/apply';
import { codeOf } from '../checks/registry';
import { ConfigProblem, DEFAULT_CONFIG, LintConfig, parseConfigFile, resolveConfig } from '../config/config';
import { LineIndex } from '../syntax/text';
import { CliArgs, parseArgs, USAGE, UsageError } from './args';
import { runTrace } from './trace';
import { formatJson } from './report/json';
import { formatSarif } from './report/sarif';
import { formatText } from './report/text';
import { FileReport } from './report/types';

declare const IPTABLES_LINT_VERSION: string | undefined;

function readInput(file: string): string {
  return file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
}

/** A rules file or a shell script (by its name and content; standard input by its content). */
function kindOf(file: string, text: string) {
  return detectFileKind(text, file === '-' ? '' : file);
}

function familyOf(file: string, args: Pick<CliArgs, 'family'>) {
  return args.family ?? (file === '-' ? undefined : familyFromPath(file));
}

export function lintText(file: string, text: string, args: Pick<CliArgs, 'family'>, config: LintConfig = DEFAULT_CONFIG): FileReport {
  const { findings } = analyse(text, { family: familyOf(file, args), config, kind: kindOf(file, text) });
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
      fixes: f.fixes.map((x) => ({ title: x.title, safety: x.safety, preferred: !!x.preferred, edits: x.edits.map((e) => ({ range: range(e.span), newText: e.text })) })),
    })),
  };
}

export interface FixedText {
  readonly text: string;
  /** What was applied, in order: the fix's title, the finding's code and its 1-based line (in the text of that round). */
  readonly changes: ReadonlyArray<{ readonly title: string; readonly code: string; readonly line: number }>;
  /** False when fixes kept appearing round after round (a bug in some fix). */
  readonly converged: boolean;
}

/** Applies the fixes fix-all would apply (the safe ones, or all with `unsafe`), round after round until none is left. */
export function fixText(file: string, text: string, args: Pick<CliArgs, 'family' | 'unsafeFixes'>, config: LintConfig = DEFAULT_CONFIG): FixedText {
  const family = familyOf(file, args);
  const kind = kindOf(file, text);
  const lines = new Map<Finding, number>();
  const lint = (t: string): readonly Finding[] => {
    const { findings, tree } = analyse(t, { family, config, kind });
    for (const f of findings) lines.set(f, tree.index.lineOf(f.span.start) + 1);
    return findings;
  };
  const result = fixAll(text, lint, { unsafe: args.unsafeFixes });
  return { text: result.text, converged: result.converged, changes: result.applied.map((a) => ({ title: a.fix.title, code: a.finding.code, line: lines.get(a.finding) ?? 0 })) };
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
  const configs = new ConfigFinder(args, reports);
  if (args.config !== undefined && !configs.readable(args.config)) {
    err(`iptables-lint: cannot read the configuration ${args.config}\n`);
    return 2;
  }
  const version = typeof IPTABLES_LINT_VERSION === 'string' ? IPTABLES_LINT_VERSION : 'dev';
  // The list of changes goes with the text report; beside JSON, SARIF or a fixed text on
  // standard output, it goes to standard error.
  const changesOut = args.format === 'text' && !args.files.includes('-') ? out : err;
  for (const file of args.files) {
    let text: string;
    try {
      text = readInput(file);
    } catch (e) {
      err(`iptables-lint: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      unreadable = true;
      continue;
    }
    const config = configs.configFor(file);
    if (!config) {
      err(`iptables-lint: the setting --must-allow: ${configs.mustAllowProblem}\n`);
      return 2;
    }
    if (args.fix) {
      const fixed = fixText(file, text, args, config);
      if (file === '-') out(fixed.text);
      else if (fixed.text !== text) {
        try {
          fs.writeFileSync(file, fixed.text);
        } catch (e) {
          err(`iptables-lint: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
          unreadable = true;
          continue;
        }
      }
      changesOut(describeChanges(file, fixed));
      text = fixed.text;
    }
    reports.push(lintText(file, text, args, config));
  }
  if (args.fix && args.files.includes('-')) err(formatReport(reports, args.format, version));
  else out(formatReport(reports, args.format, version));
  if (unreadable) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

function formatReport(reports: readonly FileReport[], format: CliArgs['format'], version: string): string {
  if (format === 'json') return formatJson(reports);
  if (format === 'sarif') return formatSarif(reports, { version });
  return formatText(reports);
}

function describeChanges(file: string, fixed: FixedText): string {
  const name = file === '-' ? '<stdin>' : file;
  const warning = fixed.converged ? '' : `${name}: stopped fixing: fixes kept appearing round after round (please report this)\n`;
  if (fixed.changes.length === 0) return warning;
  const lines = fixed.changes.map((c) => `    line ${c.line}: ${c.title} (${c.code})`);
  return [`${name}: applied ${fixed.changes.length} fix${fixed.changes.length === 1 ? '' : 'es'}:`, ...lines].join('\n') + '\n' + warning;
}

/**
 * The configuration of each file: --config, or the nearest .iptables-lint.json above it,
 * with --must-allow on top. A configuration file's problems are reported once, as a report
 * of their own.
 */
class ConfigFinder {
  private readonly parsed = new Map<string, LintConfig>();
  mustAllowProblem?: string;

  constructor(
    private readonly args: CliArgs,
    private readonly reports: FileReport[],
  ) {}

  readable(file: string): boolean {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  }

  configFor(file: string): LintConfig | undefined {
    const source = this.args.config ?? this.nearest(file === '-' ? process.cwd() : path.dirname(path.resolve(file)));
    const base = source ? this.read(source) : DEFAULT_CONFIG;
    if (!this.args.mustAllow) return base;
    const { config, problems } = resolveConfig({ mustAllow: this.args.mustAllow }, codeOf, undefined, base);
    if (problems.length) {
      this.mustAllowProblem = problems[0].message;
      return undefined;
    }
    return config;
  }

  private nearest(dir: string): string | undefined {
    for (let d = dir; ; d = path.dirname(d)) {
      const candidate = path.join(d, '.iptables-lint.json');
      if (fs.existsSync(candidate)) return candidate;
      if (path.dirname(d) === d) return undefined;
    }
  }

  private read(file: string): LintConfig {
    const known = this.parsed.get(file);
    if (known) return known;
    let text = '';
    let problems: ConfigProblem[];
    let config = DEFAULT_CONFIG;
    try {
      text = fs.readFileSync(file, 'utf8');
      ({ config, problems } = parseConfigFile(text, codeOf));
    } catch (e) {
      problems = [{ message: `cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, start: 0, end: 0 }];
    }
    this.parsed.set(file, config);
    if (problems.length) this.reports.push(configReport(file, text, problems));
    return config;
  }
}

function configReport(file: string, text: string, problems: readonly ConfigProblem[]): FileReport {
  const index = new LineIndex(text);
  return {
    file,
    config: true,
    diagnostics: problems.map((p) => ({
      code: 'IPT392',
      name: 'invalid-config',
      severity: 'warning',
      message: p.message,
      range: { start: index.position(p.start), end: index.position(p.end) },
      related: [],
      tags: [],
      fixes: [],
    })),
  };
}

export function main(): void {
  process.exitCode = run(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}

if (require.main === module) main();

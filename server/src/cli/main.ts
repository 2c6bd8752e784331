// `iptables-lint [--format text|json] FILE...`: the same analysis as the editor, for
// terminals and CI pipelines.

import * as fs from 'fs';
import * as path from 'path';
import { analyse, detectFileKind, familyFromPath } from '../analysis';
import { codeOf } from '../checks/registry';
import { ConfigProblem, DEFAULT_CONFIG, LintConfig, parseConfigFile, resolveConfig } from '../config/config';
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

export function lintText(file: string, text: string, args: Pick<CliArgs, 'family'>, config: LintConfig = DEFAULT_CONFIG): FileReport {
  const family = args.family ?? (file === '-' ? undefined : familyFromPath(file));
  const { findings } = analyse(text, { family, config });
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
  const configs = new ConfigFinder(args, reports);
  if (args.config !== undefined && !configs.readable(args.config)) {
    err(`iptables-lint: cannot read the configuration ${args.config}\n`);
    return 2;
  }
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
    const config = configs.configFor(file);
    if (!config) {
      err(`iptables-lint: the setting --must-allow: ${configs.mustAllowProblem}\n`);
      return 2;
    }
    reports.push(lintText(file, text, args, config));
  }
  out(args.format === 'json' ? formatJson(reports) : formatText(reports));
  if (unreadable) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
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
    })),
  };
}

export function main(): void {
  process.exitCode = run(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}

if (require.main === module) main();

// The facade every front end uses: text in, findings out, as plain data with offsets.
// Neither the language server nor the CLI look below this file for diagnostics.

import { Family } from './catalogue/types';
import { CheckContext } from './checks/context';
import { checkByCode, checkByName, codeOf, SEMANTIC_CHECKS } from './checks/registry';
import { CheckReport, Fix, SemanticCheck, Severity, Tag, WitnessFate } from './checks/types';
import { applyDirectives, Directive, findDirectives } from './checks/suppressions';
import { DEFAULT_CONFIG, LintConfig } from './config/config';
import { Witness } from './semantics/witness';
import { loadProblems } from './model/load-checks';
import { buildRuleset, Ruleset } from './model/ruleset';
import { allSyntaxProblems, DumpTree, parseDump } from './syntax/dump';
import { Problem } from './syntax/problems';
import { isScriptTree, parseScript, ScriptTree } from './syntax/script';
import { Span } from './syntax/text';

export interface Finding {
  readonly code: string;
  readonly name: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
  readonly tags: readonly Tag[];
  /** Remedies, the preferred one first (empty when there is no mechanical one). */
  readonly fixes: readonly Fix[];
  /** A concrete packet that shows the problem (findings about traffic). */
  readonly witness?: Witness;
  /** What the finding claims happens to the witness. */
  readonly witnessFate?: WitnessFate;
}

export interface AnalysisOptions {
  /** Family to assume when the file does not say; guessed from the content when absent. */
  readonly family?: Family;
  /** Run the semantic checks (default true); syntax and load checks always run. */
  readonly semantics?: boolean;
  /** Disabled checks, severities, services that must stay reachable. */
  readonly config?: LintConfig;
  /** A rules file or a shell script; guessed from the text (detectFileKind) when absent. */
  readonly kind?: FileKind;
}

export interface Analysis {
  readonly tree: DumpTree;
  readonly ruleset: Ruleset;
  readonly findings: Finding[];
}

/** Guesses the family from a file name: rules.v6, ip6tables.rules, *.ip6tables ... */
export function familyFromPath(path: string): Family | undefined {
  const base = path.split(/[\\/]/).pop() ?? '';
  if (/(^|[^a-z])(rules\.v6|ip6tables)/i.test(base) || /\.ip6tables$/i.test(base)) return 'ipv6';
  if (/(^|[^a-z])(rules\.v4|iptables)/i.test(base) || /\.iptables$/i.test(base)) return 'ipv4';
  return undefined;
}

export type FileKind = 'dump' | 'shell';

/** A line that runs iptables or ip6tables, directly, by path, after sudo, or through a variable. */
const IPTABLES_LINE = /^[ \t]*(sudo[ \t]+)?(\$\{?\w*IP6?T\w*\}?|\/\S*\/)?ip6?tables(-legacy|-nft)?(-restore)?([ \t]|$)|^[ \t]*\$\{?IP6?T(ABLES)?6?\}?[ \t]/im;
const SHEBANG = /^#!\s*\S*\b(sh|bash|dash|ash|ksh|zsh|busybox|env)\b/;

/**
 * Tells an iptables-save dump from a shell script that runs iptables commands: a shell
 * shebang or a .sh/.bash name makes a script; otherwise a `*table` line makes a dump, and a
 * text with neither is a script when it runs iptables commands.
 */
export function detectFileKind(text: string, path = ''): FileKind {
  if (SHEBANG.test(text) || /\.(sh|bash)$/.test(path)) return 'shell';
  if (/^\*(filter|nat|mangle|raw|security)\s*$/m.test(text)) return 'dump';
  return IPTABLES_LINE.test(text) && mostlyShell(text) ? 'shell' : 'dump';
}

/** Most non-blank lines read as shell (commands, assignments, comments), not as prose or listings. */
function mostlyShell(text: string): boolean {
  let shell = 0;
  let other = 0;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    if (/^(#|[A-Za-z_][\w]*=|\$|\/|(sudo|iptables|ip6tables|echo|if|then|else|elif|fi|for|do|done|while|case|esac|export|modprobe|sysctl|set|exit|function|\{|\}|\[)\b)/.test(t) || /^[\w.-]+\s*\(\)/.test(t)) shell++;
    else other++;
  }
  return shell >= other;
}

function toFinding(problem: Problem): Finding | undefined {
  const check = checkByName(problem.kind);
  if (!check) return undefined;
  const fixes: Fix[] = problem.suggestion
    ? [{ title: problem.suggestion.title ?? `Change to '${problem.suggestion.text}'`, edits: [{ span: problem.suggestion.span, text: problem.suggestion.text }], safety: 'safe', preferred: true, effect: { kind: 'load' } }]
    : [];
  // Further remedies; a suggestion's fix stays the preferred one.
  for (const f of problem.fixes ?? []) fixes.push(fixes.length && f.preferred ? { ...f, preferred: false } : f);
  return {
    code: check.code,
    name: check.name,
    severity: problem.severity ?? check.severity,
    message: problem.message,
    span: problem.span,
    related: problem.related ?? [],
    tags: check.tags ?? [],
    fixes,
  };
}

export function analyse(text: string, options: AnalysisOptions = {}): Analysis {
  const config = options.config ?? DEFAULT_CONFIG;
  const kind = options.kind ?? detectFileKind(text);
  const tree = kind === 'shell' ? parseScript(text) : parseDump(text, { family: options.family });
  const ruleset = buildRuleset(tree);
  const problems = [...allSyntaxProblems(tree), ...scriptLoadProblems(tree, loadProblems(tree, ruleset))];
  let findings: Finding[] = problems.map((p) => toFinding(p) ?? unregistered(p));
  const semantics = options.semantics !== false;
  if (semantics) findings.push(...semanticFindings(tree, ruleset, findings, config));
  if (isScriptTree(tree)) findings = scriptFindings(tree, findings);
  const directives = findDirectives(text, tree.index, codeOf, { indented: isScriptTree(tree) });
  const configured = applyConfig(findings, directives, config, { reportUnused: semantics });
  configured.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return { tree, ruleset, findings: configured };
}

/**
 * Applies the configuration and the suppression comments: drops disabled and suppressed
 * findings, sets configured severities, and reports directives that name no check or
 * suppress nothing (only once every check has run: `reportUnused`).
 */
function applyConfig(findings: readonly Finding[], directives: readonly Directive[], config: LintConfig, options: { reportUnused: boolean }): Finding[] {
  const enabled = (code: string) => !config.disabled.includes(code);
  const { kept, used } = applyDirectives(findings.filter((f) => enabled(f.code)), directives);
  const out = [...kept];
  for (const d of directives) {
    for (const word of d.unknown) out.push(lintConfigFinding('IPT391', word.span, `'${word.text}' is not the code or name of an iptables-lint check: this suppression does not work`));
    if (options.reportUnused) out.push(...unusedParts(d, used.get(d)!, enabled));
  }
  // IPT100 (an internal error) keeps its severity: it is not a check one can tune.
  return out.filter((f) => enabled(f.code)).map((f) => (config.severity[f.code] && f.code !== 'IPT100' ? { ...f, severity: config.severity[f.code] } : f));
}

/** IPT390 for a directive that suppressed nothing, or for the codes of it that did not. */
function unusedParts(d: Directive, hits: ReadonlySet<string>, enabled: (code: string) => boolean): Finding[] {
  // A disabled check reports nothing anyway; its code in a directive is not "unused".
  const idle = d.codes.filter((c) => !hits.has(c) && enabled(c));
  if (d.all ? hits.size === 0 : d.codes.length > 0 && idle.length === d.codes.length) {
    const what = d.all ? 'no check' : idle.join(', ');
    const where = d.kind === 'disable' ? 'after it' : 'on the next line';
    const fix: Fix = { title: 'Remove the unused suppression', edits: [{ span: d.wholeLine, text: '' }], safety: 'safe', preferred: true, effect: { kind: 'none' } };
    return [lintConfigFinding('IPT390', d.span, `This suppression is not needed: ${what} reports anything ${where}`, [fix])];
  }
  if (idle.length === 0) return [];
  const plural = idle.length > 1;
  return [lintConfigFinding('IPT390', d.span, `${idle.join(', ')} ${plural ? 'report' : 'reports'} nothing here: ${plural ? 'those codes are' : 'that code is'} not needed in this suppression`)];
}

function lintConfigFinding(code: string, span: Span, message: string, fixes: Fix[] = []): Finding {
  const check = checkByCode(code)!;
  return { code, name: check.name, severity: check.severity, message, span, related: [], tags: check.tags ?? [], fixes };
}


/**
 * Table blocks with an error: the kernel would refuse them, so what they "do" is not a
 * question; the semantic checks leave them alone.
 */
function brokenBlocks(tree: DumpTree, findings: readonly Finding[]): Set<number> {
  const broken = new Set<number>();
  const errors = findings.filter((f) => f.severity === 'error');
  if (isScriptTree(tree)) {
    // A script's blocks interleave: a block is broken by an error in one of its own commands,
    // and left out when the script cannot tell what the table holds.
    tree.blocks.forEach((block, i) => {
      if (tree.script.uncertain.has(i)) broken.add(i);
      const spans = [...block.rules, ...block.chains].map((n) => tree.lines[n].span);
      if (errors.some((f) => spans.some((s) => f.span.start >= s.start && f.span.start <= s.end))) broken.add(i);
    });
    return broken;
  }
  tree.blocks.forEach((block, i) => {
    const start = tree.lines[block.header].span.start;
    const end = tree.lines[block.commit ?? block.last].span.end;
    if (errors.some((f) => f.span.start >= start && f.span.start <= end)) broken.add(i);
  });
  return broken;
}

function semanticFindings(tree: DumpTree, ruleset: Ruleset, syntax: readonly Finding[], config: LintConfig): Finding[] {
  const ctx = new CheckContext(tree, ruleset, brokenBlocks(tree, syntax), config);
  const out: Finding[] = [];
  for (const check of SEMANTIC_CHECKS) {
    if (config.disabled.includes(check.code)) continue;
    let reports: CheckReport[];
    try {
      reports = check.run(ctx);
    } catch (e) {
      // A bug in one check must not take the others (or the editor) down with it.
      out.push(unregistered({ kind: 'internal-error', span: { start: 0, end: 0 }, message: `iptables-lint internal error in ${check.code} ${check.name}: ${(e as Error).message}`, severity: 'info' }));
      continue;
    }
    for (const r of reports) out.push(fromReport(check, r));
  }
  return out;
}

function fromReport(check: SemanticCheck, r: CheckReport): Finding {
  return {
    code: check.code,
    name: check.name,
    severity: r.severity ?? check.severity,
    message: r.message,
    span: r.span,
    related: r.related ?? [],
    tags: check.tags ?? [],
    fixes: r.fixes ?? [],
    ...(r.witness ? { witness: r.witness } : {}),
    ...(r.witnessFate ? { witnessFate: r.witnessFate } : {}),
  };
}

/**
 * The load checks read a block as iptables-restore does, all at once; a script's commands run
 * one by one, and the script reader reports chains used before they exist itself.
 */
function scriptLoadProblems(tree: DumpTree, problems: Problem[]): Problem[] {
  if (!isScriptTree(tree)) return problems;
  const commands = tree.script.commandSpans;
  const inCommand = (s: Span) => commands.some((c) => s.start >= c.start && s.end <= c.end);
  return problems.filter((p) => !(p.kind === 'undeclared-chain' && inCommand(p.span)));
}

/** Checks whose fixes know how to edit a script (the others edit rules files). */
const SCRIPT_AWARE_FIXES = new Set(['IPT403']);

/**
 * Findings of a script: one per place (a command in a loop reports the same problem on each
 * run), and only the fixes that edit the literal text of a command the script runs once:
 * inserted rule lines are written for rules files, and an edit of a variable's value or of a
 * command in a loop or function would change more than the finding is about.
 */
function scriptFindings(tree: ScriptTree, findings: readonly Finding[]): Finding[] {
  const { editable, expansions } = tree.script;
  const inside = (s: Span) => editable.some((c) => s.start >= c.start && s.end <= c.end);
  const touchesExpansion = (s: Span) => expansions.some((e) => s.start < e.end && e.start < s.end + (s.start === s.end ? 1 : 0));
  const editOk = (e: { span: Span; text: string }) => !e.text.includes('\n') && inside(e.span) && !touchesExpansion(e.span);
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.code}@${f.span.start}-${f.span.end}@${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (SCRIPT_AWARE_FIXES.has(f.code) || f.fixes.length === 0) out.push(f);
    else out.push({ ...f, fixes: f.fixes.filter((fix) => fix.edits.every(editOk)) });
  }
  return out;
}

/** A problem kind without a check is a bug in the catalogue; keep it visible rather than lose it. */
function unregistered(p: Problem): Finding {
  return { code: 'IPT100', name: p.kind, severity: p.severity ?? 'error', message: p.message, span: p.span, related: p.related ?? [], tags: [], fixes: [] };
}

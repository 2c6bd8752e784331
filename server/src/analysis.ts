// The facade every front end uses: text in, findings out, as plain data with offsets.
// Neither the language server nor the CLI look below this file for diagnostics.

import { Family } from './catalogue/types';
import { CheckContext } from './checks/context';
import { checkByName, SEMANTIC_CHECKS } from './checks/registry';
import { CheckReport, SemanticCheck, Severity, Tag, WitnessFate } from './checks/types';
import { Witness } from './semantics/witness';
import { loadProblems } from './model/load-checks';
import { buildRuleset, Ruleset } from './model/ruleset';
import { allSyntaxProblems, DumpTree, parseDump } from './syntax/dump';
import { Problem } from './syntax/problems';
import { Span } from './syntax/text';

export interface Finding {
  readonly code: string;
  readonly name: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
  readonly tags: readonly Tag[];
  /** A text replacement that fixes the problem, when one is certain enough to offer. */
  readonly suggestion?: { readonly span: Span; readonly text: string; readonly title: string };
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

/**
 * Tells an iptables-save dump from a shell script that runs iptables commands. A dump has
 * `*table` lines; a script has a shebang or calls iptables. Shell scripts are read by a
 * separate front end (not yet available), so callers skip them.
 */
export function detectFileKind(text: string, path = ''): FileKind {
  if (/^\*(filter|nat|mangle|raw|security)\s*$/m.test(text)) return 'dump';
  if (/\.(sh|bash)$/.test(path) || text.startsWith('#!')) return 'shell';
  return /^\s*(sudo\s+)?(\$\{?\w+\}?|\/\S*\/)?ip6?tables\b|^\s*\$\{?IPT/m.test(text) ? 'shell' : 'dump';
}

function toFinding(problem: Problem): Finding | undefined {
  const check = checkByName(problem.kind);
  if (!check) return undefined;
  const suggestion = problem.suggestion
    ? { span: problem.suggestion.span, text: problem.suggestion.text, title: problem.suggestion.title ?? `Change to '${problem.suggestion.text}'` }
    : undefined;
  return {
    code: check.code,
    name: check.name,
    severity: problem.severity ?? check.severity,
    message: problem.message,
    span: problem.span,
    related: problem.related ?? [],
    tags: check.tags ?? [],
    suggestion,
  };
}

export function analyse(text: string, options: AnalysisOptions = {}): Analysis {
  const tree = parseDump(text, { family: options.family });
  const ruleset = buildRuleset(tree);
  const problems = [...allSyntaxProblems(tree), ...loadProblems(tree, ruleset)];
  const findings: Finding[] = problems.map((p) => toFinding(p) ?? unregistered(p));
  if (options.semantics !== false) findings.push(...semanticFindings(tree, ruleset, findings));
  findings.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return { tree, ruleset, findings };
}

/**
 * Table blocks with an error: the kernel would refuse them, so what they "do" is not a
 * question; the semantic checks leave them alone.
 */
function brokenBlocks(tree: DumpTree, findings: readonly Finding[]): Set<number> {
  const broken = new Set<number>();
  const errors = findings.filter((f) => f.severity === 'error');
  tree.blocks.forEach((block, i) => {
    const start = tree.lines[block.header].span.start;
    const end = tree.lines[block.commit ?? block.last].span.end;
    if (errors.some((f) => f.span.start >= start && f.span.start <= end)) broken.add(i);
  });
  return broken;
}

function semanticFindings(tree: DumpTree, ruleset: Ruleset, syntax: readonly Finding[]): Finding[] {
  const ctx = new CheckContext(tree, ruleset, brokenBlocks(tree, syntax));
  const out: Finding[] = [];
  for (const check of SEMANTIC_CHECKS) {
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
    ...(r.witness ? { witness: r.witness } : {}),
    ...(r.witnessFate ? { witnessFate: r.witnessFate } : {}),
  };
}

/** A problem kind without a check is a bug in the catalogue; keep it visible rather than lose it. */
function unregistered(p: Problem): Finding {
  return { code: 'IPT100', name: p.kind, severity: p.severity ?? 'error', message: p.message, span: p.span, related: p.related ?? [], tags: [] };
}

// Format document: each rule line rewritten in the canonical form iptables-save prints, but
// only where that provably keeps the rule's meaning. A rule is left exactly as written when
// anything is doubtful: it has an error or a warning, the printer cannot print it (host
// names, unknown modules, values the printer refuses), it would become several rules
// (`-s a,b`), or its printed form does not read back to the same printed form. Counters,
// comments, blank lines, table, chain and COMMIT lines are never touched.
// Plain data with spans; no LSP here.

import { Analysis } from '../analysis';
import { RuleLine, TableBlock } from '../syntax/dump';
import { NotPrintable, printRule } from '../syntax/printer';
import { parseRule, RuleSyntax } from '../syntax/rule';
import { isScriptTree } from '../syntax/script';
import { Span } from '../syntax/text';
import { splitRestoreWords } from '../syntax/words';

export interface FormatEdit {
  readonly span: Span;
  readonly text: string;
}

/** The edits that format the document, or the lines that touch `range` when one is given. */
export function formatEdits(analysis: Analysis, range?: Span): FormatEdit[] {
  const { tree } = analysis;
  const edits: FormatEdit[] = [];
  // A script's commands are shell: quoting, variables and loops are the writer's; left as written.
  if (isScriptTree(tree)) return edits;
  const doubtful = linesWithErrorOrWarning(analysis);
  for (const b of tree.blocks) {
    for (const index of b.rules) {
      const node = tree.lines[index] as RuleLine;
      if (range && (node.span.end < range.start || node.span.start > range.end)) continue;
      if (doubtful.has(node.line)) continue;
      const text = formattedLine(analysis, node, b);
      if (text !== undefined && text !== tree.text.slice(node.span.start, node.span.end)) edits.push({ span: node.span, text });
    }
  }
  return edits;
}

/** The rule line in canonical form (counters kept as written), or undefined when it cannot be printed. */
export function formattedLine(analysis: Analysis, node: RuleLine, block: TableBlock): string | undefined {
  const counters = node.counters ? analysis.tree.text.slice(node.span.start, node.counters.span.end) + ' ' : '';
  const written = analysis.tree.text.slice(node.span.start + counters.length, node.span.end);
  const canonical = canonicalRule(node.rule, block, written);
  return canonical === undefined ? undefined : counters + canonical;
}

/** Document lines touched by an error or a warning: their rules are left as written. */
function linesWithErrorOrWarning(analysis: Analysis): Set<number> {
  const index = analysis.tree.index;
  const lines = new Set<number>();
  for (const f of analysis.findings) {
    if (f.severity !== 'error' && f.severity !== 'warning') continue;
    for (let line = index.lineOf(f.span.start); line <= index.lineOf(f.span.end); line++) lines.add(line);
  }
  return lines;
}

/**
 * The one line iptables-save would print for the rule, when reading that line back gives
 * the same rule: it prints the same and raises no problem the original did not have.
 */
export function canonicalRule(rule: RuleSyntax, block: TableBlock, written?: string): string | undefined {
  const ctx = { family: block.family, table: block.table };
  const printed = printOrUndefined(rule, ctx);
  if (printed?.length !== 1) return undefined; // unprintable, or one line becomes several rules
  const text = printed[0];
  if (text === written) return text; // already canonical: nothing to prove
  const reread = parseRule(splitRestoreWords(text, 0, text.length).words, { ...ctx, restore: true, span: { start: 0, end: text.length } });
  const known = new Set(rule.problems.map((p) => p.kind));
  if (reread.problems.some((p) => !known.has(p.kind))) return undefined;
  const again = printOrUndefined(reread, ctx);
  return again?.length === 1 && again[0] === text ? text : undefined;
}

function printOrUndefined(rule: RuleSyntax, ctx: Parameters<typeof printRule>[1]): string[] | undefined {
  try {
    return printRule(rule, ctx);
  } catch (e) {
    if (e instanceof NotPrintable) return undefined;
    throw e;
  }
}

// Building the edits of fixes on a rules file: new rule lines in the file's own style, and
// inserting, deleting and moving whole rule lines. A position inside a chain is only
// offered when the chain's rules appear in the file in chain order (the usual -A-only
// dump), so that "before line N" in the file really means "before rule N" in the chain.

import { Rule, TableModel } from '../model/ruleset';
import { DumpTree, RuleLine } from '../syntax/dump';
import { Span } from '../syntax/text';
import { Edit } from './types';

/** How the file writes its rules, so that inserted rules look like their neighbours. */
export interface RuleStyle {
  /** Rules carry `[packets:bytes]` counters (iptables-save -c). */
  readonly counters: boolean;
  /** The file matches connection states with `-m state --state`, never with conntrack. */
  readonly stateModule: boolean;
  /** The file writes long options (`--jump`, `--in-interface`). */
  readonly longOptions: boolean;
  /** The file's line ending. */
  readonly eol: string;
}

const LONG: Record<string, string> = {
  '-A': '--append',
  '-I': '--insert',
  '-i': '--in-interface',
  '-o': '--out-interface',
  '-p': '--protocol',
  '-s': '--source',
  '-d': '--destination',
  '-j': '--jump',
  '-g': '--goto',
  '-m': '--match',
};

export function styleOf(tree: DumpTree): RuleStyle {
  let counters = 0;
  let rules = 0;
  let state = false;
  let conntrack = false;
  let long = 0;
  let short = 0;
  for (const node of tree.lines) {
    if (node.kind !== 'rule') continue;
    rules++;
    if (node.counters) counters++;
    for (const m of node.rule.matches) {
      if (m.name === 'state') state = true;
      if (m.name === 'conntrack') conntrack = true;
    }
    for (const w of node.words) {
      if (w.text === '--jump' || w.text === '--append' || w.text === '--in-interface' || w.text === '--protocol') long++;
      else if (w.text === '-j' || w.text === '-A' || w.text === '-i' || w.text === '-p') short++;
    }
  }
  return { counters: rules > 0 && counters * 2 > rules, stateModule: state && !conntrack, longOptions: long > short, eol: tree.text.includes('\r\n') ? '\r\n' : '\n' };
}

/** The words that match connection states, with the module the file uses. */
export function stateWords(style: RuleStyle, states: string): string[] {
  return style.stateModule ? ['-m', 'state', '--state', states] : ['-m', 'conntrack', '--ctstate', states];
}

/** One rule line, `-A CHAIN words...`, in the file's style (short options given are lengthened if the file uses long ones). */
export function ruleLine(style: RuleStyle, chain: string, words: readonly string[]): string {
  const opt = (w: string) => (style.longOptions ? (LONG[w] ?? w) : w);
  const text = [opt('-A'), chain, ...words.map(opt)].join(' ');
  return style.counters ? `[0:0] ${text}` : text;
}

/** The rule's line, without its line ending. */
export function lineOf(tree: DumpTree, rule: Rule): RuleLine {
  return tree.lines[rule.node] as RuleLine;
}

/** The span of a whole line, its line ending included. */
function wholeLine(tree: DumpTree, line: number): Span {
  const start = tree.index.lineStart(line);
  const end = line + 1 < tree.index.lineCount ? tree.index.lineStart(line + 1) : tree.text.length;
  return { start, end };
}

/** Whether the chain's rules appear in the file in chain order (positions in it can be edited). */
export function inFileOrder(model: TableModel, chain: string): boolean {
  const rules = model.chains.get(chain)?.rules ?? [];
  for (let i = 1; i < rules.length; i++) if (rules[i].node <= rules[i - 1].node) return false;
  return rules.every((r) => lineOfCommand(r) === 'append');
}

function lineOfCommand(rule: Rule): string | undefined {
  return rule.syntax.command?.id;
}

/** Inserts rule lines (already formatted) just before a rule. */
export function insertBefore(tree: DumpTree, style: RuleStyle, rule: Rule, lines: readonly string[]): Edit {
  const at = wholeLine(tree, lineOf(tree, rule).line).start;
  return { span: { start: at, end: at }, text: lines.map((l) => l + style.eol).join('') };
}

/** Inserts rule lines just after a rule. */
export function insertAfter(tree: DumpTree, style: RuleStyle, rule: Rule, lines: readonly string[]): Edit {
  const line = lineOf(tree, rule).line;
  const at = wholeLine(tree, line).end;
  // A last line without a line ending needs one before what follows it.
  const lead = at === tree.text.length && !tree.text.endsWith('\n') ? style.eol : '';
  return { span: { start: at, end: at }, text: lead + lines.map((l) => l + style.eol).join('') };
}

/**
 * Inserts rule lines at the start of a chain (before its first rule), or, for a chain with
 * no rules, at the end of its table block (before COMMIT). Undefined when the chain's
 * rules are not in file order, or the block has no COMMIT to insert before.
 */
export function insertAtStart(tree: DumpTree, style: RuleStyle, model: TableModel, chain: string, lines: readonly string[]): Edit | undefined {
  if (!inFileOrder(model, chain)) return undefined;
  const first = model.chains.get(chain)?.rules[0];
  if (first) return insertBefore(tree, style, first, lines);
  return insertAtBlockEnd(tree, style, model, lines);
}

/** Inserts rule lines after the last rule of a chain (or at the end of the block when it has none). */
export function insertAtEnd(tree: DumpTree, style: RuleStyle, model: TableModel, chain: string, lines: readonly string[]): Edit | undefined {
  if (!inFileOrder(model, chain)) return undefined;
  const rules = model.chains.get(chain)?.rules ?? [];
  if (rules.length) return insertAfter(tree, style, rules[rules.length - 1], lines);
  return insertAtBlockEnd(tree, style, model, lines);
}

function insertAtBlockEnd(tree: DumpTree, style: RuleStyle, model: TableModel, lines: readonly string[]): Edit | undefined {
  const block = tree.blocks[model.block];
  if (block.commit === undefined) return undefined;
  const at = wholeLine(tree, tree.lines[block.commit].line).start;
  return { span: { start: at, end: at }, text: lines.map((l) => l + style.eol).join('') };
}

/** Deletes a rule's whole line. */
export function deleteRule(tree: DumpTree, rule: Rule): Edit {
  return { span: wholeLine(tree, lineOf(tree, rule).line), text: '' };
}

/**
 * Moves a rule's line to just before another rule's line (in the same chain). Two edits:
 * the deletion and the insertion, which never overlap.
 */
export function moveBefore(tree: DumpTree, style: RuleStyle, rule: Rule, before: Rule): Edit[] {
  const line = lineOf(tree, rule);
  const text = tree.text.slice(line.span.start, line.span.end);
  return [insertBefore(tree, style, before, [text]), deleteRule(tree, rule)];
}

/** Applies non-overlapping edits to a text (for tests and the CLI's --fix). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
  return out;
}

// The shape of the file for the editor: folding ranges (table blocks, runs of rules of one
// chain, runs of comment lines), semantic tokens (what each word is, beyond what the
// TextMate grammar can tell: a built-in or a user chain, an address or a port) and
// selection ranges (value > option > rule > the chain's run of rules > table block).
// Plain data with spans and line numbers; no LSP here.

import { BUILTIN_CHAINS, TableName } from '../catalogue/types';
import { Analysis } from '../analysis';
import { ChainLine, DumpTree, LineNode, RuleLine, TableBlock, TableLine } from '../syntax/dump';
import { isBuiltin, OptionItem } from '../syntax/rule';
import { Span } from '../syntax/text';
import { Word } from '../syntax/words';
import { lineAt, touches } from './locate';
import { isScriptTree } from '../syntax/script';

// ---------------------------------------------------------------------------- runs

/** Consecutive rules of one chain in one block (comment and blank lines between them do not end a run). */
export interface ChainRun {
  readonly block: number;
  readonly chain: string;
  /** Indexes into tree.lines of the first and last rule of the run. */
  readonly first: number;
  readonly last: number;
}

function ruleChain(node: LineNode): string | undefined {
  return node.kind === 'rule' ? (node.rule.command?.chain?.text ?? '') : undefined;
}

export function chainRuns(tree: DumpTree): ChainRun[] {
  const runs: ChainRun[] = [];
  tree.blocks.forEach((b, block) => {
    let run: { chain: string; first: number; last: number } | undefined;
    const close = () => {
      if (run) runs.push({ block, ...run });
      run = undefined;
    };
    for (let i = b.header + 1; i <= b.last; i++) {
      const node = tree.lines[i];
      if (node.kind === 'blank' || node.kind === 'comment') continue;
      const chain = ruleChain(node);
      if (chain !== undefined && run?.chain === chain) run.last = i;
      else {
        close();
        if (chain !== undefined) run = { chain, first: i, last: i };
      }
    }
    close();
  });
  return runs;
}

function blockSpan(tree: DumpTree, b: TableBlock): Span {
  return { start: tree.lines[b.header].span.start, end: tree.lines[b.commit ?? b.last].span.end };
}

function runSpan(tree: DumpTree, run: ChainRun): Span {
  return { start: tree.lines[run.first].span.start, end: tree.lines[run.last].span.end };
}

// ---------------------------------------------------------------------------- folding

export interface Fold {
  /** 0-based document lines. */
  readonly startLine: number;
  readonly endLine: number;
  readonly kind: 'region' | 'comment';
}

export function foldingRanges(analysis: Analysis): Fold[] {
  const { tree } = analysis;
  // A script's shape is the shell's (functions, loops, branches): the editor folds it.
  if (isScriptTree(tree)) return [];
  const folds: Fold[] = [];
  for (const b of tree.blocks) folds.push({ startLine: tree.lines[b.header].line, endLine: tree.lines[b.commit ?? b.last].line, kind: 'region' });
  for (const run of chainRuns(tree)) folds.push({ startLine: tree.lines[run.first].line, endLine: tree.lines[run.last].line, kind: 'region' });
  folds.push(...commentFolds(tree));
  return folds.filter((f) => f.endLine > f.startLine).sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

function commentFolds(tree: DumpTree): Fold[] {
  const folds: Fold[] = [];
  let start: number | undefined;
  tree.lines.forEach((node, i) => {
    if (node.kind === 'comment') start ??= i;
    else if (start !== undefined) {
      folds.push({ startLine: tree.lines[start].line, endLine: tree.lines[i - 1].line, kind: 'comment' });
      start = undefined;
    }
  });
  if (start !== undefined) folds.push({ startLine: tree.lines[start].line, endLine: tree.lines[tree.lines.length - 1].line, kind: 'comment' });
  return folds;
}

// ---------------------------------------------------------------------------- semantic tokens

/**
 * The legend. Standard LSP types where one fits (so every theme colours them), and `address`,
 * declared in package.json with `number` as its super type, so themes that know nothing
 * about it colour addresses as numbers, as the TextMate grammar does.
 */
export const TOKEN_TYPES = ['namespace', 'class', 'function', 'type', 'parameter', 'keyword', 'operator', 'number', 'address', 'enumMember', 'comment', 'string'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

/** What each thing of an iptables file is drawn as. */
const AS = {
  table: 'namespace',
  builtinChain: 'class',
  userChain: 'function',
  module: 'type',
  option: 'parameter',
  verdict: 'keyword',
  targetExtension: 'function',
  negation: 'operator',
  number: 'number',
  address: 'address',
  policy: 'enumMember',
  comment: 'comment',
  quoted: 'string',
} as const satisfies Record<string, TokenType>;

export interface SemanticToken {
  /** Always within one line. */
  readonly span: Span;
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

export function semanticTokens(analysis: Analysis): SemanticToken[] {
  const { tree } = analysis;
  // A script is coloured by the editor's shell grammar.
  if (isScriptTree(tree)) return [];
  const tokens: SemanticToken[] = [];
  const blockOf = blockIndexByLine(tree);
  tree.lines.forEach((node, i) => {
    const b = blockOf[i] === undefined ? undefined : tree.blocks[blockOf[i]!];
    tokens.push(...lineTokens(node, b?.table));
  });
  return tokens.filter((t) => t.span.end > t.span.start).sort((a, b) => a.span.start - b.span.start);
}

/** For each line index, the index of its table block, if any. */
export function blockIndexByLine(tree: DumpTree): (number | undefined)[] {
  const out: (number | undefined)[] = new Array(tree.lines.length).fill(undefined);
  tree.blocks.forEach((b, block) => {
    for (let i = b.header; i <= b.last; i++) out[i] = block;
  });
  return out;
}

function lineTokens(node: LineNode, table: TableName | undefined): SemanticToken[] {
  switch (node.kind) {
    case 'comment':
      return [{ span: node.span, type: AS.comment, modifiers: [] }];
    case 'table':
      return tableTokens(node);
    case 'chain':
      return chainLineTokens(node, table);
    case 'rule':
      return ruleTokens(node, table);
    default:
      return [];
  }
}

function tableTokens(node: TableLine): SemanticToken[] {
  return node.nameWord ? [{ span: node.nameWord.span, type: AS.table, modifiers: ['declaration'] }] : [];
}

function chainToken(span: Span, name: string, table: TableName | undefined, declaration: boolean): SemanticToken {
  const builtin = !!table && (BUILTIN_CHAINS[table] as readonly string[]).includes(name);
  const modifiers: TokenModifier[] = [...(declaration ? (['declaration'] as const) : []), ...(builtin ? (['defaultLibrary'] as const) : [])];
  return { span, type: builtin ? AS.builtinChain : AS.userChain, modifiers };
}

function chainLineTokens(node: ChainLine, table: TableName | undefined): SemanticToken[] {
  const tokens: SemanticToken[] = [];
  if (node.nameWord) tokens.push(chainToken(node.nameWord.span, node.nameWord.text, table, true));
  if (node.policyWord && node.policyWord.text !== '-') tokens.push({ span: node.policyWord.span, type: AS.policy, modifiers: [] });
  return tokens;
}

function ruleTokens(node: RuleLine, table: TableName | undefined): SemanticToken[] {
  const rule = node.rule;
  const tokens: SemanticToken[] = [];
  const cmd = rule.command;
  if (cmd?.chain) tokens.push(chainToken(cmd.chain.span, cmd.chain.text, table, cmd.id === 'new-chain'));
  if (cmd?.id === 'rename-chain' && cmd.extra[0]) tokens.push(chainToken(cmd.extra[0].span, cmd.extra[0].text, table, true));
  if (cmd?.id === 'policy' && cmd.extra[0]) tokens.push({ span: cmd.extra[0].span, type: AS.policy, modifiers: [] });
  if (cmd && cmd.id !== 'policy' && cmd.id !== 'rename-chain') for (const w of cmd.extra) tokens.push({ span: w.span, type: AS.number, modifiers: [] });
  rule.items.forEach((item, index) => {
    if (item.negation) tokens.push({ span: item.negation, type: AS.negation, modifiers: [] });
    if (cmd?.item === index) return; // the command itself is the grammar's keyword
    if (!isKeywordOption(item)) tokens.push({ span: item.nameSpan, type: AS.option, modifiers: [] });
    tokens.push(...argumentTokens(node, item, index, table));
  });
  return tokens;
}

/** -m, -j and -g read as keywords in the grammar's colours; semantic tokens leave them so. */
function isKeywordOption(item: OptionItem): boolean {
  return isBuiltin(item) && (item.spec.id === 'match' || item.spec.id === 'jump' || item.spec.id === 'goto');
}

function argumentTokens(node: RuleLine, item: OptionItem, index: number, table: TableName | undefined): SemanticToken[] {
  const rule = node.rule;
  if (isBuiltin(item) && item.spec.id === 'match') return item.args.map((w) => ({ span: w.span, type: AS.module, modifiers: [] }));
  if (rule.target?.item === index) {
    const t = rule.target;
    if (t.kind === 'chain') return [chainToken(t.nameSpan, t.name, table, false)];
    return [{ span: t.nameSpan, type: t.kind === 'verdict' ? AS.verdict : AS.targetExtension, modifiers: ['defaultLibrary'] }];
  }
  const tokens: SemanticToken[] = [];
  item.args.forEach((word, i) => {
    const type = valueType(item, i, word);
    if (type) tokens.push({ span: word.span, type, modifiers: [] });
  });
  return tokens;
}

/** Addresses and numbers (ports, marks, lengths ...) by their grammar; quoted text as a string. */
function valueType(item: OptionItem, argIndex: number, word: Word): TokenType | undefined {
  const grammar = item.spec.args[argIndex]?.name ?? '';
  if (/address|network/i.test(grammar) && !/mac/i.test(grammar)) return AS.address;
  if (word.quoted) return AS.quoted;
  if (/port/i.test(grammar) || /^(0x[0-9a-f]+|\d+)([:,/-](0x[0-9a-f]+|\d+))*$/i.test(word.text)) return AS.number;
  return undefined;
}

// ---------------------------------------------------------------------------- selection ranges

/**
 * The spans around `offset`, innermost first, each strictly containing the one before:
 * word > option with its `!` > line > the chain's run of rules > table block.
 */
export function selectionSpans(analysis: Analysis, offset: number): Span[] {
  const { tree } = analysis;
  if (isScriptTree(tree)) {
    // In a script: word > option > the iptables command.
    const line = lineAt(tree, offset);
    return line ? nested([...innerSpans(line.node, offset), line.node.span]) : [];
  }
  const lineNumber = tree.index.lineOf(offset);
  const index = tree.lines.findIndex((l) => l.line === lineNumber);
  if (index === -1) return [];
  const node = tree.lines[index];
  const spans: Span[] = [...innerSpans(node, offset), node.span];
  const run = chainRuns(tree).find((r) => r.first <= index && index <= r.last);
  if (run) spans.push(runSpan(tree, run));
  const block = tree.blocks.find((b) => b.header <= index && index <= b.last);
  if (block) spans.push(blockSpan(tree, block));
  return nested(spans);
}

function innerSpans(node: LineNode, offset: number): Span[] {
  if (node.kind === 'rule') {
    const item = node.rule.items.find((it) => touches(it.span, offset) || (it.negation && touches(it.negation, offset)));
    const word = node.words.find((w) => touches(w.span, offset));
    const itemSpan = item && { start: Math.min(item.span.start, item.negation?.start ?? item.span.start), end: item.span.end };
    return [...(word ? [word.span] : []), ...(itemSpan ? [itemSpan] : [])];
  }
  if (node.kind === 'chain' || node.kind === 'table') {
    const words = [node.nameWord, ...(node.kind === 'chain' ? [node.policyWord] : [])].filter((w): w is Word => !!w);
    const word = words.find((w) => touches(w.span, offset));
    return word ? [word.span] : [];
  }
  return [];
}

/** Keeps each span only when it grows on the one before (equal spans would make a dead step). */
function nested(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (!last || (s.start <= last.start && s.end >= last.end && (s.start < last.start || s.end > last.end))) out.push(s);
  }
  return out;
}

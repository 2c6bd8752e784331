// What stands at an offset of the document: the table header, a chain declaration's name,
// policy or counters, a rule's command and its chain, an option name (with the module or
// target it belongs to), an option's value, `-m NAME`, `-j/-g NAME`, a `!`, a comment or a
// diagnostic code inside a comment. Hover, completion and navigation all start here, so it
// knows nothing about any of them: plain data with spans, no LSP.

import { Family, TableName } from '../catalogue/types';
import { Analysis } from '../analysis';
import { ChainLine, CommentLine, Counters, DumpTree, LineNode, RuleLine, TableLine } from '../syntax/dump';
import { isScriptTree, ScriptTree } from '../syntax/script';
import { CommandInfo, MatchInstance, OptionItem, TargetInstance, isBuiltin } from '../syntax/rule';
import { Span } from '../syntax/text';
import { Word } from '../syntax/words';

/** The line around the offset and the table block it belongs to. */
export interface LineContext {
  /** Index into tree.lines. */
  readonly index: number;
  readonly node: LineNode;
  /** Index into tree.blocks, when the line is inside a `*table` ... COMMIT block. */
  readonly block?: number;
  readonly table?: TableName;
  readonly family: Family;
}

/** Whom an option belongs to: iptables itself, a loaded match module, or the rule's target. */
export type OwnerOf =
  | { readonly kind: 'builtin' }
  | { readonly kind: 'match'; readonly instance: MatchInstance; readonly instanceIndex: number }
  | { readonly kind: 'target'; readonly target: TargetInstance };

interface RuleParts {
  readonly node: RuleLine;
}

interface ItemParts extends RuleParts {
  readonly itemIndex: number;
  readonly item: OptionItem;
}

export type LocatedThing =
  | { readonly kind: 'table'; readonly name: string; readonly table?: TableName }
  | { readonly kind: 'chain-declaration'; readonly chain: string; readonly builtin: boolean; readonly node: ChainLine }
  | { readonly kind: 'chain-policy'; readonly chain: string; readonly policy: string; readonly builtin: boolean; readonly node: ChainLine }
  /** `[packets:bytes]` of a chain declaration (`chain` set) or a rule. */
  | { readonly kind: 'counters'; readonly counters: Counters; readonly chain?: string; readonly node: ChainLine | RuleLine }
  | { readonly kind: 'commit' }
  | { readonly kind: 'comment'; readonly text: string; readonly node: CommentLine }
  /** A check code such as IPT201 written in a comment. */
  | { readonly kind: 'diagnostic-code'; readonly code: string; readonly node: CommentLine }
  /** The command option itself (`-A`, `-I`, `-P` ...). */
  | ({ readonly kind: 'command'; readonly command: CommandInfo } & ItemParts)
  /** The chain a command names (`INPUT` of `-A INPUT`). */
  | ({ readonly kind: 'command-chain'; readonly command: CommandInfo; readonly chain: string } & ItemParts)
  /** A word a command takes after its chain: the rule number of -I/-D/-R, the new name of -E, the policy of -P. */
  | ({ readonly kind: 'command-extra'; readonly command: CommandInfo; readonly role: 'rulenum' | 'new-name' | 'policy'; readonly word: Word } & ItemParts)
  /** An option name (`--dport`, `-p`, `-m`, `-j` ...). */
  | ({ readonly kind: 'option'; readonly owner: OwnerOf } & ItemParts)
  /** An option's argument (other than a module or target name). */
  | ({ readonly kind: 'value'; readonly owner: OwnerOf; readonly argIndex: number; readonly word: Word } & ItemParts)
  /** The NAME of `-m NAME`. */
  | ({ readonly kind: 'module'; readonly instance: MatchInstance; readonly instanceIndex: number } & ItemParts)
  /** The NAME of `-j NAME` / `-g NAME`: a verdict, a target extension or a chain. */
  | ({ readonly kind: 'target'; readonly target: TargetInstance } & ItemParts)
  /** A `!` that negates an option. */
  | ({ readonly kind: 'negation' } & ItemParts)
  /** A word of a rule that belongs to no option (a stray argument). */
  | ({ readonly kind: 'word'; readonly word: Word } & RuleParts);

/** What is at an offset, the span it covers, and its line. */
export type Located = LocatedThing & { readonly span: Span; readonly line: LineContext };

const DIAGNOSTIC_CODE = /\bIPT\d{3}\b/g;

/** True when `offset` is inside the span or right after it (a cursor at the end of a word). */
export function touches(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The line that holds `offset`, with its block, table and family. */
export function lineAt(tree: DumpTree, offset: number): LineContext | undefined {
  const lineNumber = tree.index.lineOf(Math.max(0, Math.min(offset, tree.text.length)));
  if (isScriptTree(tree)) {
    const index = scriptNodeAt(tree, offset, lineNumber);
    return index === undefined ? undefined : lineContext(tree, index);
  }
  const index = lineIndexOf(tree, lineNumber);
  if (index === undefined) return undefined;
  return lineContext(tree, index);
}

/** The line context of tree.lines[index]. */
export function lineContext(tree: DumpTree, index: number): LineContext {
  const node = tree.lines[index];
  const block = tree.blocks.findIndex((b) => b.header <= index && index <= b.last);
  const b = block === -1 ? undefined : tree.blocks[block];
  return { index, node, block: b ? block : undefined, table: b?.table, family: b?.family ?? familyBefore(tree, index) };
}

/** Outside a block, the family of the nearest block (for comments above a table, say). */
function familyBefore(tree: DumpTree, index: number): Family {
  const next = tree.blocks.find((b) => b.header > index) ?? tree.blocks[tree.blocks.length - 1];
  return next?.family ?? 'ipv4';
}

/**
 * In a script, nodes follow the order the commands run in, a command may span several lines
 * (continuations) and a command in a loop has one node per run: the first command or comment
 * whose range holds the offset (table headers and chains created elsewhere are bookkeeping,
 * never under the cursor); on a line without one, nothing.
 */
function scriptNodeAt(tree: ScriptTree, offset: number, lineNumber: number): number | undefined {
  let found: number | undefined;
  tree.lines.forEach((node, i) => {
    if (found !== undefined || (node.kind !== 'rule' && node.kind !== 'comment' && node.kind !== 'invalid' && node.kind !== 'commit' && !(node.kind === 'chain' && node.span.end > node.span.start) && !(node.kind === 'table' && node.span.end > node.span.start))) return;
    if (touches(node.span, offset) && tree.index.lineOf(node.span.start) <= lineNumber) found = i;
  });
  return found;
}

/** Nodes are one per line, in order; a line past the final newline has no node. */
function lineIndexOf(tree: DumpTree, lineNumber: number): number | undefined {
  const guess = tree.lines[lineNumber];
  if (guess?.line === lineNumber) return lineNumber;
  const found = tree.lines.findIndex((l) => l.line === lineNumber);
  return found === -1 ? undefined : found;
}

/** What is at `offset`, or undefined on blank space, a blank line or past the end. */
export function locate(analysis: Analysis, offset: number): Located | undefined {
  const line = lineAt(analysis.tree, offset);
  if (!line) return undefined;
  const thing = locateInLine(line, offset);
  return thing ? { ...thing, line } : undefined;
}

type Found = LocatedThing & { readonly span: Span };

function locateInLine(line: LineContext, offset: number): Found | undefined {
  const node = line.node;
  switch (node.kind) {
    case 'table':
      return locateTable(node, offset);
    case 'chain':
      return locateChainLine(node, offset);
    case 'commit':
      return touches(node.span, offset) ? { kind: 'commit', span: node.span } : undefined;
    case 'comment':
      return locateComment(node, offset);
    case 'rule':
      return locateRule(node, offset);
    default:
      return undefined;
  }
}

function locateTable(node: TableLine, offset: number): Found | undefined {
  if (!touches(node.span, offset)) return undefined;
  return { kind: 'table', name: node.nameWord?.text ?? '', table: node.table, span: node.span };
}

function locateChainLine(node: ChainLine, offset: number): Found | undefined {
  const chain = node.nameWord?.text ?? '';
  // The ':' belongs to the name: hovering it explains the chain.
  if (node.nameWord && touches({ start: node.span.start, end: node.nameWord.span.end }, offset))
    return { kind: 'chain-declaration', chain, builtin: node.builtin, node, span: node.nameWord.span };
  if (node.policyWord && touches(node.policyWord.span, offset))
    return { kind: 'chain-policy', chain, policy: node.policyWord.text, builtin: node.builtin, node, span: node.policyWord.span };
  if (node.counters && touches(node.counters.span, offset)) return { kind: 'counters', counters: node.counters, chain, node, span: node.counters.span };
  return undefined;
}

function locateComment(node: CommentLine, offset: number): Found | undefined {
  if (!touches(node.span, offset)) return undefined;
  for (const m of node.text.matchAll(DIAGNOSTIC_CODE)) {
    const span = { start: node.span.start + m.index!, end: node.span.start + m.index! + m[0].length };
    if (touches(span, offset)) return { kind: 'diagnostic-code', code: m[0], node, span };
  }
  return { kind: 'comment', text: node.text, node, span: node.span };
}

/** The candidates of a rule line, most specific first; the first that touches the offset wins. */
function locateRule(node: RuleLine, offset: number): Found | undefined {
  if (node.counters && touches(node.counters.span, offset)) return { kind: 'counters', counters: node.counters, node, span: node.counters.span };
  const inside = (span: Span) => span.start <= offset && offset < span.end;
  // A word strictly under the cursor beats one that merely ends at it.
  return ruleCandidate(node, inside) ?? ruleCandidate(node, (span) => touches(span, offset));
}

function ruleCandidate(node: RuleLine, hit: (span: Span) => boolean): Found | undefined {
  const rule = node.rule;
  for (const [itemIndex, item] of rule.items.entries()) {
    const parts: ItemParts = { node, itemIndex, item };
    if (item.negation && hit(item.negation)) return { kind: 'negation', ...parts, span: item.negation };
    if (hit(item.nameSpan)) return optionName(parts);
    const argIndex = item.args.findIndex((w) => hit(w.span));
    if (argIndex !== -1) return optionValue(parts, argIndex);
  }
  const cmd = rule.command;
  if (cmd) {
    const word = cmd.extra.find((w) => hit(w.span));
    if (word) return { kind: 'command-extra', command: cmd, role: extraRole(rule.items[cmd.item]), word, node, itemIndex: cmd.item, item: rule.items[cmd.item], span: word.span };
  }
  const stray = node.words.find((w) => hit(w.span));
  return stray ? { kind: 'word', word: stray, node, span: stray.span } : undefined;
}

function extraRole(item: OptionItem): 'rulenum' | 'new-name' | 'policy' {
  const id = isBuiltin(item) ? item.spec.id : undefined;
  return id === 'rename-chain' ? 'new-name' : id === 'policy' ? 'policy' : 'rulenum';
}

function optionName(parts: ItemParts): Found {
  const { node, itemIndex, item } = parts;
  const cmd = node.rule.command;
  if (cmd && cmd.item === itemIndex) return { kind: 'command', command: cmd, ...parts, span: item.nameSpan };
  return { kind: 'option', owner: ownerOf(node, item), ...parts, span: item.nameSpan };
}

function optionValue(parts: ItemParts, argIndex: number): Found {
  const { node, itemIndex, item } = parts;
  const rule = node.rule;
  const word = item.args[argIndex];
  const cmd = rule.command;
  if (cmd && cmd.item === itemIndex) return { kind: 'command-chain', command: cmd, chain: word.text, ...parts, span: word.span };
  if (isBuiltin(item) && item.spec.id === 'match') {
    const instanceIndex = rule.matches.findIndex((m) => m.loadItem === itemIndex);
    if (instanceIndex !== -1) return { kind: 'module', instance: rule.matches[instanceIndex], instanceIndex, ...parts, span: word.span };
  }
  if (isBuiltin(item) && (item.spec.id === 'jump' || item.spec.id === 'goto') && rule.target?.item === itemIndex)
    return { kind: 'target', target: rule.target, ...parts, span: word.span };
  return { kind: 'value', owner: ownerOf(node, item), argIndex, word, ...parts, span: word.span };
}

/** The module instance or target an option belongs to. */
export function ownerOf(node: RuleLine, item: OptionItem): OwnerOf {
  const owner = item.owner;
  if (owner.kind === 'match') return { kind: 'match', instance: node.rule.matches[owner.instance], instanceIndex: owner.instance };
  if (owner.kind === 'target' && node.rule.target) return { kind: 'target', target: node.rule.target };
  return { kind: 'builtin' };
}

// ---------------------------------------------------------------------------- chains

/** How a chain name is used where it is written. */
export type ChainRole =
  /** `:NAME ...` or `-N NAME`: creates (or, for a built-in chain, sets up) the chain. */
  | 'declaration'
  /** The chain a command works on: -A, -I, -D, -R, -F, -Z, -P, -X, and the old name of -E. */
  | 'command'
  /** `-j NAME` */
  | 'jump'
  /** `-g NAME` */
  | 'goto'
  /** The new name of `-E OLD NEW`. */
  | 'new-name';

export interface ChainReference {
  readonly name: string;
  /** The name itself, without the ':' of a declaration. */
  readonly span: Span;
  readonly role: ChainRole;
  /** Index into tree.lines. */
  readonly line: number;
  /** Index into tree.blocks. */
  readonly block: number;
}

/** Every place a chain name is written in one table block, in file order. */
export function chainReferencesInBlock(tree: DumpTree, block: number): ChainReference[] {
  const b = tree.blocks[block];
  const refs: ChainReference[] = [];
  for (let index = b.header + 1; index <= b.last; index++) refs.push(...chainReferencesOnLine(tree.lines[index], index, block));
  if (!isScriptTree(tree)) return refs;
  // A script's command in a loop is one place however often it runs; in file order.
  const seen = new Set<string>();
  return refs
    .filter((r) => {
      const key = `${r.span.start}:${r.span.end}:${r.name}`;
      return !seen.has(key) && !!seen.add(key);
    })
    .sort((x, y) => x.span.start - y.span.start);
}

/** The references to chain `name` in one block (declaration, commands, jumps, gotos). */
export function referencesToChain(tree: DumpTree, block: number, name: string): ChainReference[] {
  return chainReferencesInBlock(tree, block).filter((r) => r.name === name);
}

/** The chain name at `offset`, if the cursor is on one. */
export function chainReferenceAt(analysis: Analysis, offset: number): ChainReference | undefined {
  const line = lineAt(analysis.tree, offset);
  if (!line || line.block === undefined) return undefined;
  const refs = chainReferencesOnLine(line.node, line.index, line.block);
  return refs.find((r) => r.span.start <= offset && offset < r.span.end) ?? refs.find((r) => touches(r.span, offset));
}

function chainReferencesOnLine(node: LineNode, line: number, block: number): ChainReference[] {
  if (node.kind === 'chain') return node.nameWord ? [{ name: node.nameWord.text, span: node.nameWord.span, role: 'declaration', line, block }] : [];
  if (node.kind !== 'rule') return [];
  const refs: ChainReference[] = [];
  const rule = node.rule;
  const cmd = rule.command;
  if (cmd?.chain) refs.push({ name: cmd.chain.text, span: cmd.chain.span, role: cmd.id === 'new-chain' ? 'declaration' : 'command', line, block });
  if (cmd?.id === 'rename-chain' && cmd.extra[0]) refs.push({ name: cmd.extra[0].text, span: cmd.extra[0].span, role: 'new-name', line, block });
  const target = rule.target;
  if (target?.kind === 'chain' && !rule.items[target.item].args[0]?.dynamic)
    refs.push({ name: target.name, span: target.nameSpan, role: target.goto ? 'goto' : 'jump', line, block });
  return refs;
}

// Navigation between the places a chain is named: go to its declaration, find its
// references, highlight them, rename a user chain everywhere in its table, and list the
// chains of a file for workspace symbols. Chains belong to one table block: `X` in *filter
// and `X` in *nat are two different chains. Plain data with spans; no LSP here.

import { findTarget } from '../catalogue';
import { STANDARD_VERDICTS } from '../catalogue/builtin';
import { BUILTIN_CHAINS, Family, TableName } from '../catalogue/types';
import { Analysis } from '../analysis';
import { DumpTree, TableLine } from '../syntax/dump';
import { Span } from '../syntax/text';
import { ChainReference, ChainRole, chainReferenceAt, chainReferencesInBlock, referencesToChain } from './locate';

/** iptables refuses chain names of 29 characters or more (XT_EXTENSION_MAXNAMELEN - 1). */
export const MAX_CHAIN_NAME = 28;

export interface TextEdit {
  readonly span: Span;
  readonly text: string;
}

export type RenameCheck = { readonly ok: true; readonly span: Span; readonly name: string } | { readonly ok: false; readonly message: string };
export type RenameResult = { readonly ok: true; readonly edits: TextEdit[] } | { readonly ok: false; readonly message: string };

export type HighlightKind = 'read' | 'write' | 'text';

export interface Highlight {
  readonly span: Span;
  readonly kind: HighlightKind;
}

/** A chain of one table block, for workspace symbols and the like. */
export interface ChainSymbol {
  readonly name: string;
  /** The table block's name as written (`filter`), or '' when the header has none. */
  readonly table: string;
  readonly family: Family;
  readonly builtin: boolean;
  /** The name at its declaration (`:NAME` or `-N NAME`). */
  readonly span: Span;
  /** The whole declaration line. */
  readonly lineSpan: Span;
}

function tableOf(tree: DumpTree, block: number): TableName | undefined {
  return tree.blocks[block].table;
}

function isBuiltinChainOf(table: TableName | undefined, name: string): boolean {
  return !!table && (BUILTIN_CHAINS[table] as readonly string[]).includes(name);
}

/** The first place that creates the chain in its block (`:NAME` or `-N NAME`). */
export function declarationOf(tree: DumpTree, ref: ChainReference): ChainReference | undefined {
  return referencesToChain(tree, ref.block, ref.name).find((r) => r.role === 'declaration');
}

/** Go to definition: the declaration of the chain named at `offset`. */
export function definitionAt(analysis: Analysis, offset: number): ChainReference | undefined {
  const ref = chainReferenceAt(analysis, offset);
  return ref && declarationOf(analysis.tree, ref);
}

/** Every place the chain named at `offset` is written in its table block. */
export function referencesAt(analysis: Analysis, offset: number, includeDeclaration: boolean): ChainReference[] {
  const ref = chainReferenceAt(analysis, offset);
  if (!ref) return [];
  const all = referencesToChain(analysis.tree, ref.block, ref.name);
  return includeDeclaration ? all : all.filter((r) => r.role !== 'declaration');
}

const HIGHLIGHT_KIND: Record<ChainRole, HighlightKind> = {
  declaration: 'write',
  'new-name': 'write',
  command: 'text',
  jump: 'read',
  goto: 'read',
};

/** Document highlight: where the chain is created (write), entered (read) or worked on (text). */
export function highlightsAt(analysis: Analysis, offset: number): Highlight[] {
  return referencesAt(analysis, offset, true).map((r) => ({ span: r.span, kind: HIGHLIGHT_KIND[r.role] }));
}

/** The rules that send packets into each chain of a block: the `-j` and `-g` references, by chain name. */
export function jumpsByChain(tree: DumpTree, block: number): Map<string, ChainReference[]> {
  const byName = new Map<string, ChainReference[]>();
  for (const r of chainReferencesInBlock(tree, block)) {
    if (r.role !== 'jump' && r.role !== 'goto') continue;
    const list = byName.get(r.name) ?? [];
    list.push(r);
    byName.set(r.name, list);
  }
  return byName;
}

// ---------------------------------------------------------------------------- rename

/** Whether the name at `offset` can be renamed: only a user-defined chain can. */
export function prepareRenameAt(analysis: Analysis, offset: number): RenameCheck {
  const ref = chainReferenceAt(analysis, offset);
  if (!ref) return { ok: false, message: 'Only a user-defined chain can be renamed: put the cursor on its name' };
  const table = tableOf(analysis.tree, ref.block);
  if (isBuiltinChainOf(table, ref.name)) return { ok: false, message: `${ref.name} is a built-in chain of the ${table} table: its name is fixed` };
  return { ok: true, span: ref.span, name: ref.name };
}

/** Renames the chain named at `offset` in every place of its table block. */
/** A word as written, without the quotes around all of it (`"Q"` names the chain Q). */
function unquoted(written: string): string {
  return written.replace(/^(["'])(.*)\1$/s, '$2');
}

export function renameAt(analysis: Analysis, offset: number, newName: string): RenameResult {
  const check = prepareRenameAt(analysis, offset);
  if (!check.ok) return check;
  const ref = chainReferenceAt(analysis, offset)!;
  if (newName === ref.name) return { ok: true, edits: [] };
  const refusal = chainNameRefusal(analysis.tree, ref.block, newName);
  if (refusal) return { ok: false, message: refusal };
  const refs = referencesToChain(analysis.tree, ref.block, ref.name);
  // In a script, a name that comes from a variable (`-A $CHAIN`) is renamed where the variable is set, not here.
  const indirect = refs.find((r) => unquoted(analysis.tree.text.slice(r.span.start, r.span.end)) !== r.name);
  if (indirect) return { ok: false, message: `${ref.name} is also written as '${analysis.tree.text.slice(indirect.span.start, indirect.span.end)}' on line ${analysis.tree.index.lineOf(indirect.span.start) + 1}: rename it by hand` };
  const edits = refs.map((r) => ({ span: r.span, text: newName }));
  return { ok: true, edits };
}

/**
 * Why iptables would not accept `name` as a new chain name in this block, or undefined when
 * it would. The rules are those of iptables' own chain name check (length, first
 * character, white space, no clash with a target) plus the table's chains.
 */
export function chainNameRefusal(tree: DumpTree, block: number, name: string): string | undefined {
  const table = tableOf(tree, block);
  const family = tree.blocks[block].family;
  if (name.length === 0) return 'A chain name cannot be empty';
  if (name.length > MAX_CHAIN_NAME) return `'${name}' is too long for a chain name: iptables allows at most ${MAX_CHAIN_NAME} characters (it has ${name.length})`;
  if (name[0] === '-' || name[0] === '!') return `A chain name cannot start with '${name[0]}': iptables would read it as an option or a negation`;
  if (/\s/.test(name)) return `'${name}' contains white space, which iptables refuses in a chain name`;
  if (name.includes('"')) return `'${name}' contains a double quote, which an iptables-save file cannot hold in a chain name`;
  if ((STANDARD_VERDICTS as readonly string[]).includes(name)) return `${name} is a built-in verdict, not a possible chain name`;
  if (isBuiltinChainOf(table, name)) return `${name} is a built-in chain of the ${table} table`;
  if (findTarget(name, family)) return `'${name}' is the name of the ${name} target: iptables refuses chain names that clash with a target (-j ${name} would run the target)`;
  const existing = chainReferencesInBlock(tree, block).find((r) => r.name === name);
  if (existing) return `${table ? `The ${table} table` : 'This table'} already has a chain named ${name} (line ${tree.lines[existing.line].line + 1})`;
  return undefined;
}

// ---------------------------------------------------------------------------- symbols

/** The chains declared in the file, one per declaration, in file order. */
export function chainSymbols(analysis: Analysis): ChainSymbol[] {
  const { tree } = analysis;
  const out: ChainSymbol[] = [];
  tree.blocks.forEach((b, block) => {
    const header = tree.lines[b.header] as TableLine;
    const seen = new Set<string>();
    for (const ref of chainReferencesInBlock(tree, block)) {
      if (ref.role !== 'declaration' || seen.has(ref.name)) continue;
      seen.add(ref.name);
      const table = header.nameWord?.text ?? '';
      out.push({ name: ref.name, table, family: b.family, builtin: isBuiltinChainOf(b.table, ref.name), span: ref.span, lineSpan: tree.lines[ref.line].span });
    }
  });
  return out;
}

/** Workspace symbol search: the letters of the query appear in the name in order (any case). */
export function matchesQuery(name: string, query: string): boolean {
  const lower = name.toLowerCase();
  let at = 0;
  for (const c of query.toLowerCase()) {
    at = lower.indexOf(c, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}

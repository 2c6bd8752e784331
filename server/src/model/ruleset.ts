// The ruleset as iptables-restore would build it in the kernel: per table block, the
// chains with their policies and the rules in each chain, in order. Built by replaying the
// block's lines (-A, -I, -N, -P, -F, -X, -E, -D) the way restore does.
// Rules keep a reference to their line so every later finding can point back at the text.

import { BUILTIN_CHAINS, Family, Hook, TableName } from '../catalogue/types';
import { ChainLine, DumpTree, RuleLine, TableBlock } from '../syntax/dump';
import { NotPrintable, printRule } from '../syntax/printer';
import { RuleSyntax, TargetInstance } from '../syntax/rule';
import { Span } from '../syntax/text';
import { Word } from '../syntax/words';

export interface Rule {
  /** Index of the rule's line node in the tree. */
  readonly node: number;
  readonly chain: string;
  readonly syntax: RuleSyntax;
  readonly target?: TargetInstance;
  /** Position of the rule's line in file order, used to decide which line the kernel blames. */
  readonly order: number;
}

export interface Chain {
  readonly name: string;
  readonly builtin: boolean;
  /** ACCEPT or DROP for built-in chains; undefined for user chains. */
  policy?: string;
  /** Line node index of the `:CHAIN` declaration or `-N` that created it. */
  readonly declaration?: number;
  readonly nameSpan?: Span;
  readonly rules: Rule[];
}

export interface TableModel {
  /** Index of the block in tree.blocks. */
  readonly block: number;
  readonly table: TableName;
  readonly family: Family;
  readonly chains: Map<string, Chain>;
}

export interface Ruleset {
  readonly tables: TableModel[];
}

function builtinChains(table: TableName): Map<string, Chain> {
  const chains = new Map<string, Chain>();
  for (const hook of BUILTIN_CHAINS[table]) chains.set(hook, { name: hook, builtin: true, policy: 'ACCEPT', rules: [] });
  return chains;
}

export function isBuiltinChain(table: TableName, name: string): name is Hook {
  return (BUILTIN_CHAINS[table] as readonly string[]).includes(name);
}

function declareChain(model: TableModel, tree: DumpTree, index: number): void {
  const node = tree.lines[index] as ChainLine;
  const name = node.nameWord?.text;
  if (!name) return;
  const existing = model.chains.get(name);
  if (existing?.builtin) {
    if (node.policyWord && node.policyWord.text !== '-') existing.policy = node.policyWord.text;
    model.chains.set(name, { ...existing, declaration: index, nameSpan: node.nameWord!.span });
    return;
  }
  if (existing) return; // a duplicate declaration; the load checks report it
  model.chains.set(name, { name, builtin: false, declaration: index, nameSpan: node.nameWord!.span, rules: [] });
}

/**
 * What identifies a rule for `-D CHAIN rule-spec` and `-C`: its canonical form without the
 * command, as iptables-save would print it. Undefined when the rule cannot be printed
 * (shell expansions, invalid values): it then matches nothing for certain.
 */
export function ruleKey(syntax: RuleSyntax, family: Family, table: TableName): string | undefined {
  try {
    return printRule({ ...syntax, command: undefined }, { family, table }).join('\n');
  } catch (e) {
    if (e instanceof NotPrintable) return undefined;
    throw e;
  }
}

function ruleNumber(word: Word | undefined): number | undefined {
  return word && /^[1-9]\d*$/.test(word.text) ? Number(word.text) : undefined;
}

/** Replays one rule line's command on the table model. */
function applyCommand(model: TableModel, index: number, node: RuleLine): void {
  const cmd = node.rule.command;
  if (!cmd) return;
  const chainName = cmd.chain?.text;
  const chain = chainName ? model.chains.get(chainName) : undefined;
  // A script command that may or may not run stays in the model as a rule that may or may not
  // match (like one with a shell expansion): it is never used as proof.
  const syntax = node.uncertain ? { ...node.rule, dynamic: true } : node.rule;
  const rule = (name: string): Rule => ({ node: index, chain: name, syntax, target: node.rule.target, order: index });
  switch (cmd.id) {
    case 'append':
      chain?.rules.push(rule(chain.name));
      return;
    case 'insert': {
      if (!chain) return;
      const at = (ruleNumber(cmd.extra[0]) ?? 1) - 1;
      chain.rules.splice(Math.min(at, chain.rules.length), 0, rule(chain.name));
      return;
    }
    case 'new-chain':
      if (chainName && !chain) model.chains.set(chainName, { name: chainName, builtin: false, declaration: index, nameSpan: cmd.chain!.span, rules: [] });
      return;
    case 'policy':
      if (chain?.builtin && cmd.extra[0]) {
        chain.policy = cmd.extra[0].text;
        // In a script, the -P command is where the chain is set up (findings about the policy point there).
        if (!node.uncertain) model.chains.set(chain.name, { ...chain, declaration: index, nameSpan: cmd.chain!.span });
      }
      return;
    case 'flush':
      for (const c of chain ? [chain] : model.chains.values()) c.rules.length = 0;
      return;
    case 'delete-chain':
      if (chain && !chain.builtin) model.chains.delete(chain.name);
      else if (!chainName) for (const c of [...model.chains.values()]) if (!c.builtin) model.chains.delete(c.name);
      return;
    case 'rename-chain': {
      const newName = cmd.extra[0]?.text;
      if (!chain || chain.builtin || !newName) return;
      model.chains.delete(chain.name);
      model.chains.set(newName, { ...chain, name: newName });
      return;
    }
    case 'delete': {
      if (!chain) return;
      const n = ruleNumber(cmd.extra[0]);
      if (n !== undefined) chain.rules.splice(n - 1, 1);
      else if (!cmd.extra[0]) {
        // -D CHAIN rule-spec: the first rule that reads the same.
        const key = ruleKey(node.rule, model.family, model.table);
        const at = key === undefined ? -1 : chain.rules.findIndex((r) => !r.syntax.dynamic && ruleKey(r.syntax, model.family, model.table) === key);
        if (at !== -1) chain.rules.splice(at, 1);
      }
      return;
    }
    case 'replace': {
      const n = ruleNumber(cmd.extra[0]);
      if (chain && n !== undefined && n <= chain.rules.length) chain.rules[n - 1] = rule(chain.name);
      return;
    }
    default:
      return;
  }
}

function buildTable(tree: DumpTree, block: TableBlock, blockIndex: number): TableModel | undefined {
  if (!block.table) return undefined;
  const model: TableModel = { block: blockIndex, table: block.table, family: block.family, chains: builtinChains(block.table) };
  // Declarations and rules interleave in file order; restore creates each chain when it reads it.
  const lines = [...block.chains, ...block.rules].sort((a, b) => a - b);
  for (const index of lines) {
    const node = tree.lines[index];
    if (node.kind === 'chain') declareChain(model, tree, index);
    else if (node.kind === 'rule') applyCommand(model, index, node);
  }
  return model;
}

export function buildRuleset(tree: DumpTree): Ruleset {
  const tables: TableModel[] = [];
  tree.blocks.forEach((block, i) => {
    const model = buildTable(tree, block, i);
    if (model) tables.push(model);
  });
  return { tables };
}

const fileOrder = new WeakMap<TableModel, Rule[]>();

/** Every rule of a table in file order, with its chain (computed once per model). */
export function rulesInFileOrder(model: TableModel): readonly Rule[] {
  let rules = fileOrder.get(model);
  if (!rules) {
    rules = [...model.chains.values()].flatMap((c) => c.rules).sort((a, b) => a.order - b.order);
    fileOrder.set(model, rules);
  }
  return rules;
}

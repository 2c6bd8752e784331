// What the kernel (or iptables-restore, once it has the whole table) refuses: chains that do
// not exist, jumps that form a loop, targets and matches used in a table or chain where the
// kernel does not accept them. Each problem is placed on the line the kernel would blame,
// which for a table/hook problem is the later of the rule itself and the jump that first
// brought the rule's chain under the offending built-in chain.

import { otherFamilyExtension, targetNames } from '../catalogue';
import { STANDARD_VERDICTS } from '../catalogue/builtin';
import { Extension, Hook, ParsedExtension, RuleContext, TABLES } from '../catalogue/types';
import { closest } from '../catalogue/suggest';
import { ChainLine, DumpTree, RuleLine, TableBlock, TableLine } from '../syntax/dump';
import { parsedExtensionOf, ruleContextOf } from '../syntax/rule';
import { Problem, ProblemFix } from '../syntax/problems';
import { Span } from '../syntax/text';
import { Chain, isBuiltinChain, Rule, rulesInFileOrder, Ruleset, TableModel } from './ruleset';

interface Reach {
  /** For each chain, each hook that reaches it and the file position from which it does. */
  readonly hooks: Map<string, Map<Hook, number>>;
  /** The jump rule that first made a hook reach a chain (for messages). */
  readonly via: Map<string, Map<Hook, Rule>>;
}

export function loadProblems(tree: DumpTree, ruleset: Ruleset): Problem[] {
  const problems: Problem[] = [];
  tree.blocks.forEach((block, i) => {
    const model = ruleset.tables.find((t) => t.block === i);
    problems.push(...declarationProblems(tree, block));
    problems.push(...commandChainProblems(tree, block.rules, model));
    if (model) {
      problems.push(...jumpTargetProblems(tree, model));
      const reach = computeReach(model);
      problems.push(...loopProblems(tree, model));
      problems.push(...placementProblems(tree, model, reach));
    }
  });
  problems.push(...replacedTables(tree));
  return problems;
}

// ---------------------------------------------------------------------------- chains

function declarationProblems(tree: DumpTree, block: TableBlock): Problem[] {
  const seen = new Map<string, { node: ChainLine; index: number }>();
  const out: Problem[] = [];
  for (const index of block.chains) {
    const node = tree.lines[index] as ChainLine;
    const name = node.nameWord?.text;
    if (!name || node.builtin) continue;
    const first = seen.get(name);
    if (first) {
      // With no rule between the two, the second line only repeats the first: remove it.
      const between = block.rules.some((r) => r > first.index && r < index);
      const fixes: ProblemFix[] = between ? [] : [{ title: `Remove the second declaration of ${name}`, edits: [{ span: wholeLine(tree, node.line), text: '' }], safety: 'safe', preferred: true, effect: { kind: 'load' } }];
      out.push({
        kind: 'duplicate-chain',
        span: node.nameWord!.span,
        message: `Chain ${name} is declared twice (iptables-legacy refuses to create it again)`,
        related: [{ span: first.node.nameWord!.span, message: 'first declared here' }],
        fixes,
      });
    } else seen.set(name, { node, index });
  }
  return out;
}

/** The span of a whole line, its line ending included. */
function wholeLine(tree: DumpTree, line: number): Span {
  const start = tree.index.lineStart(line);
  const end = line + 1 < tree.index.lineCount ? tree.index.lineStart(line + 1) : tree.text.length;
  return { start, end };
}

/**
 * Declares a user chain: `:NAME - [0:0]` after the block's declarations (those before its
 * first rule), or after the `*table` line. Undefined for a name the kernel would refuse.
 */
function declareFix(tree: DumpTree, model: TableModel, name: string, preferred: boolean): ProblemFix | undefined {
  if (name.length > 28 || /^[-!]/.test(name) || /\s/.test(name) || (STANDARD_VERDICTS as readonly string[]).includes(name)) return undefined;
  if (TABLES.some((t) => isBuiltinChain(t, name))) return undefined;
  const block = tree.blocks[model.block];
  const firstRule = block.rules[0] ?? Infinity;
  const decls = block.chains.filter((c) => c < firstRule);
  const after = tree.lines[decls.length ? decls[decls.length - 1] : block.header].line;
  const at = wholeLine(tree, after).end;
  const eol = '\n'; // also in a CRLF file, which iptables-restore refuses anyway
  const lead = at === tree.text.length && !tree.text.endsWith('\n') ? eol : '';
  return {
    title: `Declare the chain ${name} (':${name} - [0:0]')`,
    edits: [{ span: { start: at, end: at }, text: `${lead}:${name} - [0:0]${eol}` }],
    safety: 'safe',
    ...(preferred ? { preferred: true } : {}),
    effect: { kind: 'load' },
  };
}

/** Whether the block appends or inserts rules into a chain of this name. */
function hasRulesFor(tree: DumpTree, model: TableModel, name: string): boolean {
  return tree.blocks[model.block].rules.some((i) => {
    const cmd = (tree.lines[i] as RuleLine).rule.command;
    return (cmd?.id === 'append' || cmd?.id === 'insert') && cmd.chain?.text === name;
  });
}

/** A rename to `suggestion`, as a fix (not preferred). */
function renameFix(span: Span, suggestion: string): ProblemFix {
  return { title: `Change to '${suggestion}'`, edits: [{ span, text: suggestion }], safety: 'safe', effect: { kind: 'load' } };
}

function chainSuggestion(model: TableModel | undefined, name: string): string | undefined {
  return model ? closest(name, [...model.chains.keys()]) : undefined;
}

/** `-A CHAIN` (and -I, -D, -P ...) naming a chain the table does not have. */
function commandChainProblems(tree: DumpTree, ruleLines: readonly number[], model: TableModel | undefined): Problem[] {
  if (!model) return [];
  const out: Problem[] = [];
  const known = new Set<string>(model.chains.keys());
  const removed = new Set<string>();
  for (const index of ruleLines) {
    const node = tree.lines[index] as RuleLine;
    const cmd = node.rule.command;
    if (!cmd) continue;
    const word = cmd.chain;
    if (cmd.id === 'new-chain' && word) {
      known.add(word.text);
      continue;
    }
    if (cmd.id === 'rename-chain' && cmd.extra[0]) known.add(cmd.extra[0].text);
    if (!word || word.dynamic) continue;
    if (cmd.id === 'delete-chain') removed.add(word.text);
    if (known.has(word.text) && !removed.has(word.text)) {
      if (cmd.id === 'policy' && !isBuiltinChain(model.table, word.text))
        out.push({ kind: 'policy-on-user-chain', span: word.span, message: `${word.text} is a user-defined chain and cannot have a policy` });
      continue;
    }
    out.push(undeclaredChain(tree, model, word.text, word.span));
  }
  return out;
}

function undeclaredChain(tree: DumpTree, model: TableModel, name: string, span: Span): Problem {
  const otherTable = TABLES.filter((t) => t !== model.table && isBuiltinChain(t, name));
  if (otherTable.length > 0)
    return { kind: 'undeclared-chain', span, message: `The ${model.table} table has no ${name} chain (${name} is in ${otherTable.join(', ')}; the ${model.table} table has ${[...model.chains.values()].filter((c) => c.builtin).map((c) => c.name).join(', ')})` };
  const suggestion = chainSuggestion(model, name);
  // A name close to an existing chain is most likely a typo for it; otherwise declare it.
  const declare = declareFix(tree, model, name, !suggestion);
  return {
    kind: 'undeclared-chain',
    span,
    message: `Chain ${name} does not exist in the ${model.table} table: declare it with ':${name} - [0:0]' at the top of the table${suggestion ? ` (or did you mean '${suggestion}'?)` : ''}`,
    ...(suggestion ? { suggestion: { span, text: suggestion } } : {}),
    ...(declare ? { fixes: [declare] } : {}),
  };
}

/** `-j NAME` / `-g NAME` where NAME is neither a target nor a chain of this table. */
function jumpTargetProblems(tree: DumpTree, model: TableModel): Problem[] {
  const out: Problem[] = [];
  for (const index of tree.blocks[model.block].rules) {
    const node = tree.lines[index] as RuleLine;
    const target = node.rule.target;
    if (!target || target.kind !== 'chain' || node.rule.dynamic) continue;
    if (model.chains.has(target.name)) {
      if (isBuiltinChain(model.table, target.name))
        out.push({ kind: 'unknown-target', span: target.nameSpan, message: `Cannot jump to the built-in chain ${target.name}: only user-defined chains can be jump targets` });
      continue;
    }
    out.push(unknownTarget(tree, model, target.name, target.nameSpan));
  }
  return out;
}

function unknownTarget(tree: DumpTree, model: TableModel, name: string, span: Span): Problem {
  const other = otherFamilyExtension('target', name, model.family);
  if (other)
    return { kind: 'unknown-target', span, message: `The ${name} target exists only in ${model.family === 'ipv4' ? 'ip6tables' : 'iptables'}, not in ${model.family === 'ipv4' ? 'iptables (IPv4)' : 'ip6tables (IPv6)'}` };
  const candidates = [...STANDARD_VERDICTS, ...targetNames(model.family), ...[...model.chains.values()].filter((c) => !c.builtin).map((c) => c.name)];
  const suggestion = closest(name, candidates);
  const message = `Unknown target or chain '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : `: no target has this name and the ${model.table} table declares no such chain`}`;
  // Rules are added to a chain of this name: it exists in the writer's mind, only its
  // declaration is missing. Declaring it is the fix; the look-alike name comes second.
  const declare = hasRulesFor(tree, model, name) ? declareFix(tree, model, name, true) : undefined;
  if (declare) return { kind: 'unknown-target', span, message, fixes: suggestion ? [declare, renameFix(span, suggestion)] : [declare] };
  return { kind: 'unknown-target', span, message, ...(suggestion ? { suggestion: { span, text: suggestion } } : {}) };
}

// ---------------------------------------------------------------------------- reachability

/** Chains a rule jumps or goes to (user chains only). */
function jumpOf(model: TableModel, rule: Rule): Chain | undefined {
  const t = rule.target;
  if (!t || t.kind !== 'chain') return undefined;
  const c = model.chains.get(t.name);
  return c && !c.builtin ? c : undefined;
}

/**
 * Which hooks reach each chain, and from which file position: a built-in chain is on its
 * hook from the start; a jump added at position p makes the hooks of its chain reach the
 * target from p on. Processing jumps in file order gives each (chain, hook) its first time.
 */
function computeReach(model: TableModel): Reach {
  const hooks = new Map<string, Map<Hook, number>>();
  const via = new Map<string, Map<Hook, Rule>>();
  for (const c of model.chains.values()) {
    hooks.set(c.name, new Map());
    via.set(c.name, new Map());
    if (c.builtin) hooks.get(c.name)!.set(c.name as Hook, -1);
  }
  const edges = new Map<string, Array<{ to: string; rule: Rule }>>();
  for (const rule of rulesInFileOrder(model)) {
    const to = jumpOf(model, rule);
    if (!to) continue;
    const list = edges.get(rule.chain) ?? [];
    list.push({ to: to.name, rule });
    edges.set(rule.chain, list);
    // Everything reaching rule.chain now reaches `to` (and onwards) from this rule's position.
    const queue: Array<[string, Hook, Rule]> = [...hooks.get(rule.chain)!.keys()].map((h) => [to.name, h, rule]);
    while (queue.length) {
      const [chain, hook, jump] = queue.pop()!;
      const known = hooks.get(chain)!;
      if (known.has(hook)) continue;
      known.set(hook, rule.order);
      via.get(chain)!.set(hook, jump);
      for (const e of edges.get(chain) ?? []) queue.push([e.to, hook, jump]);
    }
  }
  return { hooks, via };
}

/**
 * A jump that closes a loop reachable from a built-in chain (the kernel refuses the table).
 * The kernel blames the rule whose addition first made such a loop exist, so when the whole
 * table has one we search, by bisection over the jumps in file order, for the shortest
 * prefix that already has it: a few graph walks instead of one per jump.
 */
function loopProblems(tree: DumpTree, model: TableModel): Problem[] {
  const jumps = rulesInFileOrder(model).filter((r) => jumpOf(model, r));
  const cycleWith = (count: number) => findReachableCycle(model, edgesOf(jumps.slice(0, count)));
  const cycle = cycleWith(jumps.length);
  if (!cycle) return [];
  let lo = 1;
  let hi = jumps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cycleWith(mid)) hi = mid;
    else lo = mid + 1;
  }
  const closing = jumps[lo - 1];
  const loop = cycleWith(lo) ?? cycle;
  const node = tree.lines[closing.node] as RuleLine;
  return [
    {
      kind: 'jump-loop',
      span: node.rule.target?.nameSpan ?? node.span,
      message: `Jump loop: ${[...loop.map((r) => r.chain), loop[0].chain].join(' -> ')}; the kernel refuses a table in which a packet could jump forever`,
      related: loop.map((r) => ({ span: (tree.lines[r.node] as RuleLine).rule.target?.nameSpan ?? tree.lines[r.node].span, message: `${r.chain} jumps to ${r.target?.name}` })),
    },
  ];
}

function edgesOf(jumps: readonly Rule[]): Map<string, Rule[]> {
  const edges = new Map<string, Rule[]>();
  for (const rule of jumps) {
    const list = edges.get(rule.chain) ?? [];
    list.push(rule);
    edges.set(rule.chain, list);
  }
  return edges;
}

/** A cycle of jumps among chains reachable from a built-in chain, as the list of jump rules. */
function findReachableCycle(model: TableModel, edges: Map<string, Rule[]>): Rule[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  const stack: Rule[] = [];
  const visit = (chain: string): Rule[] | undefined => {
    state.set(chain, 'active');
    for (const rule of edges.get(chain) ?? []) {
      const to = rule.target!.name;
      stack.push(rule);
      if (state.get(to) === 'active') {
        const start = stack.findIndex((r) => r.chain === to);
        return stack.slice(start);
      }
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
      stack.pop();
    }
    state.set(chain, 'done');
    return undefined;
  };
  for (const c of model.chains.values()) {
    if (!c.builtin || state.has(c.name)) continue;
    const found = visit(c.name);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------- placement

/** Targets and matches used in a table or on a hook where the kernel refuses them. */
function placementProblems(tree: DumpTree, model: TableModel, reach: Reach): Problem[] {
  const out: Problem[] = [];
  for (const rule of rulesInFileOrder(model)) {
    const node = tree.lines[rule.node] as RuleLine;
    const syntax = node.rule;
    const uses: Use[] = [];
    // Only extensions whose allowed hooks depend on their options need the parsed rule.
    let rctx: RuleContext | undefined;
    const hooksOf = (ext: Extension, name: string, options: readonly number[]) =>
      ext.hooksFor ? allowedHooks(ext, parsedExtensionOf(syntax, name, options), (rctx ??= ruleContextOf(syntax, model))) : ext.hooks;
    const t = syntax.target;
    if (t?.spec && t.kind === 'extension') uses.push({ ext: t.spec, span: syntax.items[t.item].span, what: 'target', hooks: hooksOf(t.spec, t.name, t.options) });
    for (const m of syntax.matches)
      if (m.module) uses.push({ ext: m.module, span: m.loadItem !== undefined ? syntax.items[m.loadItem].span : m.nameSpan, what: 'match', hooks: hooksOf(m.module, m.name, m.options) });
    for (const use of uses) {
      const problem = placementProblem(tree, model, reach, rule, use);
      if (problem) out.push(problem);
    }
  }
  return out;
}

interface Use {
  readonly ext: Extension;
  readonly span: Span;
  readonly what: 'target' | 'match';
  /** Hooks where the kernel accepts it with these options; undefined for anywhere. */
  readonly hooks?: readonly Hook[];
}

function allowedHooks(ext: Extension, parsed: ParsedExtension, rule: RuleContext): readonly Hook[] | undefined {
  return ext.hooksFor?.(parsed, rule) ?? ext.hooks;
}

function placementProblem(tree: DumpTree, model: TableModel, reach: Reach, rule: Rule, use: Use): Problem | undefined {
  const { ext } = use;
  // In a built-in chain, restrictions that come from options (hooksFor) are reported by the
  // extension's own check(), with a message about the option; here we add the user chains.
  const hooks = isBuiltinChain(model.table, rule.chain) ? ext.hooks : use.hooks;
  const name = use.what === 'target' ? ext.name : `-m ${ext.name}`;
  if (ext.tables && !ext.tables.includes(model.table)) {
    return { kind: 'target-not-allowed', span: use.span, message: `${name} cannot be used in the ${model.table} table: the kernel accepts it only in ${ext.tables.join(', ')}` };
  }
  if (!hooks) return undefined;
  const chainHooks = reach.hooks.get(rule.chain);
  if (!chainHooks) return undefined;
  const bad = [...chainHooks.entries()].filter(([hook]) => !hooks.includes(hook)).sort((a, b) => a[1] - b[1]);
  if (bad.length === 0) return undefined;
  const [hook, since] = bad[0];
  const allowed = `${hooks.join(', ')}`;
  if (isBuiltinChain(model.table, rule.chain) && rule.chain === hook)
    return { kind: 'target-not-allowed', span: use.span, message: `${name} cannot be used in ${rule.chain}: in the ${model.table} table the kernel accepts it only in ${allowed}` };
  const jump = reach.via.get(rule.chain)!.get(hook)!;
  const jumpNode = tree.lines[jump.node] as RuleLine;
  const message = `${name} in chain ${rule.chain} is reached from ${hook} (through the jump on line ${jumpNode.line + 1}), where the kernel refuses it: it is accepted only in ${allowed}`;
  if (since > rule.order) {
    // The jump came after the rule: the kernel blames the jump.
    return {
      kind: 'target-not-allowed',
      span: jumpNode.rule.target?.nameSpan ?? jumpNode.span,
      message: `This jump sends ${hook} traffic into ${jumpNode.rule.target?.name}, whose ${name} (line ${tree.lines[rule.node].line + 1}) the kernel refuses there: it is accepted only in ${allowed}`,
      related: [{ span: use.span, message: `${name} used here` }],
    };
  }
  return { kind: 'target-not-allowed', span: use.span, message, related: [{ span: jumpNode.span, message: `${hook} reaches ${rule.chain} here` }] };
}

// ---------------------------------------------------------------------------- files

/** A later block for the same table and family replaces the earlier one at load time. */
function replacedTables(tree: DumpTree): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, TableLine>();
  for (const block of tree.blocks) {
    if (!block.table) continue;
    const header = tree.lines[block.header] as TableLine;
    const key = `${block.family}/${block.table}`;
    const first = seen.get(key);
    if (first)
      out.push({
        kind: 'table-replaced',
        span: header.span,
        message: `This *${block.table} table replaces the one on line ${first.line + 1}: iptables-restore flushes a table each time it reads its '*${block.table}' line`,
        related: [{ span: first.span, message: 'earlier table, discarded at load time' }],
      });
    seen.set(key, header);
  }
  return out;
}

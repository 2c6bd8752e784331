// Completion that knows where it is: table names after `*`, chain names and policies in `:`
// lines, commands at the start of a rule, the options valid at this point of the rule (with
// those of the modules loaded so far), module names after -m, targets and chains after -j/-g,
// and values (states, ICMP types, protocols, interfaces used in the file, reject types ...).
// The rule is re-read up to the cursor with the same parser the diagnostics use, so what is
// offered is what iptables would accept there.

import { Analysis } from '../analysis';
import { BUILTIN_OPTIONS, BuiltinId, BuiltinOption, chainName, STANDARD_VERDICTS } from '../catalogue/builtin';
import { allTargets, findMatch, matchNames } from '../catalogue';
import { BUILTIN_CHAINS, Family, Hook, MatchModule, OptionSpec, TABLES, TableName, TargetSpec, ValueGrammar } from '../catalogue/types';
import { interfaceName } from '../catalogue/values';
import { TableModel } from '../model/ruleset';
import { isBuiltin, OptionItem, parseRule, RuleSyntax } from '../syntax/rule';
import { Span } from '../syntax/text';
import { splitRestoreWords, Word } from '../syntax/words';
import {
  builtinMarkdown,
  builtinText,
  extensionOptionMarkdown,
  HOOK_TEXT,
  moduleMarkdown,
  optionSignature,
  POLICY_TEXT,
  TABLE_SUMMARY,
  tableMarkdown,
  targetMarkdown,
} from './explain';
import { CT_STATE_TEXT, CT_STATUS_TEXT, describeLogLevel, describePort, icmpNameDetail, icmpNames, REJECT_TEXT, SYSLOG_LEVELS } from './explain-values';
import { lineAt, LineContext, lineContext } from './locate';
import { RuleLine } from '../syntax/dump';
import { isScriptTree, ScriptTree } from '../syntax/script';

export type CompletionKind = 'table' | 'chain' | 'builtin-chain' | 'policy' | 'command' | 'keyword' | 'option' | 'module' | 'target' | 'verdict' | 'value' | 'snippet';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line: the summary. */
  readonly detail?: string;
  /** Markdown: the hover text of the thing. */
  readonly documentation?: string;
  /** Text to insert; the label when absent. */
  readonly insertText?: string;
  /** insertText is a snippet with placeholders (`${1:INPUT}`). */
  readonly snippet?: boolean;
  readonly filterText?: string;
  /** Orders the list (VS Code sorts by it, then by label). */
  readonly sortText: string;
  /** Open completion again after inserting (an option that takes a value, say). */
  readonly retrigger?: boolean;
}

export interface CompletionList {
  /** The text the chosen entry replaces: the partial word before the cursor. */
  readonly span: Span;
  readonly items: CompletionEntry[];
}

/** Everything completion needs to know about the place it is asked at. */
interface Place {
  readonly analysis: Analysis;
  readonly line: LineContext | undefined;
  readonly family: Family;
  readonly table?: TableName;
  readonly model?: TableModel;
  /** Text of the line from its start to the cursor. */
  readonly before: string;
  readonly lineStart: number;
  readonly offset: number;
  /** The character that triggered completion, when typing did. */
  readonly trigger?: string;
}

export function completionsAt(analysis: Analysis, offset: number, trigger?: string): CompletionList | undefined {
  const tree = analysis.tree;
  const lineNumber = tree.index.lineOf(offset);
  const lineStart = tree.index.lineStart(lineNumber);
  const before = tree.text.slice(lineStart, offset);
  const line = lineAt(tree, offset) ?? blockAround(analysis, offset);
  const model = line?.block === undefined ? undefined : analysis.ruleset.tables.find((t) => t.block === line.block);
  const place: Place = { analysis, line, family: line?.family ?? 'ipv4', table: line?.table, model, before, lineStart, offset, trigger };
  if (isScriptTree(tree)) {
    // In a script, only inside an iptables command (or a rules file in a here-document).
    const command = scriptCommandAt(tree, offset);
    if (command) return ruleCompletionWith({ ...place, ...command.place }, command.prefix);
    const kind = line?.node.kind;
    if (!line || line.node.span.end === line.node.span.start || (kind !== 'rule' && kind !== 'chain' && kind !== 'table' && kind !== 'commit')) return undefined;
  }
  if (before.startsWith('#')) return undefined;
  if (before.startsWith('*')) return /\s/.test(before) ? undefined : tableNames(place);
  if (before.startsWith(':')) return chainDeclaration(place);
  if (before.trim() === 'COMMIT') return undefined;
  return ruleCompletion(place);
}

/** A cursor on the empty last line of a file is still inside the unclosed block above it. */
function blockAround(analysis: Analysis, offset: number): LineContext | undefined {
  const tree = analysis.tree;
  const last = tree.lines.length - 1;
  if (last < 0 || tree.lines[last].span.end > offset) return undefined;
  return lineAt(tree, tree.lines[last].span.start);
}

const group = (n: number, i = 0): string => `${String(n).padStart(2, '0')}-${String(i).padStart(4, '0')}`;

// ---------------------------------------------------------------------------- tables and chains

function tableNames(place: Place): CompletionList {
  const items = TABLES.map((t, i) => ({ label: t, kind: 'table' as const, detail: TABLE_SUMMARY[t], documentation: tableMarkdown(t), sortText: group(0, i) }));
  return { span: { start: place.lineStart + 1, end: place.offset }, items };
}

function chainDeclaration(place: Place): CompletionList | undefined {
  const words = splitRestoreWords(place.before, 1, place.before.length).words;
  const typing = !/\s$/.test(place.before) && words.length > 0;
  const index = typing ? words.length - 1 : words.length;
  const partialStart = typing ? words[index].span.start : place.before.length;
  const span = { start: place.lineStart + partialStart, end: place.offset };
  if (index === 0) return { span, items: declarableChains(place) };
  const chain = words[0].text;
  const builtin = !!place.table && (BUILTIN_CHAINS[place.table] as readonly string[]).includes(chain);
  if (index === 1) return { span, items: policies(builtin) };
  if (index === 2) return { span, items: [{ label: '[0:0]', kind: 'value', detail: 'packet and byte counters', sortText: group(0) }] };
  return undefined;
}

/** Built-in chains not declared yet, and user chains the block uses without declaring them. */
function declarableChains(place: Place): CompletionEntry[] {
  const table = place.table;
  if (!table) return [];
  const declared = new Set(declaredChainNames(place));
  const builtins = BUILTIN_CHAINS[table].filter((c) => !declared.has(c));
  const items: CompletionEntry[] = builtins.map((c, i) => ({
    label: c,
    kind: 'builtin-chain',
    detail: `built-in chain: ${HOOK_TEXT[c]}`,
    insertText: `${c} \${1|ACCEPT,DROP|} [0:0]`,
    snippet: true,
    sortText: group(0, i),
  }));
  const used = usedChainNames(place).filter((c) => !declared.has(c) && !(BUILTIN_CHAINS[table] as readonly string[]).includes(c));
  items.push(...used.map((c, i) => ({ label: c, kind: 'chain' as const, detail: 'user-defined chain, used but not declared', insertText: `${c} - [0:0]`, sortText: group(1, i) })));
  return items;
}

function declaredChainNames(place: Place): string[] {
  const tree = place.analysis.tree;
  const block = place.line?.block === undefined ? undefined : tree.blocks[place.line.block];
  if (!block) return [];
  return block.chains.map((i) => tree.lines[i]).flatMap((n) => (n.kind === 'chain' && n.nameWord && n.line !== tree.index.lineOf(place.offset) ? [n.nameWord.text] : []));
}

/** Chains named by -A/-I/-j/-g in the block (declared or not). */
function usedChainNames(place: Place): string[] {
  const tree = place.analysis.tree;
  const block = place.line?.block === undefined ? undefined : tree.blocks[place.line.block];
  const names = new Set<string>();
  for (const i of block?.rules ?? []) {
    const node = tree.lines[i];
    if (node.kind !== 'rule') continue;
    const cmd = node.rule.command;
    if (cmd?.chain && cmd.id !== 'policy') names.add(cmd.chain.text);
    if (node.rule.target?.kind === 'chain') names.add(node.rule.target.name);
  }
  return [...names];
}

function policies(builtin: boolean): CompletionEntry[] {
  if (!builtin) return [{ label: '-', kind: 'policy', detail: 'user-defined chains have no policy', documentation: POLICY_TEXT['-'], sortText: group(0) }];
  return ['ACCEPT', 'DROP'].map((p, i) => ({ label: p, kind: 'policy' as const, detail: POLICY_TEXT[p], sortText: group(0, i) }));
}

/** Chains of this table a rule may name: built-in ones first, then user chains. */
function tableChains(place: Place, opts: { builtin: boolean; user: boolean }): CompletionEntry[] {
  const chains = [...(place.model?.chains.values() ?? [])];
  const declared = new Set(chains.map((c) => c.name));
  const extra = declaredChainNames(place).filter((c) => !declared.has(c));
  const items: CompletionEntry[] = [];
  chains.forEach((c, i) => {
    if (c.builtin ? !opts.builtin : !opts.user) return;
    const detail = c.builtin ? `built-in chain · policy ${c.policy ?? 'ACCEPT'} · ${c.rules.length} rules` : `user-defined chain · ${c.rules.length} rules`;
    items.push({ label: c.name, kind: c.builtin ? 'builtin-chain' : 'chain', detail, sortText: group(c.builtin ? 0 : 1, i) });
  });
  if (opts.user) extra.forEach((c, i) => items.push({ label: c, kind: 'chain', detail: 'user-defined chain', sortText: group(1, 500 + i) }));
  return items;
}

// ---------------------------------------------------------------------------- rules

interface RulePrefix {
  /** The words before the one being typed. */
  readonly words: Word[];
  /** The word being typed, up to the cursor ('' after a space). */
  readonly partial: string;
  readonly partialStart: number;
  readonly rule: RuleSyntax;
}

function ruleCompletion(place: Place): CompletionList | undefined {
  return ruleCompletionWith(place, rulePrefix(place));
}

/**
 * The iptables command of a script around the offset: the command under the cursor, or the
 * one the cursor continues on its line (after a blank), with its words up to the cursor.
 */
function scriptCommandAt(tree: ScriptTree, offset: number): { place: Partial<Place>; prefix: RulePrefix } | undefined {
  const text = tree.text;
  const lineStart = tree.index.lineStart(tree.index.lineOf(offset));
  const span = tree.script.commandSpans.find((c) => c.start <= offset && (offset <= c.end || (c.end >= lineStart && /^[ \t]*$/.test(text.slice(c.end, offset)))));
  if (!span) return undefined;
  const index = tree.lines.findIndex((n) => n.kind === 'rule' && n.span.start === span.start);
  if (index === -1) return undefined;
  const node = tree.lines[index] as RuleLine;
  const context = lineContext(tree, index);
  const before = text.slice(lineStart, offset);
  const all = node.words.filter((w) => w.span.start < offset);
  const last = all[all.length - 1];
  const typing = !!last && last.span.end === offset && !/\s$/.test(before);
  const words = typing ? all.slice(0, -1) : all;
  const rule = parseRule(words, { family: context.family, table: context.table, restore: false });
  const prefix: RulePrefix = { words, partial: typing ? last.text : '', partialStart: typing ? last.span.start : offset, rule };
  return { place: { line: context, family: context.family, table: context.table, before }, prefix };
}

function ruleCompletionWith(place: Place, prefix: RulePrefix): CompletionList | undefined {
  const span = { start: prefix.partialStart, end: place.offset };
  if (prefix.words.length === 0) return place.trigger === ' ' ? undefined : { span, items: lineStarts(place) };
  const value = valueCompletion(place, prefix);
  if (value !== 'not-a-value') return value;
  if (prefix.partial !== '' && !prefix.partial.startsWith('-')) return undefined;
  if (place.trigger === ' ') return undefined; // a space between options: no list until a '-' is typed
  return { span, items: optionEntries(place, prefix) };
}

/** Reads the line up to the cursor into words (after any `[packets:bytes]`) and parses them. */
function rulePrefix(place: Place): RulePrefix {
  const text = place.analysis.tree.text;
  let from = place.lineStart;
  if (text[from] === '[') {
    const close = text.indexOf(']', from);
    if (close !== -1 && close < place.offset) from = close + 1;
  }
  const words = splitRestoreWords(text, from, place.offset).words;
  const typing = words.length > 0 && words[words.length - 1].span.end === place.offset && !/\s$/.test(place.before);
  const partialWord = typing ? words.pop() : undefined;
  const rule = parseRule(words, { family: place.family, table: place.table, restore: true });
  return { words, partial: partialWord?.text ?? '', partialStart: partialWord?.span.start ?? place.offset, rule };
}

const COMMANDS_IN_FILES: readonly BuiltinId[] = ['append', 'insert', 'new-chain', 'policy', 'delete', 'replace', 'flush', 'delete-chain', 'rename-chain', 'zero'];

/** At the start of a line: commands, `:` declarations, COMMIT, and rule snippets. */
function lineStarts(place: Place): CompletionEntry[] {
  if (isScriptTree(place.analysis.tree) && place.analysis.tree.script.commandSpans.some((c) => c.start <= place.offset && place.offset <= c.end + place.before.length)) {
    // After `iptables` in a script: the commands (and -t to pick a table).
    const ids: readonly BuiltinId[] = [...COMMANDS_IN_FILES, 'list', 'list-rules', 'check', 'table'];
    return ids.map((id, i) => {
      const spec = BUILTIN_OPTIONS.find((o) => o.id === id)!;
      return { label: `-${spec.short}`, kind: id === 'table' ? 'option' : 'command', detail: `${spec.names[0]}: ${firstSentence(builtinText(spec))}`, documentation: builtinMarkdown(spec), insertText: `-${spec.short} `, retrigger: true, sortText: group(1, i) };
    });
  }
  if (place.line?.block === undefined) return tableStarts();
  const items: CompletionEntry[] = COMMANDS_IN_FILES.map((id, i) => {
    const spec = BUILTIN_OPTIONS.find((o) => o.id === id)!;
    return { label: `-${spec.short}`, kind: 'command', detail: `${spec.names[0]}: ${firstSentence(builtinText(spec))}`, documentation: builtinMarkdown(spec), insertText: `-${spec.short} `, retrigger: true, sortText: group(1, i) };
  });
  items.push({ label: ':', kind: 'keyword', detail: 'declare a chain: `:NAME POLICY [packets:bytes]`', insertText: ':', retrigger: true, sortText: group(2, 0) });
  items.push({ label: 'COMMIT', kind: 'keyword', detail: 'apply the table above, all or nothing', sortText: group(2, 1) });
  items.push(...ruleSnippets(place));
  return items;
}

function tableStarts(): CompletionEntry[] {
  const skeleton = '*filter\n:INPUT ${1|DROP,ACCEPT|} [0:0]\n:FORWARD ${2|DROP,ACCEPT|} [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n$0\nCOMMIT';
  const items: CompletionEntry[] = TABLES.map((t, i) => ({ label: `*${t}`, kind: 'table', detail: TABLE_SUMMARY[t], documentation: tableMarkdown(t), sortText: group(0, i) }));
  items.push({ label: 'filter table for a host', kind: 'snippet', detail: 'a *filter block: loopback and replies accepted, then your rules', insertText: skeleton, snippet: true, filterText: '*filter', sortText: group(1) });
  return items;
}

function firstSentence(text: string): string {
  const m = /^(.*?[.:;])(\s|$)/.exec(text);
  return (m ? m[1] : text).replace(/[.:;]$/, '');
}

// ---------------------------------------------------------------------------- snippets

interface RuleSnippet {
  readonly label: string;
  readonly table: TableName;
  readonly body: string;
  readonly doc: string;
}

const RULE_SNIPPETS: readonly RuleSnippet[] = [
  { label: 'accept loopback', table: 'filter', body: '-A INPUT -i lo -j ACCEPT', doc: 'Lets the host talk to itself over `lo`; many local services break without it.' },
  {
    label: 'accept replies (RELATED,ESTABLISHED)',
    table: 'filter',
    body: '-A ${1|INPUT,FORWARD,OUTPUT|} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    doc: 'Accepts packets of connections already let through, and the ICMP errors about them. Put it first: most packets then need only this one rule.',
  },
  { label: 'drop invalid packets', table: 'filter', body: '-A ${1|INPUT,FORWARD|} -m conntrack --ctstate INVALID -j DROP', doc: 'Drops packets that belong to no connection conntrack can make sense of.' },
  {
    label: 'allow a TCP service',
    table: 'filter',
    body: '-A INPUT -p tcp -m tcp --dport ${1:22} -m conntrack --ctstate NEW -j ACCEPT',
    doc: 'Accepts new TCP connections to one port of this host (the replies are accepted by the RELATED,ESTABLISHED rule).',
  },
  {
    label: 'allow a UDP service',
    table: 'filter',
    body: '-A INPUT -p udp -m udp --dport ${1:53} -j ACCEPT',
    doc: 'Accepts UDP packets to one port of this host.',
  },
  {
    label: 'port forward: accept forwarded connections',
    table: 'filter',
    body: '-A FORWARD -d ${1:192.168.1.10}/32 -p tcp -m tcp --dport ${2:80} -m conntrack --ctstate NEW -j ACCEPT',
    doc: 'The filter half of a port forward: lets the translated connections through FORWARD. The nat half is a DNAT rule in PREROUTING.',
  },
  {
    label: 'port forward (DNAT)',
    table: 'nat',
    body: '-A PREROUTING -i ${1:eth0} -p tcp -m tcp --dport ${2:8080} -j DNAT --to-destination ${3:192.168.1.10}:${4:80}',
    doc: 'Sends connections arriving on a port to another machine. The filter table must also accept them in FORWARD (snippet "port forward: accept forwarded connections").',
  },
  { label: 'masquerade (share the uplink)', table: 'nat', body: '-A POSTROUTING -o ${1:eth0} -j MASQUERADE', doc: 'Rewrites the source of packets leaving through the uplink to its address, so a private network can reach the Internet.' },
];

function ruleSnippets(place: Place): CompletionEntry[] {
  return RULE_SNIPPETS.filter((s) => s.table === place.table).map((s, i) => ({
    label: s.label,
    kind: 'snippet',
    detail: plainSnippet(s.body),
    documentation: `${s.doc}\n\n\`\`\`\n${plainSnippet(s.body)}\n\`\`\``,
    insertText: s.body,
    snippet: true,
    filterText: plainSnippet(s.body),
    sortText: group(3, i),
  }));
}

/** `${1:22}` -> `22`, `${1|INPUT,FORWARD|}` -> `INPUT`. */
function plainSnippet(body: string): string {
  return body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1');
}

// ---------------------------------------------------------------------------- options

const RULE_BUILTINS: readonly BuiltinId[] = ['protocol', 'source', 'destination', 'in-interface', 'out-interface', 'match', 'jump', 'goto', 'fragment', 'set-counters'];

/** Options valid at the cursor: iptables' own, those of the loaded modules, the target's. */
function optionEntries(place: Place, prefix: RulePrefix): CompletionEntry[] {
  const rule = prefix.rule;
  if (!rule.command) return lineStarts(place).filter((e) => e.kind === 'command' || e.kind === 'snippet');
  const negated = prefix.words[prefix.words.length - 1]?.text === '!' || prefix.partial === '!';
  const items: CompletionEntry[] = [];
  const keep = (spec: OptionSpec): boolean => (!negated || !!spec.negatable) && !spec.removed && (!spec.family || spec.family === place.family);
  if (rule.target?.spec) items.push(...extensionOptions(rule.target.spec, givenIn(rule, rule.target.options), keep, 0));
  [...rule.matches].reverse().forEach((m, i) => {
    if (m.module) items.push(...extensionOptions(m.module, givenIn(rule, m.options), keep, 1 + i));
  });
  const implicit = implicitProtocolModule(rule, place.family);
  if (implicit) items.push(...extensionOptions(implicit, new Set(), keep, 1, `loaded by -p ${rule.protocol!.name}`));
  items.push(...builtinOptions(place, rule, keep));
  return dedupeByLabel(items);
}

function givenIn(rule: RuleSyntax, indexes: readonly number[]): Set<OptionSpec> {
  return new Set(indexes.map((i) => rule.items[i].spec));
}

/** The protocol's match, when -p names one and no option has loaded it yet. */
function implicitProtocolModule(rule: RuleSyntax, family: Family): MatchModule | undefined {
  if (!rule.protocol || rule.protocol.negated) return undefined;
  const name = rule.protocol.name === 'ipv6-icmp' || rule.protocol.name === 'icmpv6' ? 'icmp6' : rule.protocol.name;
  const module = findMatch(name, family);
  if (!module || rule.matches.some((m) => m.module === module)) return undefined;
  return module;
}

function extensionOptions(ext: MatchModule | TargetSpec, given: Set<OptionSpec>, keep: (s: OptionSpec) => boolean, rank: number, note?: string): CompletionEntry[] {
  const owner = ext.kind === 'match' ? `${ext.name} match` : `${ext.name} target`;
  return ext.options
    .filter((spec) => keep(spec) && (spec.repeatable || !given.has(spec)))
    .map((spec, i) => optionEntry(spec, `${optionSignature(spec)} · ${owner}${note ? ` (${note})` : ''}`, extensionOptionMarkdown(ext, spec), group(10 + rank, i)));
}

function optionEntry(spec: OptionSpec, detail: string, documentation: string, sortText: string): CompletionEntry {
  const takesValue = spec.args.length > 0 && spec.optionalArg !== true;
  return { label: spec.names[0], kind: 'option', detail, documentation, insertText: takesValue ? `${spec.names[0]} ` : spec.names[0], retrigger: takesValue, sortText };
}

function builtinOptions(place: Place, rule: RuleSyntax, keep: (s: OptionSpec) => boolean): CompletionEntry[] {
  const given = new Set(rule.items.filter(isBuiltin).map((it) => it.spec.id));
  const chain = rule.command?.chain?.text;
  const items: CompletionEntry[] = [];
  RULE_BUILTINS.forEach((id, i) => {
    const spec = BUILTIN_OPTIONS.find((o) => o.id === id)!;
    if (!keep(spec) || !builtinAllowed(spec, given, rule, chain, place.family)) return;
    const short = `-${spec.short}`;
    items.push({ ...optionEntry(spec, '', builtinMarkdown(spec), group(30, i)), label: short, insertText: `${short} `, detail: `${spec.names[0]}: ${firstSentence(builtinText(spec))}` });
  });
  return items;
}

function builtinAllowed(spec: BuiltinOption, given: Set<BuiltinId>, rule: RuleSyntax, chain: string | undefined, family: Family): boolean {
  if (spec.id !== 'match' && given.has(spec.id)) return false;
  if ((spec.id === 'jump' || spec.id === 'goto') && rule.target) return false;
  if ((spec.id === 'jump' && given.has('goto')) || (spec.id === 'goto' && given.has('jump'))) return false;
  if (spec.id === 'in-interface' && (chain === 'OUTPUT' || chain === 'POSTROUTING')) return false;
  if (spec.id === 'out-interface' && (chain === 'INPUT' || chain === 'PREROUTING')) return false;
  if (spec.id === 'fragment' && family === 'ipv6') return false;
  return true;
}

function dedupeByLabel(items: CompletionEntry[]): CompletionEntry[] {
  const seen = new Set<string>();
  return items.filter((e) => (seen.has(e.label) ? false : (seen.add(e.label), true)));
}

// ---------------------------------------------------------------------------- values

/**
 * When the word at the cursor is the value of the option before it, what may go there
 * (undefined when we have nothing to offer for that value); 'not-a-value' otherwise.
 */
function valueCompletion(place: Place, prefix: RulePrefix): CompletionList | undefined | 'not-a-value' {
  const rule = prefix.rule;
  const lastWord = prefix.words[prefix.words.length - 1];
  const span = { start: prefix.partialStart, end: place.offset };
  const cmd = rule.command;
  if (cmd?.chain === lastWord && cmd.id === 'policy') return { span, items: policies(true) };
  const item = rule.items[rule.items.length - 1];
  if (!item || item.span.end !== lastWord.span.end || item.args.length >= item.spec.args.length) return 'not-a-value';
  if (item.args.length === 0 && item.nameSpan.end !== lastWord.span.end) return 'not-a-value';
  // An optional value may be left out: a word starting with '-' is then the next option.
  if (prefix.partial.startsWith('-') && item.spec.optionalArg) return 'not-a-value';
  if (isBuiltin(item)) return builtinValues(place, prefix, item.spec, span);
  return grammarValues(place, prefix, item, item.spec.args[item.args.length], span);
}

function builtinValues(place: Place, prefix: RulePrefix, spec: BuiltinOption, span: Span): CompletionList | undefined {
  switch (spec.id) {
    case 'match':
      return { span, items: moduleNames(place) };
    case 'jump':
      return { span, items: targets(place, prefix.rule, false) };
    case 'goto':
      return { span, items: targets(place, prefix.rule, true) };
    case 'protocol':
      return { span, items: protocols(place.family) };
    case 'in-interface':
    case 'out-interface':
      return { span, items: interfaces(place) };
    case 'policy':
      return { span, items: tableChains(place, { builtin: true, user: false }) };
    default:
      if (spec.command && spec.args[0] === chainName) return { span, items: tableChains(place, { builtin: spec.id !== 'new-chain', user: spec.id !== 'new-chain' }) };
      return undefined;
  }
}

/** Often used modules first; the rest alphabetically. */
const COMMON_MODULES = ['conntrack', 'multiport', 'comment', 'state', 'limit', 'tcp', 'udp', 'icmp', 'icmp6', 'set', 'recent', 'hashlimit', 'mark', 'addrtype', 'iprange', 'owner', 'mac', 'connlimit'];

function moduleNames(place: Place): CompletionEntry[] {
  const names = [...new Set(matchNames(place.family))];
  return names.flatMap((name) => {
    const module = findMatch(name, place.family);
    if (!module || module.removed) return [];
    const rank = COMMON_MODULES.indexOf(module.name);
    const alias = module.name !== name ? ` (another name for ${module.name})` : '';
    return [{ label: name, kind: 'module' as const, detail: `${module.summary}${alias}`, documentation: moduleMarkdown(module, place.family), insertText: `${name} `, retrigger: true, sortText: rank === -1 ? group(1, 0) + name : group(0, rank) }];
  });
}

/** Verdicts, then the table's user chains, then targets valid here, then the others. */
function targets(place: Place, rule: RuleSyntax, gotoOnly: boolean): CompletionEntry[] {
  const ownChain = rule.command?.chain?.text;
  const chains = tableChains(place, { builtin: false, user: true }).filter((c) => c.label !== ownChain).map((c) => ({ ...c, sortText: `10-${c.sortText}` }));
  if (gotoOnly) return chains;
  const items: CompletionEntry[] = [];
  for (const target of allTargets()) {
    if (!target.families.includes(place.family) || target.removed) continue;
    const verdict = (STANDARD_VERDICTS as readonly string[]).includes(target.name);
    const misfit = targetMisfit(target, place.table, ownChain);
    const rank = verdict ? 0 : misfit ? 30 : 20;
    const where = misfit ? ` · ${misfit}` : '';
    items.push({
      label: target.name,
      kind: verdict ? 'verdict' : 'target',
      detail: `${target.summary}${where}`,
      documentation: targetMarkdown(target, place.family, place.table),
      insertText: target.options.length && !verdict ? `${target.name} ` : target.name,
      retrigger: target.options.length > 0 && !verdict,
      sortText: group(rank, verdict ? STANDARD_VERDICTS.indexOf(target.name as (typeof STANDARD_VERDICTS)[number]) : 0) + target.name,
    });
  }
  return [...items, ...chains];
}

/** Why the target does not work here (table, or the hook of a built-in chain); undefined when it does. */
function targetMisfit(target: TargetSpec, table: TableName | undefined, chain: string | undefined): string | undefined {
  if (table && target.tables && !target.tables.includes(table)) return `only in the ${target.tables.join(', ')} table${target.tables.length > 1 ? 's' : ''}`;
  const hook = chain && table && (BUILTIN_CHAINS[table] as readonly string[]).includes(chain) ? (chain as Hook) : undefined;
  if (hook && target.hooks && !target.hooks.includes(hook)) return `not in ${hook} (only ${target.hooks.join(', ')})`;
  return undefined;
}

function protocols(family: Family): CompletionEntry[] {
  const names = ['tcp', 'udp', family === 'ipv4' ? 'icmp' : 'ipv6-icmp', 'all', 'sctp', 'udplite', 'dccp', 'esp', 'ah', 'gre'];
  return names.map((name, i) => {
    const module = findMatch(name === 'ipv6-icmp' ? 'icmp6' : name, family);
    const detail = name === 'all' ? 'every protocol' : module ? `${module.summary} become available` : 'IP protocol';
    return { label: name, kind: 'value' as const, detail, documentation: module ? moduleMarkdown(module, family) : undefined, sortText: group(0, i) };
  });
}

/** Interfaces named anywhere in the file, plus lo. */
function interfaces(place: Place): CompletionEntry[] {
  const names = new Set<string>(['lo']);
  for (const node of place.analysis.tree.lines) {
    if (node.kind !== 'rule') continue;
    for (const it of node.rule.items) if (it.spec.args[0] === interfaceName && it.args[0] && !it.args[0].dynamic) names.add(it.args[0].text);
  }
  return [...names].map((name, i) => ({ label: name, kind: 'value' as const, detail: name === 'lo' ? 'loopback' : name.endsWith('+') ? `every interface starting with ${name.slice(0, -1)}` : 'used in this file', sortText: group(0, i) }));
}

const COMMON_PORTS = [22, 80, 443, 53, 25, 587, 993, 123, 3306, 5432, 8080, 8443, 51820, 1194];

/** Choices of a grammar (a comma list continues after the last comma), or common ports. */
function grammarValues(place: Place, prefix: RulePrefix, item: OptionItem, grammar: ValueGrammar | undefined, span: Span): CompletionList | undefined {
  if (!grammar) return undefined;
  const option = item.spec.names[0];
  if (!grammar.choices) {
    if (!/^port/.test(grammar.name)) return undefined;
    const listStart = prefix.partial.lastIndexOf(',') + 1;
    const protocol = prefix.rule.protocol?.name;
    const items = COMMON_PORTS.map((p, i) => ({ label: String(p), kind: 'value' as const, detail: describePort(p, protocol).replace(/^port \d+: /, ''), sortText: group(0, i) }));
    return { span: { start: span.start + listStart, end: span.end }, items };
  }
  const comma = prefix.partial.lastIndexOf(',');
  const chosen = new Set(comma === -1 ? [] : prefix.partial.slice(0, comma).split(',').map((s) => s.toUpperCase()));
  const items = grammar.choices
    .filter((c) => !chosen.has(c.toUpperCase()))
    .map((choice, i) => ({ label: choice, kind: 'value' as const, ...choiceText(option, choice, place.family), sortText: group(0, i) }));
  return { span: { start: span.start + comma + 1, end: span.end }, items };
}

function choiceText(option: string, choice: string, family: Family): { detail?: string; documentation?: string } {
  if (option === '--ctstate' || option === '--state') return { detail: CT_STATE_TEXT[choice] };
  if (option === '--ctstatus') return { detail: CT_STATUS_TEXT[choice] };
  if (option === '--reject-with') return { detail: REJECT_TEXT[choice] };
  if (option === '--log-level' && SYSLOG_LEVELS.includes(choice)) return { detail: describeLogLevel(SYSLOG_LEVELS.indexOf(choice)) };
  if (option === '--icmp-type' || option === '--icmpv6-type') {
    const entry = icmpNames(family).find((e) => e.name === choice);
    return entry ? { detail: icmpNameDetail(entry, family) } : {};
  }
  return {};
}

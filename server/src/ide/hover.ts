// Hover: markdown about whatever is under the cursor (see locate.ts for what that can be).
// Modules, targets and options are described from the catalogue (explain.ts), values from
// what they parse to (explain-values.ts), chains and tables from the ruleset model.

import { Analysis } from '../analysis';
import { BuiltinOption } from '../catalogue/builtin';
import { Family, Hook, TableName } from '../catalogue/types';
import { checkByCode, docsUrl } from '../checks/registry';
import { TableModel } from '../model/ruleset';
import { ChainLine, Counters, RuleLine } from '../syntax/dump';
import { isBuiltin, OptionItem } from '../syntax/rule';
import { Span } from '../syntax/text';
import {
  builtinMarkdown,
  extensionOptionMarkdown,
  hookMarkdown,
  moduleMarkdown,
  POLICY_TEXT,
  tableMarkdown,
  targetMarkdown,
  VERDICT_TEXT,
} from './explain';
import { describeValue, groupDigits, readableBytes } from './explain-values';
import { Located, LineContext, locate, OwnerOf, referencesToChain } from './locate';

export interface HoverInfo {
  /** What the hover is about (the word under the cursor, usually). */
  readonly span: Span;
  readonly markdown: string;
}

export function hoverAt(analysis: Analysis, offset: number): HoverInfo | undefined {
  const at = locate(analysis, offset);
  if (!at) return undefined;
  const markdown = hoverMarkdown(analysis, at);
  return markdown ? { span: at.span, markdown } : undefined;
}

function hoverMarkdown(analysis: Analysis, at: Located): string | undefined {
  const { line } = at;
  switch (at.kind) {
    case 'table':
      return at.table ? tableHover(analysis, line, at.table) : undefined;
    case 'chain-declaration':
      return chainMarkdown(analysis, line, at.chain);
    case 'chain-policy':
      return policyHover(at.chain, at.policy, at.builtin);
    case 'counters':
      return countersHover(at.counters, at.chain, at.node.kind === 'chain' && at.node.builtin);
    case 'commit':
      return '**`COMMIT`**\n\niptables-restore applies the table above in one step, all or nothing. Without COMMIT none of its rules apply.';
    case 'comment':
      return undefined;
    case 'diagnostic-code':
      return diagnosticCodeHover(at.code);
    case 'command':
      return commandHover(analysis, at.line, at.node, at.item);
    case 'command-chain':
      return chainMarkdown(analysis, line, at.chain);
    case 'command-extra':
      return commandExtraHover(at.item, at.role, at.word.text, at.command.chain?.text);
    case 'option':
      return optionHover(at.node, at.item, at.owner, line);
    case 'value':
      return valueHover(at.node, at.item, at.argIndex, line.family);
    case 'module':
      return at.instance.module ? moduleMarkdown(at.instance.module, line.family) : undefined;
    case 'target':
      return targetHover(analysis, at.node, at.itemIndex, line);
    case 'negation':
      return negationHover(at.item);
    case 'word':
      return undefined;
  }
}

// ---------------------------------------------------------------------------- tables and chains

function tableModel(analysis: Analysis, line: LineContext): TableModel | undefined {
  return line.block === undefined ? undefined : analysis.ruleset.tables.find((t) => t.block === line.block);
}

function tableHover(analysis: Analysis, line: LineContext, table: TableName): string {
  const model = tableModel(analysis, line);
  const parts = [tableMarkdown(table)];
  if (model) {
    const chains = [...model.chains.values()];
    const rules = chains.reduce((n, c) => n + c.rules.length, 0);
    const user = chains.filter((c) => !c.builtin).map((c) => `\`${c.name}\``);
    parts.push(`In this file: ${plural(rules, 'rule')}${user.length ? `; user-defined chains ${user.join(', ')}` : ''}${model.family === 'ipv6' ? ' (IPv6)' : ''}.`);
  }
  return parts.join('\n\n');
}

/** Where each rule of the table sits: rule node index -> chain and 1-based number. */
function rulePosition(model: TableModel | undefined, node: number): { chain: string; number: number } | undefined {
  for (const chain of model?.chains.values() ?? []) {
    const i = chain.rules.findIndex((r) => r.node === node);
    if (i !== -1) return { chain: chain.name, number: i + 1 };
  }
  return undefined;
}

const MAX_LISTED_REFERENCES = 10;

/** A chain: built-in or user, policy, rules, counters, and the rules that jump to it. */
export function chainMarkdown(analysis: Analysis, line: LineContext, name: string): string {
  const model = tableModel(analysis, line);
  const chain = model?.chains.get(name);
  const tableName = line.table ? `\`*${line.table}\`` : 'this table';
  if (!chain) return `**\`${name}\`**\n\n${tableName} declares no chain of this name: iptables-restore refuses a rule that names it.`;
  const parts: string[] = [];
  if (chain.builtin) {
    parts.push(`**\`${name}\`** built-in chain of ${tableName} · policy **${chain.policy ?? 'ACCEPT'}**`);
    parts.push(hookMarkdown(line.table, name as Hook));
  } else parts.push(`**\`${name}\`** user-defined chain of ${tableName}`);
  parts.push(`${plural(chain.rules.length, 'rule')}.${chain.builtin ? ` At its end: ${POLICY_TEXT[chain.policy ?? 'ACCEPT'] ?? `policy ${chain.policy}`}.` : ''}`);
  const counters = chain.declaration !== undefined ? (analysis.tree.lines[chain.declaration] as ChainLine).counters : undefined;
  if (chain.builtin && counters && (counters.packets !== '0' || counters.bytes !== '0')) parts.push(`Policy counters when saved: ${countersText(counters)}.`);
  if (line.block !== undefined) parts.push(referencesText(analysis, model!, line.block, name, chain.builtin));
  return parts.filter((p) => p.length > 0).join('\n\n');
}

function referencesText(analysis: Analysis, model: TableModel, block: number, name: string, builtin: boolean): string {
  const tree = analysis.tree;
  const jumps = referencesToChain(tree, block, name).filter((r) => r.role === 'jump' || r.role === 'goto');
  if (jumps.length === 0) return builtin ? '' : 'No rule jumps here: its rules never see a packet.';
  const listed = jumps.slice(0, MAX_LISTED_REFERENCES).map((r) => {
    const pos = rulePosition(model, r.line);
    const where = pos ? `rule ${pos.number} of \`${pos.chain}\`` : 'a rule';
    return `- line ${tree.lines[r.line].line + 1}: ${where} (\`${r.role === 'goto' ? '-g' : '-j'} ${name}\`)`;
  });
  const more = jumps.length > MAX_LISTED_REFERENCES ? `\n- and ${jumps.length - MAX_LISTED_REFERENCES} more` : '';
  return `Reached from:\n${listed.join('\n')}${more}`;
}

function policyHover(chain: string, policy: string, builtin: boolean): string {
  const meaning = POLICY_TEXT[policy];
  if (!builtin) return `**Policy \`${policy}\`** of \`${chain}\`\n\n${meaning ?? POLICY_TEXT['-']}.`;
  return `**Policy \`${policy}\`** of \`${chain}\`\n\n${meaning ? `${capitalise(meaning)}.` : 'A built-in chain\'s policy is ACCEPT or DROP.'}`;
}

function countersText(c: Counters): string {
  const bytes = /^\d+$/.test(c.bytes) ? BigInt(c.bytes) : undefined;
  const packets = /^\d+$/.test(c.packets) ? groupDigits(BigInt(c.packets)) : c.packets;
  const byteText = bytes === undefined ? `${c.bytes} bytes` : bytes >= 1000n ? `${readableBytes(bytes)} (${groupDigits(bytes)} bytes)` : readableBytes(bytes);
  return `${packets} ${c.packets === '1' ? 'packet' : 'packets'}, ${byteText}`;
}

function countersHover(c: Counters, chain: string | undefined, builtinChain: boolean): string {
  const head = `**Counters** \`[${c.packets}:${c.bytes}]\`: ${countersText(c)}`;
  const meaning =
    chain === undefined
      ? 'What this rule had matched when the file was saved. `iptables-restore -c` loads them back; without `-c` counting starts again at zero.'
      : builtinChain
        ? `What reached the end of \`${chain}\` and got its policy, when the file was saved (loaded back only with \`iptables-restore -c\`).`
        : 'iptables-save always writes [0:0] for user-defined chains: only rules and built-in chains count packets.';
  return `${head}\n\n${meaning}`;
}

// ---------------------------------------------------------------------------- diagnostics

/** The first paragraph of a section of a check's documentation. */
function docsSection(docs: string, heading: string): string | undefined {
  const start = docs.indexOf(heading);
  if (start === -1) return undefined;
  const body = docs.slice(start + heading.length).trim();
  return body.split(/\n\s*\n|\n## /)[0]?.trim();
}

function diagnosticCodeHover(code: string): string | undefined {
  const check = checkByCode(code);
  if (!check) return `**${code}**\n\niptables-lint has no check with this code.`;
  const meaning = docsSection(check.docs, '## What it means');
  const parts = [`**${check.code}** \`${check.name}\` · ${check.severity}`, `${check.summary}.`];
  if (meaning) parts.push(meaning);
  parts.push(`[Documentation](${docsUrl(check)})`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------- commands

function commandHover(analysis: Analysis, line: LineContext, node: RuleLine, item: OptionItem): string {
  const spec = item.spec as BuiltinOption;
  const parts = [builtinMarkdown(spec)];
  const pos = rulePosition(tableModel(analysis, line), line.index);
  if (pos && (spec.id === 'append' || spec.id === 'insert' || spec.id === 'replace')) parts.push(`This line is rule ${pos.number} of \`${pos.chain}\` once the file is loaded.`);
  else if (node.rule.command?.chain && (spec.id === 'append' || spec.id === 'insert')) parts.push(`This rule does not end up in \`${node.rule.command.chain.text}\` (the chain is missing or flushed later).`);
  return parts.join('\n\n');
}

function commandExtraHover(item: OptionItem, role: 'rulenum' | 'new-name' | 'policy', text: string, chain: string | undefined): string {
  const spec = item.spec as BuiltinOption;
  const target = chain ? `\`${chain}\`` : 'the chain';
  if (role === 'policy') return policyHover(chain ?? '', text, true);
  if (role === 'new-name') return `**\`${text}\`**\n\nThe new name of ${target}.`;
  const verb = spec.id === 'insert' ? `The rule is inserted as rule ${text} of ${target}; the rules from there on move down one place.` : `Rule number ${text} of ${target}.`;
  return `**Rule number \`${text}\`**\n\n${verb}`;
}

// ---------------------------------------------------------------------------- options and values

function optionHover(node: RuleLine, item: OptionItem, owner: OwnerOf, line: LineContext): string | undefined {
  const rule = node.rule;
  if (isBuiltin(item) && item.spec.id === 'match') {
    const instance = rule.matches.find((m) => m.loadItem === rule.items.indexOf(item));
    return instance?.module ? moduleMarkdown(instance.module, line.family) : builtinMarkdown(item.spec);
  }
  if (isBuiltin(item) && (item.spec.id === 'jump' || item.spec.id === 'goto') && rule.target?.spec) return targetMarkdown(rule.target.spec, line.family, line.table);
  const parts = [headerOf(item, owner)];
  if (!isBuiltin(item) && owner.kind === 'match' && owner.instance.loadItem === undefined)
    parts.push(`The \`${owner.instance.name}\` match is loaded by \`-p ${rule.protocol?.name ?? owner.instance.name}\`.`);
  parts.push(...inThisRule(node, item, line.family));
  return parts.join('\n\n');
}

function headerOf(item: OptionItem, owner: OwnerOf): string {
  if (isBuiltin(item)) return builtinMarkdown(item.spec);
  const ext = owner.kind === 'match' ? owner.instance.module : owner.kind === 'target' ? owner.target.spec : undefined;
  return ext ? extensionOptionMarkdown(ext, item.spec) : `**\`${item.written}\`**`;
}

/** What the option's values mean here, and whether it is negated. */
function inThisRule(node: RuleLine, item: OptionItem, family: Family): string[] {
  const lines = item.args.flatMap((_, i) => describeValue(item, i, family, node.rule.protocol?.name));
  const out: string[] = [];
  if (lines.length) out.push(`**In this rule:**\n${lines.map((l) => `- ${l}`).join('\n')}`);
  if (item.negation) out.push('Negated with `!`: the rule matches the packets for which this test is false.');
  return out;
}

function valueHover(node: RuleLine, item: OptionItem, argIndex: number, family: Family): string | undefined {
  const word = item.args[argIndex];
  const lines = describeValue(item, argIndex, family, node.rule.protocol?.name);
  const grammar = item.spec.args[argIndex];
  const head = `**\`${item.written} ${word.quoted ? JSON.stringify(word.text) : word.text}\`**${grammar ? ` · ${grammar.name}` : ''}`;
  const body = lines.length ? lines.map((l) => `- ${l}`).join('\n') : '';
  const extra = isBuiltin(item) && item.spec.id === 'protocol' ? protocolModuleNote(node) : '';
  return [head, body, extra].filter((p) => p.length > 0).join('\n\n');
}

/** `-p tcp` makes the tcp match's options available. */
function protocolModuleNote(node: RuleLine): string {
  const implicit = node.rule.matches.find((m) => m.loadItem === undefined && m.module);
  if (implicit?.module) return `Its options are available after it: ${implicit.module.options.map((o) => `\`${o.names[0]}\``).join(', ')}.`;
  return '';
}

function negationHover(item: OptionItem): string {
  const what = [item.written, ...item.args.map((a) => a.text)].join(' ');
  return `**\`!\`** negates \`${what}\`\n\nThe rule matches the packets for which this test is false.`;
}

// ---------------------------------------------------------------------------- targets

function targetHover(analysis: Analysis, node: RuleLine, itemIndex: number, line: LineContext): string | undefined {
  const target = node.rule.target;
  if (!target || target.item !== itemIndex) return undefined;
  if (target.spec) return targetMarkdown(target.spec, line.family, line.table);
  if (target.kind === 'verdict') return `**\`${target.name}\`**\n\n${VERDICT_TEXT[target.name] ?? ''}`;
  const how = target.goto
    ? `\`-g\` goes to \`${target.name}\` for good: when it ends without a verdict, the packet does not come back here but returns to the chain that called this one (or gets the policy).`
    : `\`-j\` runs \`${target.name}\`; when it ends without a verdict (or RETURNs), the packet comes back and goes on with the next rule here.`;
  const declared = tableModel(analysis, line)?.chains.has(target.name);
  return declared ? `${chainMarkdown(analysis, line, target.name)}\n\n${how}` : chainMarkdown(analysis, line, target.name);
}

// ---------------------------------------------------------------------------- small helpers

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}


// Prints a parsed rule the way iptables-save writes it back: generic matches first in a
// fixed order (-s -d -i -o -p -f), then each match module in the order it was loaded with
// its options normalised, then the target. Quick fixes and formatting write rules through
// this printer, so what they produce reads like the user's own iptables-save output.

import { BuiltinId, BuiltinOption } from '../catalogue/builtin';
import { ExtensionBase, ParsedExtension, RuleContext } from '../catalogue/types';
import { HostValue, InterfaceValue } from '../catalogue/values';
import { formatMasked } from '../catalogue/addresses';
import { isBuiltin, OptionItem, parsedExtensionOf, ruleContextOf, RuleSyntax } from './rule';

/** Options a printer could not reproduce faithfully (dynamic or invalid values). */
export class NotPrintable extends Error {}

function builtinItem(rule: RuleSyntax, id: BuiltinId): OptionItem | undefined {
  return rule.items.find((it) => isBuiltin(it) && (it.spec as BuiltinOption).id === id);
}

function neg(item: OptionItem): string[] {
  return item.negation ? ['!'] : [];
}

function valueOf<T>(item: OptionItem, i = 0): T {
  const r = item.results[i];
  if (!r?.ok) throw new NotPrintable(`cannot print ${item.written}`);
  return r.value as T;
}

/** The default printer: each option in catalogue order, with its canonical arguments. */
export function printOptionsInCatalogueOrder(ext: ExtensionBase, parsed: ParsedExtension): string[] {
  const out: string[] = [];
  for (const spec of ext.options) {
    for (const o of parsed.options) {
      if (o.spec !== spec) continue;
      out.push(...(o.negated ? ['!'] : []), spec.names[0], ...o.canonical);
    }
  }
  return out;
}

/** The extension instance, refusing values the printer cannot reproduce. */
function printableExtension(rule: RuleSyntax, name: string, indexes: readonly number[]): ParsedExtension {
  for (const i of indexes) {
    const it = rule.items[i];
    const optional = it.spec.optionalArg && it.args.length === 0;
    if (!optional && (it.results.length < it.spec.args.length || it.results.some((r) => !r?.ok))) throw new NotPrintable(`cannot print ${it.written}`);
    for (const r of it.results) if (r?.ok && r.unprintable) throw new NotPrintable(r.unprintable);
  }
  return parsedExtensionOf(rule, name, indexes);
}

/**
 * An extension's own printer expects an instance its check() accepted; for one it refused
 * (a required option missing, say) there is no canonical form, whatever the printer does.
 */
function printExtension(ext: ExtensionBase, parsed: ParsedExtension, rule: RuleContext): string[] {
  if (!ext.print) return printOptionsInCatalogueOrder(ext, parsed);
  try {
    return ext.print(parsed, rule);
  } catch (e) {
    throw new NotPrintable(`${ext.name} has no canonical form for these options (${(e as Error).message})`);
  }
}

function printAddresses(item: OptionItem | undefined, flag: string): string[][] {
  if (!item) return [[]];
  const v = valueOf<HostValue>(item);
  if (v.hostname) throw new NotPrintable('host names are resolved at load time');
  return v.addresses.map((a) => [...neg(item), flag, formatMasked(a)]);
}

function printInterface(item: OptionItem | undefined, flag: string): string[] {
  if (!item) return [];
  const v = valueOf<InterfaceValue>(item);
  if (v.wildcard && v.name === '' && !item.negation) return []; // `-i +` matches everything
  return [...neg(item), flag, (item.results[0] as { canonical: string }).canonical];
}

/**
 * The rule lines iptables-save would print for this rule (several when -s/-d list more
 * than one address). Throws NotPrintable when a value is dynamic or invalid.
 */
export function printRule(rule: RuleSyntax, ctx: { family: RuleContext['family']; table?: RuleContext['table'] }): string[] {
  if (rule.dynamic) throw new NotPrintable('the rule contains shell expansions');
  const cmd = rule.command;
  const head = cmd ? ['-' + (rule.items[cmd.item].spec as BuiltinOption).short, ...(cmd.chain ? [cmd.chain.text] : []), ...cmd.extra.map((w) => w.text)] : [];
  const sources = printAddresses(builtinItem(rule, 'source'), '-s');
  const destinations = printAddresses(builtinItem(rule, 'destination'), '-d');
  const rest: string[] = [];
  rest.push(...printInterface(builtinItem(rule, 'in-interface'), '-i'));
  rest.push(...printInterface(builtinItem(rule, 'out-interface'), '-o'));
  const proto = builtinItem(rule, 'protocol');
  if (proto && rule.protocol && !(rule.protocol.number === 0 && !proto.negation)) rest.push(...neg(proto), '-p', rule.protocol.name);
  else if (proto && !rule.protocol) throw new NotPrintable('invalid protocol');
  const frag = builtinItem(rule, 'fragment');
  if (frag) rest.push(...neg(frag), '-f');
  const rctx = ruleContextOf(rule, ctx);
  for (const m of rule.matches) {
    if (!m.module) throw new NotPrintable(`unknown module ${m.name}`);
    const parsed = printableExtension(rule, m.name, m.options);
    rest.push('-m', m.name, ...printExtension(m.module, parsed, rctx));
  }
  const t = rule.target;
  if (t) {
    rest.push(t.goto ? '-g' : '-j', t.name);
    if (t.spec && t.kind === 'extension') {
      const parsed = printableExtension(rule, t.name, t.options);
      rest.push(...printExtension(t.spec, parsed, rctx));
    }
  }
  const lines: string[] = [];
  for (const s of sources) for (const d of destinations) lines.push([...head, ...s, ...d, ...rest].join(' '));
  return lines;
}

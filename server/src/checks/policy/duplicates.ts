// Exact duplicate rules: a rule of a chain that repeats an earlier rule of the same chain,
// word for word once both are printed the way iptables-save prints them (so `-p tcp
// --dport 22` and `-p tcp -m tcp --dport 22` are the same rule), comments left out.
//
// A pair is only a duplicate worth reporting when the copy provably adds nothing to what
// the first rule did, or when the only difference is state the copies keep (-m limit ...):
// nothing between the two may change the packet (MARK, CT, a jump to a chain that does),
// and the rule itself must do the same thing when done twice. Otherwise (a TTL decrement
// repeated on purpose, a MARK between two identical jumps that test it) the pair is left
// alone. IPT311 reports the pairs; the reachability checks leave the copies to it.

import { Rule, TableModel } from '../../model/ruleset';
import { parsedExtensionOf } from '../../syntax/rule';
import { NotPrintable, printRule } from '../../syntax/printer';
import { actionOf, Action } from '../../semantics/engine';
import { xmarkOf } from '../../catalogue/targets/mark';
import { TargetSpec } from '../../catalogue/types';
import { CheckContext } from '../context';
import { catchAllIndex } from '../reachability/facts';

/**
 * What the copy does, given that the first rule ran just before on the same packets:
 * - `shadowed`: the first rule decides every packet the copy matches (a verdict or goto): the copy never matches;
 * - `logged-twice`: both log (LOG, NFLOG): every packet the copy matches is logged a second time;
 * - `counted-twice`: neither has a target: the copy only counts the same packets again;
 * - `applied-twice`: both apply a target that changes nothing when applied again (MARK --set-mark, CHECKSUM ...);
 * - `jump-again`: both jump to a chain that decides the same way every time: what it returns comes back the same;
 * - `stateful`: the rules keep state (limit, recent, quota ...) that each copy updates: the pair is not one rule.
 */
export type DuplicateKind = 'shadowed' | 'logged-twice' | 'counted-twice' | 'applied-twice' | 'jump-again' | 'stateful';

export interface Duplicate {
  readonly table: TableModel;
  readonly chain: string;
  /** The nearest earlier rule the copy repeats. */
  readonly first: Rule;
  readonly copy: Rule;
  readonly kind: DuplicateKind;
  /** The two have different `-m comment` texts (or only one has a comment). */
  readonly commentsDiffer: boolean;
  /** Modules whose state makes the pair differ from one rule (`stateful` only). */
  readonly stateful: readonly string[];
  /** The chain a `jump-again` pair jumps to logs (LOG, NFLOG) some of what passes through it. */
  readonly calleeLogs: boolean;
}

/** Matches whose result depends on more than the packet: rates, counters, lists they update, chance. */
const STATEFUL_MATCHES = new Set(['limit', 'hashlimit', 'recent', 'quota', 'statistic', 'nfacct', 'rateest']);

export const LOG_TARGETS = new Set(['LOG', 'NFLOG', 'ULOG']);

/** Non-terminating targets that leave the packet, its connection and every later match as they were. */
const PASSIVE_TARGETS = new Set([...LOG_TARGETS, 'TRACE', 'AUDIT', 'TEE', 'IDLETIMER', 'LED']);

/** Non-terminating targets that change nothing more when applied a second time, whatever their options. */
const IDEMPOTENT_TARGETS = new Set(['CT', 'NOTRACK', 'CHECKSUM', 'DSCP', 'CLASSIFY', 'SECMARK', 'CONNSECMARK', 'TCPMSS', 'TCPOPTSTRIP', 'ECN', 'HMARK', 'TRACE']);

/** Whether a rule's target is a logging target (LOG, NFLOG, or the removed ULOG). */
export function isLogRule(rule: Rule): boolean {
  const t = rule.target;
  return !!t && t.kind === 'extension' && LOG_TARGETS.has(t.name);
}

/** Whether applying the rule's target twice in a row gives the same packet as applying it once. */
function idempotent(rule: Rule): boolean {
  const t = rule.target;
  if (!t || t.kind !== 'extension') return false;
  if (IDEMPOTENT_TARGETS.has(t.name)) return true;
  const ext = parsedExtensionOf(rule.syntax, t.name, t.options);
  const names = ext.options.map((o) => o.spec.names[0]);
  switch (t.name) {
    case 'MARK':
    case 'CONNMARK': {
      // Clearing the bits of a mask and flipping bits inside it gives the same result twice;
      // flipping bits outside it (--xor-mark) does not.
      const op = ext.options.find((o) => ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'].includes(o.spec.names[0]));
      if (op) {
        const m = xmarkOf(op);
        return !!m && ((m.value & ~m.mask) >>> 0) === 0;
      }
      // --save-mark / --restore-mark copy one mark into the other: the same again, unless
      // masks or shifts make the copy depend on the bits it just wrote.
      return t.name === 'CONNMARK' && names.every((n) => n === '--save-mark' || n === '--restore-mark' || n === '--mask');
    }
    case 'TOS':
      return names.every((n) => n === '--set-tos' || n === '--and-tos' || n === '--or-tos') && tosIdempotent(ext.options.find((o) => o.spec.names[0] === '--set-tos')?.values[0]);
    case 'TTL':
      return names.every((n) => n === '--ttl-set');
    case 'HL':
      return names.every((n) => n === '--hl-set');
    default:
      return false;
  }
}

function tosIdempotent(value: unknown): boolean {
  if (value === undefined) return true;
  const v = value as { value?: number; mask?: number };
  return typeof v.value === 'number' && typeof v.mask === 'number' && ((v.value & ~v.mask) & 0xff) === 0;
}

/** The rule as iptables-save prints it, without its chain, counters and comments. */
function canonical(table: TableModel, rule: Rule): string | undefined {
  if (rule.target?.spec && (rule.target.spec as TargetSpec).terminating === 'some') return undefined; // SYNPROXY: decides only some packets
  try {
    const syntax = { ...rule.syntax, command: undefined, matches: rule.syntax.matches.filter((m) => m.name !== 'comment') };
    return printRule(syntax, { family: table.family, table: table.table }).join('\n');
  } catch (e) {
    if (e instanceof NotPrintable) return undefined;
    throw e;
  }
}

function comments(rule: Rule): string {
  return rule.syntax.matches
    .filter((m) => m.name === 'comment')
    .map((m) => m.options.map((i) => rule.syntax.items[i].args.map((a) => a.text).join(' ')).join(' '))
    .join('\n');
}

/** Per table: which user chains can change a packet, or decide differently on a second pass. */
class ChainPurity {
  private readonly memo = new Map<string, { pure: boolean; logs: boolean }>();
  constructor(private readonly table: TableModel) {}

  /** A chain whose rules only decide or log, with matches that depend on the packet alone (callees included). */
  of(name: string, visiting = new Set<string>()): { pure: boolean; logs: boolean } {
    const known = this.memo.get(name);
    if (known) return known;
    const chain = this.table.chains.get(name);
    if (!chain || visiting.has(name)) return { pure: false, logs: false };
    visiting.add(name);
    let pure = true;
    let logs = false;
    for (const r of chain.rules) {
      if (r.syntax.matches.some((m) => STATEFUL_MATCHES.has(m.name))) pure = false;
      const a = actionOf(r, this.table);
      if (a.kind === 'jump' || a.kind === 'goto') {
        const sub = this.of(a.chain, visiting);
        pure &&= sub.pure;
        logs ||= sub.logs;
      } else if (a.kind === 'continue' && r.target) {
        if (!PASSIVE_TARGETS.has(r.target.name)) pure = false;
        if (isLogRule(r)) logs = true;
      }
      if (!pure) break;
    }
    visiting.delete(name);
    const result = { pure, logs };
    this.memo.set(name, result);
    return result;
  }

  /** Whether a packet that goes on past this rule may be changed by it (or by the chain it jumps to). */
  alters(rule: Rule, action: Action): boolean {
    if (action.kind === 'jump' || action.kind === 'goto') return !this.of(action.chain).pure;
    if (action.kind === 'continue') return !!rule.target && !PASSIVE_TARGETS.has(rule.target.name);
    return false; // a verdict: the packets it takes go no further, the others pass unchanged
  }
}

function kindOf(rule: Rule, action: Action, purity: ChainPurity): { kind: DuplicateKind; stateful: string[]; calleeLogs: boolean } | undefined {
  const stateful = [...new Set(rule.syntax.matches.filter((m) => STATEFUL_MATCHES.has(m.name)).map((m) => m.name))];
  if (stateful.length) return { kind: 'stateful', stateful, calleeLogs: false };
  switch (action.kind) {
    case 'verdict':
    case 'goto':
      return { kind: 'shadowed', stateful, calleeLogs: false };
    case 'jump': {
      const callee = purity.of(action.chain);
      return callee.pure ? { kind: 'jump-again', stateful, calleeLogs: callee.logs } : undefined;
    }
    default:
      if (!rule.target) return { kind: 'counted-twice', stateful, calleeLogs: false };
      if (isLogRule(rule)) return { kind: 'logged-twice', stateful, calleeLogs: false };
      return idempotent(rule) ? { kind: 'applied-twice', stateful, calleeLogs: false } : undefined;
  }
}

interface Found {
  readonly list: readonly Duplicate[];
  readonly copies: ReadonlySet<Rule>;
  /** Each rule of a reported pair, with every rule of its chain of copies. */
  readonly groups: ReadonlyMap<Rule, ReadonlySet<Rule>>;
}

const cache = new WeakMap<CheckContext, Found>();

function find(ctx: CheckContext): Found {
  const known = cache.get(ctx);
  if (known) return known;
  const list: Duplicate[] = [];
  for (const table of ctx.tables()) {
    const facts = ctx.tableFacts(table);
    const purity = new ChainPurity(table);
    for (const chain of table.chains.values()) {
      // Rules after a catch-all are reported as a block (IPT204), duplicates or not.
      const chainFacts = facts.skipped ? undefined : facts.chains.get(chain.name);
      const catchAll = chainFacts && chainFacts.reachable ? catchAllIndex(facts, chainFacts) : undefined;
      const last = new Map<string, number>();
      const actions = chain.rules.map((r) => actionOf(r, table));
      // Index of the last rule so far that may change the packets going past it: the copy
      // repeats the first rule only if no such rule stands between them.
      let lastAltering = -1;
      chain.rules.forEach((rule, i) => {
        const key = canonical(table, rule);
        if (key !== undefined) {
          const j = last.get(key);
          if (j !== undefined && lastAltering <= j && (catchAll === undefined || i <= catchAll)) {
            const kind = kindOf(rule, actions[i], purity);
            if (kind) list.push({ table, chain: chain.name, first: chain.rules[j], copy: rule, ...kind, commentsDiffer: comments(chain.rules[j]) !== comments(rule) });
          }
          last.set(key, i);
        }
        if (purity.alters(rule, actions[i])) lastAltering = i;
      });
    }
  }
  const copies = new Set(list.map((d) => d.copy));
  const groups = new Map<Rule, Set<Rule>>();
  for (const d of list) {
    const group = groups.get(d.first) ?? new Set([d.first]);
    group.add(d.copy);
    groups.set(d.first, group);
    groups.set(d.copy, group);
  }
  const found = { list, copies, groups };
  cache.set(ctx, found);
  return found;
}

/** Every reported duplicate pair, in file order of the tables and chains. */
export function duplicateRules(ctx: CheckContext): readonly Duplicate[] {
  return find(ctx).list;
}

/** Whether the rule is the later copy of a reported duplicate pair (IPT311 speaks for it). */
export function isDuplicateCopy(ctx: CheckContext, rule: Rule): boolean {
  return find(ctx).copies.has(rule);
}

/** The rule and its copies, when it is part of a reported duplicate pair. */
export function duplicateGroup(ctx: CheckContext, rule: Rule): ReadonlySet<Rule> | undefined {
  return find(ctx).groups.get(rule);
}

// What the NAT checks share: the tables of a family, the translations NAT targets make,
// where the ruleset shows that an address belongs to another host, the tables a packet
// crosses before and after nat, and a FORWARD accept for the fixes.
//
// The engine analyses one table at a time. A NAT check follows packets across tables:
// through raw and mangle PREROUTING, the nat table, then the filter FORWARD chain with the
// rewritten destination. The packet sets of one family share one packet space, so a set of
// one table can be asked about in another.

import { Family, Hook, TableName } from '../../catalogue/types';
import { formatAddress } from '../../catalogue/addresses';
import { NatRange } from '../../catalogue/grammars/nat';
import { HostValue, InterfaceValue } from '../../catalogue/values';
import { Chain, Rule, TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { actionOf, ChainFacts, Outcome, RuleFacts, TableFacts } from '../../semantics/engine';
import { CT_STATE_VALUES, FieldName, PacketSpace } from '../../semantics/fields';
import { InterfaceClasses } from '../../semantics/interfaces';
import { assignment } from '../../semantics/trace';
import { Witness } from '../../semantics/witness';
import { isBuiltin } from '../../syntax/rule';
import { Span } from '../../syntax/text';
import { CheckContext } from '../context';
import { inFileOrder, insertAfter, insertAtStart, ruleLine, stateWords, styleOf } from '../edits';
import { Edit, WitnessFate } from '../types';

export interface AnalysedTable {
  readonly table: TableModel;
  readonly facts: TableFacts;
}

/** The table of a family with this name, as the kernel ends up with it (the last block), when it can be analysed. */
export function tableOf(ctx: CheckContext, family: Family, name: TableName): AnalysedTable | undefined {
  const all = ctx.ruleset.tables.filter((t) => t.family === family && t.table === name);
  const table = all[all.length - 1];
  if (!table || !ctx.tables().includes(table)) return undefined;
  const facts = ctx.tableFacts(table);
  return facts.skipped ? undefined : { table, facts };
}

/** Whether a table of this family and name is in the file (analysable or not). */
export function hasTable(ctx: CheckContext, family: Family, name: TableName): boolean {
  return ctx.ruleset.tables.some((t) => t.family === family && t.table === name);
}

/** The families whose nat table can be analysed, with their filter table when there is one. */
export function natFamilies(ctx: CheckContext): Array<{ family: Family; nat: AnalysedTable; filter?: AnalysedTable }> {
  const out: Array<{ family: Family; nat: AnalysedTable; filter?: AnalysedTable }> = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const nat = tableOf(ctx, family, 'nat');
    if (nat) out.push({ family, nat, filter: tableOf(ctx, family, 'filter') });
  }
  return out;
}

// ---------------------------------------------------------------- targets and sets

/** The single value of a NAT target option (`--to-destination`, `--to-source`), undefined when absent, repeated or not understood. */
export function natRangeOf(rule: Rule, option: '--to-destination' | '--to-source'): NatRange | undefined {
  const values = (rule.target?.options ?? []).map((i) => rule.syntax.items[i]).filter((it) => it.spec.names[0] === option);
  if (values.length !== 1) return undefined;
  const r = values[0].results[0];
  return r?.ok ? (r.value as NatRange) : undefined;
}

/** The target's name when it is a catalogue target (DNAT, SNAT, MASQUERADE ...). */
export function targetName(rule: Rule): string | undefined {
  return rule.target?.kind === 'extension' ? rule.target.name : undefined;
}

/** The packets of `set` with the fields `fields` forgotten (any value): ∃fields. set. */
export function forget(space: PacketSpace, set: Node, fields: readonly FieldName[]): Node {
  const { bdd } = space;
  const vars = new Set<number>();
  for (const name of fields) {
    const f = space.field(name);
    for (let i = 0; i < f.bits; i++) vars.add(f.first + i);
  }
  const memo = new Map<Node, Node>();
  const walk = (n: Node): Node => {
    if (n <= 1) return n;
    const known = memo.get(n);
    if (known !== undefined) return known;
    const lo = walk(bdd.low(n));
    const hi = walk(bdd.high(n));
    const out = vars.has(bdd.varOf(n)) ? bdd.or(lo, hi) : bdd.make(bdd.varOf(n), lo, hi);
    memo.set(n, out);
    return out;
  };
  return walk(set);
}

/** The packets of `set` whatever the fields `fields` are: ∀fields. set. */
export function forAll(space: PacketSpace, set: Node, fields: readonly FieldName[]): Node {
  return space.bdd.not(forget(space, space.bdd.not(set), fields));
}

/** Targets that give a packet another mark than the one it arrived with. */
const MARK_SETTERS = new Set(['MARK', 'CONNMARK', 'HMARK', 'TPROXY']);

/**
 * Whether some table of the family sets packet marks. The engine analyses tables one at a
 * time: a mark match in one table cannot know what another table set, so across tables a
 * claim must then hold whatever the mark is.
 */
export function marksChange(ctx: CheckContext, family: Family): boolean {
  return ctx.ruleset.tables.some((t) => t.family === family && [...t.chains.values()].some((c) => c.rules.some((r) => MARK_SETTERS.has(targetName(r) ?? ''))));
}

/** `set` made independent of the mark when marks change on the way (see marksChange). */
export function whateverMark(ctx: CheckContext, family: Family, space: PacketSpace, set: Node): Node {
  return marksChange(ctx, family) ? forAll(space, set, ['mark']) : set;
}

export const NEW_STATE = CT_STATE_VALUES.indexOf('NEW');
/** The ctnat field: bit 1 SNAT, bit 2 DNAT (see modules.ts). */
export const CTNAT_DNAT = 2;

/** Interface classes a routed packet can leave by: every real interface (not "none", not loopback). */
export function outClasses(interfaces: InterfaceClasses): number[] {
  return interfaces.classes.filter((c) => c.name !== '' && c.name !== 'lo').map((c) => c.index);
}

/** Interface names the family's rules give exactly (`-i eth0`, not `eth+`): each is a class of its own, one real interface. */
export function exactInterfaces(ctx: CheckContext, family: Family): Set<string> {
  const names = new Set<string>(['lo']);
  for (const table of ctx.ruleset.tables) {
    if (table.family !== family) continue;
    for (const chain of table.chains.values())
      for (const rule of chain.rules)
        for (const item of rule.syntax.items) {
          if (!isBuiltin(item) || (item.spec.id !== 'in-interface' && item.spec.id !== 'out-interface')) continue;
          const r = item.results[0];
          if (r?.ok && !(r.value as InterfaceValue).wildcard) names.add((r.value as InterfaceValue).name);
        }
  }
  return names;
}

/**
 * The out-interfaces a routed packet can have, given its in-interface: any real interface
 * but the one it came in by. A class that stands for several interfaces (`eth+`, "any
 * other") may be left by another of its members, so it stays allowed.
 */
export function leavesByAnother(ctx: CheckContext, family: Family): Node {
  const { space, interfaces } = ctx.getEngine().spaces.get(family)!;
  const { bdd } = space;
  const exact = exactInterfaces(ctx, family);
  const outs = outClasses(interfaces);
  const parts: Node[] = [];
  for (const c of interfaces.classes) {
    if (c.name === '') continue;
    const allowed = exact.has(c.name) ? outs.filter((o) => o !== c.index) : outs;
    parts.push(bdd.and(space.equals('iif', c.index), space.oneOf('oif', allowed)));
  }
  return bdd.orAll(parts);
}

/** The packets a chain's rule takes, possibly (may) or for certain (must), in the chain's real contexts. */
export function mayTake(facts: TableFacts, chain: ChainFacts, rule: RuleFacts): Node {
  const { bdd } = facts.space;
  return bdd.and(chain.mayEntry, bdd.and(rule.mayReach, rule.match.set));
}

export function mustTake(facts: TableFacts, chain: ChainFacts, rule: RuleFacts): Node {
  const { bdd } = facts.space;
  return rule.match.certain ? bdd.and(chain.mustEntry, bdd.and(rule.mustReach, rule.match.set)) : FALSE;
}

/** Packets certainly dropped or rejected by a built-in chain (callees and policy included). */
export function certainlyBlocked(facts: TableFacts, hook: Hook): Node {
  const chain = facts.chains.get(hook);
  if (!chain) return FALSE;
  const { must } = chain.outcomes();
  return facts.space.bdd.or(must.DROP, must.REJECT);
}

/** A unicast destination: not multicast, not a broadcast-looking IPv4 address (x.x.x.0 / x.x.x.255 / 255.255.255.255). */
export function unicastDst(space: PacketSpace): Node {
  const { bdd } = space;
  if (space.family === 'ipv6') return bdd.not(space.masked('dst', 0xffn << 120n, 0xffn << 120n));
  const multicast = space.masked('dst', 0xe0000000n, 0xf0000000n);
  const lastOctet = (v: bigint) => space.masked('dst', v, 0xffn);
  return bdd.not(bdd.orAll([multicast, lastOctet(0n), lastOctet(255n)]));
}

// ---------------------------------------------------------------- the tables around nat

/** The hooks from which each chain of a table can be entered (built-in chains: their own). */
export function chainHooks(model: TableModel): Map<string, Set<Hook>> {
  const hooks = new Map<string, Set<Hook>>();
  for (const chain of model.chains.values()) {
    if (!chain.builtin) continue;
    const hook = chain.name as Hook;
    const stack = [chain.name];
    const seen = new Set<string>();
    while (stack.length) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const set = hooks.get(name) ?? new Set<Hook>();
      set.add(hook);
      hooks.set(name, set);
      for (const rule of model.chains.get(name)?.rules ?? []) {
        const a = actionOf(rule, model);
        if (a.kind === 'jump' || a.kind === 'goto') stack.push(a.chain);
      }
    }
  }
  return hooks;
}

/** Rules of chains entered only from the given hooks. */
function* rulesOnlyFrom(model: TableModel, allowed: readonly Hook[]): Generator<Rule> {
  const hooks = chainHooks(model);
  for (const chain of model.chains.values()) {
    const h = hooks.get(chain.name);
    if (!h || h.size === 0 || [...h].some((x) => !allowed.includes(x))) continue;
    yield* chain.rules;
  }
}

/** Rules whose target never lets the packet go on towards routing as it is. */
const DIVERTING = new Set(['TPROXY']);

/**
 * The packets of `set` that raw and mangle PREROUTING certainly let through unchanged in
 * destination (no DROP, REJECT, TPROXY, nor a rule the engine cannot judge on the way), and
 * that conntrack tracks (no NOTRACK). `set` is in the PREROUTING universe (no out-interface).
 */
export function passPrerouting(ctx: CheckContext, family: Family, set: Node): Node {
  return passTables(ctx, family, 'PREROUTING', ['raw', 'mangle'], set);
}

function passTables(ctx: CheckContext, family: Family, hook: Hook, tables: readonly TableName[], set: Node): Node {
  let out = set;
  for (const name of tables) {
    if (!hasTable(ctx, family, name)) continue;
    const t = tableOf(ctx, family, name);
    if (!t) return FALSE;
    const chain = t.facts.chains.get(hook);
    if (!chain) continue;
    const { bdd } = t.facts.space;
    const { must } = chain.outcomes();
    out = bdd.and(out, bdd.and(chain.mustEntry, must.ACCEPT));
    for (const c of t.facts.chains.values())
      for (const r of c.rules) {
        const target = targetName(r.rule);
        const untracks = target === 'NOTRACK' || (target === 'CT' && (r.rule.target?.options ?? []).some((i) => r.rule.syntax.items[i].spec.names[0] === '--notrack'));
        if (untracks || (target && DIVERTING.has(target))) out = bdd.diff(out, r.match.set);
      }
  }
  return out;
}

/**
 * `-m addrtype --dst-type LOCAL` (Docker's way into its DNAT chain) is not modelled: rules
 * using it are uncertain. For a packet addressed to one of this host's own unicast
 * addresses (a packet that INPUT would see but for NAT), that match is true. The nat
 * table analysed under that assumption (the match left out of such rules) tells which of
 * those packets are certainly translated; its sets only hold for such packets (intersect
 * with a unicast destination). Undefined when no rule uses the match that way.
 */
export function natForLocalDestinations(ctx: CheckContext, nat: AnalysedTable): TableFacts | undefined {
  let perCtx = assumed.get(ctx);
  if (!perCtx) assumed.set(ctx, (perCtx = new Map()));
  if (perCtx.has(nat.table)) return perCtx.get(nat.table) ?? undefined;
  let changed = false;
  const chains = new Map<string, Chain>();
  for (const [name, chain] of nat.table.chains) {
    const rules = chain.rules.map((rule) => {
      const matches = rule.syntax.matches.filter((m) => !isLocalDstType(rule, m.name, m.options));
      if (matches.length === rule.syntax.matches.length) return rule;
      changed = true;
      return { ...rule, syntax: { ...rule.syntax, matches } };
    });
    chains.set(name, { ...chain, rules });
  }
  const facts = changed ? ctx.getEngine().analyseTable({ ...nat.table, chains }) : undefined;
  perCtx.set(nat.table, facts && !facts.skipped ? facts : null);
  return facts && !facts.skipped ? facts : undefined;
}

const assumed = new WeakMap<CheckContext, Map<TableModel, TableFacts | null>>();

/** `-m addrtype --dst-type LOCAL`, nothing more, not negated. */
function isLocalDstType(rule: Rule, name: string, options: readonly number[]): boolean {
  if (name !== 'addrtype' || options.length !== 1) return false;
  const item = rule.syntax.items[options[0]];
  const r = item.results[0];
  return item.spec.names[0] === '--dst-type' && !item.negation && !!r?.ok && JSON.stringify(r.value) === '["LOCAL"]';
}

// ---------------------------------------------------------------- whose address is it

function hostAddresses(rule: Rule, id: 'source' | 'destination'): bigint[] {
  const out: bigint[] = [];
  for (const item of rule.syntax.items) {
    if (!isBuiltin(item) || item.spec.id !== id || item.negation) continue;
    const r = item.results[0];
    if (!r?.ok) continue;
    const v = r.value as HostValue;
    for (const a of v.addresses) if (a.mask === (a.family === 'ipv4' ? 0xffffffffn : (1n << 128n) - 1n)) out.push(a.address);
  }
  return out;
}

function outInterface(rule: Rule): InterfaceValue | undefined {
  for (const item of rule.syntax.items) {
    if (!isBuiltin(item) || item.spec.id !== 'out-interface' || item.negation) continue;
    const r = item.results[0];
    if (r?.ok) return r.value as InterfaceValue;
  }
  return undefined;
}

/** What the ruleset says about an address: rules that treat it as another host's, or as this host's. */
export interface AddressEvidence {
  /** Forwarded traffic is accepted to or from it, or nat sends traffic for it out of a real interface. */
  readonly remote: readonly Rule[];
  /** It is a loopback address, an address INPUT/OUTPUT rules give to this host, a SNAT source, or a destination that is itself DNATed. */
  readonly local: readonly Rule[];
  readonly loopback: boolean;
}

/**
 * Where the ruleset names single host addresses, gathered once per analysis: a check asks
 * about one address per NAT rule, and scanning every rule for each would be quadratic
 * (kube-proxy rulesets have thousands of DNATs).
 */
interface AddressIndex {
  readonly remote: Map<bigint, Rule[]>;
  readonly local: Map<bigint, Rule[]>;
  readonly snat: ReadonlyArray<{ readonly rule: Rule; readonly min: bigint; readonly max: bigint }>;
}

const addressIndexes = new WeakMap<CheckContext, Map<Family, AddressIndex>>();

function addressIndex(ctx: CheckContext, family: Family): AddressIndex {
  let perCtx = addressIndexes.get(ctx);
  if (!perCtx) addressIndexes.set(ctx, (perCtx = new Map()));
  const known = perCtx.get(family);
  if (known) return known;
  const remote = new Map<bigint, Rule[]>();
  const local = new Map<bigint, Rule[]>();
  const snat: Array<{ rule: Rule; min: bigint; max: bigint }> = [];
  const add = (map: Map<bigint, Rule[]>, rule: Rule, addresses: readonly bigint[]) => {
    for (const a of new Set(addresses)) {
      const list = map.get(a) ?? [];
      list.push(rule);
      map.set(a, list);
    }
  };
  for (const table of ctx.ruleset.tables) {
    if (table.family !== family) continue;
    if (table.table === 'nat') {
      for (const rule of rulesOnlyFrom(table, ['POSTROUTING'])) {
        const out = outInterface(rule);
        if (out && !out.wildcard && out.name !== 'lo') add(remote, rule, hostAddresses(rule, 'destination'));
      }
      for (const chain of table.chains.values())
        for (const rule of chain.rules) {
          const name = targetName(rule);
          if (name === 'SNAT') {
            const to = natRangeOf(rule, '--to-source')?.addresses;
            if (to) snat.push({ rule, min: to.min, max: to.max });
          }
          if (name === 'DNAT' || name === 'REDIRECT' || name === 'NETMAP') add(local, rule, hostAddresses(rule, 'destination'));
        }
      continue;
    }
    for (const rule of rulesOnlyFrom(table, ['FORWARD'])) {
      const a = actionOf(rule, table);
      if (a.kind === 'verdict' && a.outcome === 'ACCEPT' && a.standard) add(remote, rule, [...hostAddresses(rule, 'destination'), ...hostAddresses(rule, 'source')]);
    }
    for (const rule of rulesOnlyFrom(table, ['INPUT'])) add(local, rule, hostAddresses(rule, 'destination'));
    for (const rule of rulesOnlyFrom(table, ['OUTPUT'])) add(local, rule, hostAddresses(rule, 'source'));
  }
  const index = { remote, local, snat };
  perCtx.set(family, index);
  return index;
}

export function addressEvidence(ctx: CheckContext, family: Family, address: bigint): AddressEvidence {
  const index = addressIndex(ctx, family);
  const loopback = family === 'ipv4' ? address >> 24n === 127n : address === 1n;
  const fromSnat = index.snat.filter((s) => s.min <= address && address <= s.max).map((s) => s.rule);
  return { remote: index.remote.get(address) ?? [], local: [...fromSnat, ...(index.local.get(address) ?? [])], loopback };
}

/** Whether the ruleset shows `address` is another host's (so traffic DNATed to it is forwarded), and nothing says it is this host's. */
export function isRoutedAddress(ctx: CheckContext, family: Family, address: bigint): boolean {
  const e = addressEvidence(ctx, family, address);
  return !e.loopback && e.local.length === 0 && e.remote.length > 0;
}

// ---------------------------------------------------------------- concrete packets

/** A concrete packet: the witness's fields, `ctnat` as given, everything else as the kernel tests send it. */
export function packetBits(space: PacketSpace, interfaces: InterfaceClasses, w: Witness, ctnat = 0): boolean[] {
  const bits = assignment(space, interfaces, w);
  const f = space.field('ctnat');
  for (let i = 0; i < f.bits; i++) bits[f.first + i] = ((BigInt(ctnat) >> BigInt(f.bits - 1 - i)) & 1n) === 1n;
  return bits;
}

export interface ConcreteDecision {
  readonly outcome: Outcome;
  /** The deciding rule; undefined when the policy decides. */
  readonly rule?: RuleFacts;
}

/**
 * What a built-in chain does with one concrete packet, following jumps, gotos and RETURN.
 * Undefined when a rule the engine cannot judge matches on the way (no claim then).
 */
export function decideConcrete(facts: TableFacts, hook: Hook, bits: readonly boolean[]): ConcreteDecision | undefined {
  const { bdd } = facts.space;
  let unsure = false;
  const walk = (chain: ChainFacts, depth: number): ConcreteDecision | 'return' => {
    if (depth > 64) {
      unsure = true;
      return 'return';
    }
    for (const r of chain.rules) {
      if (!bdd.contains(r.match.set, bits)) continue;
      const a = r.action;
      // A rule that only logs or marks changes nothing on the way, matched or not.
      if (a.kind === 'continue') continue;
      if (!r.match.certain) unsure = true;
      if (a.kind === 'verdict') return a.outcome === 'RETURN' ? 'return' : { outcome: a.outcome, rule: r };
      if (a.kind === 'jump' || a.kind === 'goto') {
        const sub = facts.chains.get(a.chain);
        if (!sub) continue;
        const d = walk(sub, depth + 1);
        if (d !== 'return') return d;
        if (a.kind === 'goto') return 'return';
      }
    }
    return 'return';
  };
  const chain = facts.chains.get(hook);
  if (!chain) return { outcome: 'ACCEPT' };
  const d = walk(chain, 0);
  if (unsure) return undefined;
  return d === 'return' ? { outcome: chain.chain.policy === 'DROP' ? 'DROP' : 'ACCEPT' } : d;
}

/** How a decision reads in a message, and the claim for the kernel tests. */
export function decisionText(ctx: CheckContext, d: ConcreteDecision, chain: string): string {
  const verb = d.outcome === 'REJECT' ? 'rejected' : d.outcome === 'DROP' ? 'dropped' : d.outcome === 'ACCEPT' ? 'accepted' : 'taken';
  return d.rule ? `${verb} by line ${ctx.lineOf(d.rule.rule)}` : `${verb} by the policy of ${chain}`;
}

export function decisionFate(ctx: CheckContext, d: ConcreteDecision): WitnessFate {
  return d.rule ? { table: 'filter', outcome: d.outcome, line: ctx.lineOf(d.rule.rule) } : { table: 'filter', outcome: d.outcome };
}

/** Related information pointing at what decided: the rule, or the chain's declaration (its policy). */
export function decisionRelated(ctx: CheckContext, table: TableModel, d: ConcreteDecision, chain: string, message: string): { span: Span; message: string } {
  if (d.rule) return { span: ctx.spanOf(d.rule.rule), message };
  const decl = table.chains.get(chain)?.declaration;
  return { span: ctx.tree.lines[decl ?? ctx.tree.blocks[table.block].header].span, message: `${message} (policy ${table.chains.get(chain)?.policy ?? 'ACCEPT'})` };
}

/** `192.168.1.10:80`, `[2001:db8::5]:80`, `192.168.1.10-192.168.1.20:80-90`: a NAT range as people write it. */
export function natRangeText(family: Family, range: NatRange): string {
  const a = range.addresses;
  const addr = a ? `${formatAddress(family, a.min)}${a.max !== a.min ? `-${formatAddress(family, a.max)}` : ''}` : '';
  const ports = range.ports ? `${range.ports.min}${range.ports.max !== range.ports.min ? `-${range.ports.max}` : ''}` : '';
  if (!ports) return addr;
  return family === 'ipv6' && addr ? `[${addr}]:${ports}` : `${addr}:${ports}`;
}

// ---------------------------------------------------------------- fixes

/**
 * An ACCEPT for `words` near the top of the filter FORWARD chain: after its leading rules
 * that cannot touch new connections (RELATED,ESTABLISHED accepts, INVALID drops). When such
 * a leading rule certainly accepts ESTABLISHED traffic, the new rule only takes new
 * connections (`--ctstate NEW`): the rest of the connection is already let through.
 * Undefined when FORWARD's positions cannot be edited.
 */
export function forwardAccept(ctx: CheckContext, filter: AnalysedTable, words: readonly string[]): { edit: Edit; line: string; words: string[] } | undefined {
  const { table, facts } = filter;
  if (!inFileOrder(table, 'FORWARD')) return undefined;
  const { space } = facts;
  const { bdd } = space;
  const fresh = space.equals('state', NEW_STATE);
  const established = space.equals('state', CT_STATE_VALUES.indexOf('ESTABLISHED'));
  let last: RuleFacts | undefined;
  let acceptsEstablished = false;
  for (const r of facts.chains.get('FORWARD')?.rules ?? []) {
    if (bdd.intersects(r.match.set, fresh)) break;
    last = r;
    if (r.match.certain && r.action.kind === 'verdict' && r.action.outcome === 'ACCEPT' && bdd.subset(established, r.match.set)) acceptsEstablished = true;
  }
  const style = styleOf(ctx.tree);
  const all = acceptsEstablished ? [...words, ...stateWords(style, 'NEW')] : [...words];
  const line = ruleLine(style, 'FORWARD', [...all, '-j', 'ACCEPT']);
  const edit = last ? insertAfter(ctx.tree, style, last.rule, [line]) : insertAtStart(ctx.tree, style, table, 'FORWARD', [line]);
  return edit ? { edit, line, words: all } : undefined;
}

/** The rule's `-i` word pair when it names one interface (or a prefix) without negation. */
export function inInterfaceWords(rule: Rule): string[] {
  for (const item of rule.syntax.items) {
    if (!isBuiltin(item) || item.spec.id !== 'in-interface' || item.negation) continue;
    const r = item.results[0];
    if (r?.ok) {
      const v = r.value as InterfaceValue;
      return ['-i', v.wildcard ? `${v.name}+` : v.name];
    }
  }
  return [];
}

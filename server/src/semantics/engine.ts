// Exact reachability over a table: which packets can reach each rule, which certainly do,
// and what happens to every packet in the end.
//
// Each chain is walked once, on its own: a user chain over every possible packet, a
// built-in chain over the packets its hook sees. The walk gives, for each rule, the packets
// that are still undecided there *by this chain's own rules* (local reach), and for the
// chain the packets it hands back (RETURN). A packet's fate in a chain depends only on the
// packet, so a jump needs no more than the callee's own walk: the packets that come back
// are the site's packets that the callee returns. Nothing is inlined (real rulesets grow
// several times when inlined), and no chain is walked twice.
//
// The packets that really enter a user chain (its entry) are gathered afterwards, callers
// first, from the call sites that can be reached. A rule's full reach is entry ∧ local
// reach; checks ask emptiness questions about it without building it (Bdd.intersects),
// which keeps the entry's often large structure (source addresses paired with MAC
// addresses, say) out of every rule's sets.
//
// Every set comes in two versions because of uncertain rules (see match-set.ts):
//   may  - packets that possibly ... (an over-approximation): used to prove absence,
//          e.g. "no packet can reach this rule";
//   must - packets that certainly ... (an under-approximation): used to prove existence,
//          e.g. "this packet is certainly dropped by line 5".

import { Family, Hook, TableName, TargetSpec } from '../catalogue/types';
import { InterfaceValue } from '../catalogue/values';
import { Chain, isBuiltinChain, Rule, rulesInFileOrder, Ruleset, TableModel } from '../model/ruleset';
import { isBuiltin, parseRule } from '../syntax/rule';
import { plainWord } from '../syntax/words';
import { FALSE, Node, TRUE } from './bdd';
import { PacketSpace } from './fields';
import { InterfaceClasses } from './interfaces';
import { interfaceDomain, MatchEnv, matchSet, MatchSet } from './match-set';

export type Outcome = 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN' | 'QUEUE' | 'OTHER';
export const OUTCOMES: readonly Outcome[] = ['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'QUEUE', 'OTHER'];
/** Outcomes that end the packet's way through the table (RETURN hands it back). */
export const FINAL_OUTCOMES: readonly Outcome[] = ['ACCEPT', 'DROP', 'REJECT', 'QUEUE', 'OTHER'];

export type OutcomeSets = Record<Outcome, Node>;

/** What a rule does with the packets it matches. */
export type Action =
  | { readonly kind: 'verdict'; readonly outcome: Outcome; readonly target: string; readonly standard: boolean }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string }
  | { readonly kind: 'continue' };

/** Terminating targets and the verdict they give the packet in the table. */
const TARGET_OUTCOMES: Readonly<Record<string, Outcome>> = {
  ACCEPT: 'ACCEPT',
  DROP: 'DROP',
  RETURN: 'RETURN',
  QUEUE: 'QUEUE',
  REJECT: 'REJECT',
  NFQUEUE: 'QUEUE',
  // NAT targets and TPROXY let the packet go on (NF_ACCEPT) once they have rewritten it.
  DNAT: 'ACCEPT',
  SNAT: 'ACCEPT',
  MASQUERADE: 'ACCEPT',
  REDIRECT: 'ACCEPT',
  NETMAP: 'ACCEPT',
  TPROXY: 'ACCEPT',
};

export function actionOf(rule: Rule, model: TableModel): Action {
  const t = rule.target;
  if (!t) return { kind: 'continue' };
  if (t.kind === 'chain') return model.chains.has(t.name) && !isBuiltinChain(model.table, t.name) ? { kind: t.goto ? 'goto' : 'jump', chain: t.name } : { kind: 'continue' };
  if (t.kind === 'verdict') return { kind: 'verdict', outcome: TARGET_OUTCOMES[t.name], target: t.name, standard: true };
  const spec = t.spec as TargetSpec | undefined;
  if (!spec?.terminating) return { kind: 'continue' };
  return { kind: 'verdict', outcome: TARGET_OUTCOMES[spec.name] ?? 'OTHER', target: spec.name, standard: false };
}

export interface RuleFacts {
  readonly rule: Rule;
  readonly match: MatchSet;
  readonly action: Action;
  /**
   * Packets that possibly / certainly get to the rule, counting only the rules of its own
   * chain (local reach). The packets that really reach it are the chain's entry ∧ this.
   */
  readonly mayReach: Node;
  readonly mustReach: Node;
}

export interface ChainFacts {
  readonly chain: Chain;
  /** Packets that possibly / certainly enter the chain (a built-in chain: its hook's packets). */
  readonly mayEntry: Node;
  readonly mustEntry: Node;
  readonly rules: readonly RuleFacts[];
  /**
   * What happens to the packets that enter the chain (RETURN for a user chain's
   * fall-through), computed when first asked: most findings need only the per-rule facts.
   */
  outcomes(): { readonly may: OutcomeSets; readonly must: OutcomeSets };
  /**
   * The outcome of every packet of the chain's own universe (any packet for a user chain),
   * whether or not it can enter: a packet's fate in a chain depends only on the packet,
   * so this answers "what would the chain do with these packets" without the entry.
   */
  localOutcomes(): { readonly may: OutcomeSets; readonly must: OutcomeSets };
  /** A jump or goto from a reachable rule leads here (always true for built-in chains). */
  readonly reachable: boolean;
}

export interface TableFacts {
  readonly model: TableModel;
  readonly space: PacketSpace;
  /** Per chain, its facts over all the contexts it is entered in. */
  readonly chains: Map<string, ChainFacts>;
  /** The table has a jump loop: nothing is analysed (the kernel refuses it anyway). */
  readonly skipped?: string;
}

function emptyOutcomes(): OutcomeSets {
  return { ACCEPT: FALSE, DROP: FALSE, REJECT: FALSE, RETURN: FALSE, QUEUE: FALSE, OTHER: FALSE };
}

/** All -i/-o values of a family's tables, to build its interface classes. */
function interfacePatterns(tables: readonly TableModel[]): InterfaceValue[] {
  const out: InterfaceValue[] = [];
  for (const t of tables)
    for (const rule of rulesInFileOrder(t))
      for (const item of rule.syntax.items)
        if (isBuiltin(item) && (item.spec.id === 'in-interface' || item.spec.id === 'out-interface') && item.results[0]?.ok) out.push(item.results[0].value as InterfaceValue);
  out.push({ name: 'lo', wildcard: false });
  return out;
}

/**
 * A target that decides only some of the packets it gets (SYNPROXY): the rule may or may
 * not take a matching packet, like a rule with a match the engine does not model.
 */
function decidesSome(rule: Rule): boolean {
  return (rule.target?.spec as TargetSpec | undefined)?.terminating === 'some';
}

/**
 * Room for the diagram, from the number of rules: growing it rehashes every node, which cost
 * a quarter of the analysis of a 5,556-rule file (three doublings from the old fixed start).
 * Real rulesets measured at 150 to 400 nodes a rule; small files start small.
 */
function initialNodes(tables: readonly TableModel[]): number {
  let rules = 0;
  for (const t of tables) for (const c of t.chains.values()) rules += c.rules.length;
  const wanted = Math.min(1 << 22, Math.max(1 << 15, rules * 256));
  return 1 << Math.ceil(Math.log2(wanted));
}

/** Targets after which a packet's mark is no longer the one it arrived with. */
const MARK_SETTERS = new Set(['MARK', 'CONNMARK', 'HMARK']);

export interface EngineOptions {
  /**
   * Other rulesets whose tables this engine will analyse too (a ruleset before and after
   * an edit): their interface names and use of conntrack shape the shared packet space,
   * so that sets of both can be compared.
   */
  readonly also?: readonly Ruleset[];
  /** Interface names that match words given to `matchWords` will use. */
  readonly interfaces?: readonly InterfaceValue[];
}

/** A chain name for parsing bare match words: a user chain, where -i and -o are both allowed. */
const WORDS_CHAIN = 'IPTABLES-LINT-WORDS';

export class Engine {
  readonly spaces = new Map<Family, { space: PacketSpace; interfaces: InterfaceClasses; conntrack: boolean; marksChange: boolean }>();

  constructor(
    readonly ruleset: Ruleset,
    options: EngineOptions = {},
  ) {
    const all = [ruleset, ...(options.also ?? [])];
    for (const family of ['ipv4', 'ipv6'] as const) {
      const tables = all.flatMap((r) => r.tables.filter((t) => t.family === family));
      if (tables.length === 0) continue;
      const interfaces = new InterfaceClasses([...interfacePatterns(tables), ...(options.interfaces ?? [])]);
      const conntrack = tables.some((t) => t.table === 'nat' || rulesInFileOrder(t).some((r) => r.syntax.matches.some((m) => m.name === 'conntrack' || m.name === 'state')));
      // A MARK in any table (mangle PREROUTING runs before filter) changes what a later
      // `-m mark` sees, so mark matches are then not modelled in any table of the family.
      const marksChange = tables.some((t) => rulesInFileOrder(t).some((r) => r.target?.spec && MARK_SETTERS.has(r.target.spec.name)));
      const space = new PacketSpace(family, interfaces.count, initialNodes(tables));
      this.spaces.set(family, { space, interfaces, conntrack, marksChange });
    }
  }

  /**
   * The packets that iptables match words select (`['-i', 'lo']`, `['-p', 'tcp',
   * '--dport', '22']`), as a rule with those words would match them in `table`. Throws on
   * words iptables would refuse. Interface names should be known to the engine (a ruleset
   * uses them, or EngineOptions.interfaces lists them), or they fall into a wider class.
   */
  matchWords(family: Family, table: TableName, words: readonly string[]): MatchSet {
    const entry = this.spaces.get(family);
    if (!entry) throw new Error(`the ruleset has no ${family} table`);
    let offset = 0;
    const parsed = ['-A', WORDS_CHAIN, ...words].map((w) => {
      const word = plainWord(w, offset);
      offset += w.length + 1;
      return word;
    });
    const syntax = parseRule(parsed, { family, table, restore: true });
    const errors = syntax.problems.filter((p) => (p.severity ?? 'error') === 'error');
    if (errors.length) throw new Error(`'${words.join(' ')}' is not a valid match: ${errors[0].message}`);
    return matchSet(syntax, { space: entry.space, interfaces: entry.interfaces, marksChange: false });
  }

  /** Packets that can exist on a hook: interfaces present where the hook has them, etc. */
  hookUniverse(family: Family, hook: Hook | undefined): Node {
    const { space, interfaces, conntrack } = this.spaces.get(family)!;
    const env = { space, interfaces, marksChange: false };
    const { bdd } = space;
    let u = bdd.andAll([interfaceDomain(env, 'iif'), interfaceDomain(env, 'oif'), space.range('state', 0, 4)]);
    const none = (field: 'iif' | 'oif') => space.equals(field, 0);
    const some = (field: 'iif' | 'oif') => bdd.not(none(field));
    if (hook === 'INPUT' || hook === 'PREROUTING') u = bdd.andAll([u, some('iif'), none('oif')]);
    if (hook === 'OUTPUT') u = bdd.andAll([u, none('iif'), some('oif')]);
    if (hook === 'FORWARD') u = bdd.andAll([u, some('iif'), some('oif')]);
    if (hook === 'POSTROUTING') u = bdd.and(u, some('oif'));
    // The kernel reassembles fragments before INPUT, and before everything once connection
    // tracking is in use (its defragmentation runs first).
    if (hook === 'INPUT' || conntrack) u = bdd.and(u, space.equals('frag', 0));
    return u;
  }

  analyseTable(model: TableModel): TableFacts {
    const { space, interfaces, marksChange } = this.spaces.get(model.family)!;
    const env: MatchEnv = { space, interfaces, marksChange };
    const matches = new Map<Rule, MatchSet>();
    for (const rule of rulesInFileOrder(model)) matches.set(rule, decidesSome(rule) ? { ...matchSet(rule.syntax, env), certain: false } : matchSet(rule.syntax, env));
    const chains = new Map<string, ChainFacts>();
    const order = userChainsCalleesFirst(model);
    if (!order) return { model, space, chains, skipped: 'the table has a jump loop' };
    const walker = new ChainWalker(space, model, matches);
    const universes = new Map<string, Node>();
    for (const chain of model.chains.values()) if (chain.builtin) universes.set(chain.name, this.hookUniverse(model.family, chain.name as Hook));
    const entries = new Map<string, { may: Node; must: Node }>();
    // Callers before callees: every entry is complete before its chain is visited.
    const visitOrder = [...[...model.chains.values()].filter((c) => c.builtin).map((c) => c.name), ...[...order].reverse()];
    for (const name of visitOrder) {
      const chain = model.chains.get(name)!;
      const universe = universes.get(name);
      const walk = walker.walk(chain, universe ?? TRUE);
      const entry = universe !== undefined ? { may: universe, must: universe } : (entries.get(name) ?? { may: FALSE, must: FALSE });
      chains.set(name, walker.facts(walk, entry, universe !== undefined || entry.may !== FALSE));
      if (entry.may !== FALSE) addCalleeEntries(space, walk, entry, entries);
    }
    return { model, space, chains };
  }
}

/** Adds what the reachable call sites of a walk send to each callee's entry. */
function addCalleeEntries(space: PacketSpace, walk: Walk, entry: { may: Node; must: Node }, entries: Map<string, { may: Node; must: Node }>): void {
  const { bdd } = space;
  for (const f of walk.rules) {
    if (f.action.kind !== 'jump' && f.action.kind !== 'goto') continue;
    const sent = bdd.and(entry.may, bdd.and(f.mayReach, f.match.set));
    if (sent === FALSE) continue;
    const known = entries.get(f.action.chain) ?? { may: FALSE, must: FALSE };
    const certain = f.match.certain ? bdd.and(entry.must, bdd.and(f.mustReach, f.match.set)) : FALSE;
    entries.set(f.action.chain, { may: bdd.or(known.may, sent), must: bdd.or(known.must, certain) });
  }
}

/** One walk of a chain over its own universe. */
interface Walk {
  readonly chain: Chain;
  readonly rules: RuleFacts[];
  /** The callee's walk at each jump or goto rule (same index as `rules`). */
  readonly subs: Array<Walk | undefined>;
  /** Packets still undecided after the last rule: they get the policy, or RETURN. */
  readonly mayEnd: Node;
  readonly mustEnd: Node;
  /** Packets handed back to the caller (RETURN rules, fall-through, gotos that return). */
  readonly mayReturn: Node;
  readonly mustReturn: Node;
}

/** Walks chains rule by rule, each once, and the callees they jump to. */
class ChainWalker {
  private readonly walks = new Map<string, Walk>();
  private readonly outcomeMemo = new Map<Walk, { may: OutcomeSets; must: OutcomeSets }>();

  constructor(
    private readonly space: PacketSpace,
    private readonly model: TableModel,
    private readonly matches: Map<Rule, MatchSet>,
  ) {}

  walk(chain: Chain, universe: Node): Walk {
    let w = this.walks.get(chain.name);
    if (!w) {
      w = this.walkRules(chain, universe);
      this.walks.set(chain.name, w);
    }
    return w;
  }

  facts(walk: Walk, entry: { may: Node; must: Node }, reachable: boolean): ChainFacts {
    const { bdd } = this.space;
    return {
      chain: walk.chain,
      mayEntry: entry.may,
      mustEntry: entry.must,
      rules: walk.rules,
      reachable,
      localOutcomes: () => this.outcomes(walk),
      outcomes: () => {
        const local = this.outcomes(walk);
        const restrict = (sets: OutcomeSets, by: Node) => Object.fromEntries(OUTCOMES.map((o) => [o, bdd.and(by, sets[o])])) as OutcomeSets;
        return { may: restrict(local.may, entry.may), must: restrict(local.must, entry.must) };
      },
    };
  }

  /** The outcome of every packet of the chain's universe, from its rules and callees. */
  private outcomes(walk: Walk): { may: OutcomeSets; must: OutcomeSets } {
    const known = this.outcomeMemo.get(walk);
    if (known) return known;
    const { bdd } = this.space;
    const may = emptyOutcomes();
    const must = emptyOutcomes();
    const give = (o: Outcome, mayPart: Node, mustPart: Node) => {
      may[o] = bdd.or(may[o], mayPart);
      must[o] = bdd.or(must[o], mustPart);
    };
    walk.rules.forEach((f, i) => {
      const here = bdd.and(f.mayReach, f.match.set);
      const certainHere = f.match.certain ? bdd.and(f.mustReach, f.match.set) : FALSE;
      if (f.action.kind === 'verdict') give(f.action.outcome, here, certainHere);
      const sub = walk.subs[i];
      if (!sub) return;
      const inner = this.outcomes(sub);
      for (const o of FINAL_OUTCOMES) give(o, bdd.and(here, inner.may[o]), bdd.and(certainHere, inner.must[o]));
      if (f.action.kind === 'goto') give('RETURN', bdd.and(here, inner.may.RETURN), bdd.and(certainHere, inner.must.RETURN));
    });
    const end: Outcome = walk.chain.builtin ? (walk.chain.policy === 'DROP' ? 'DROP' : 'ACCEPT') : 'RETURN';
    give(end, walk.mayEnd, walk.mustEnd);
    const result = { may, must };
    this.outcomeMemo.set(walk, result);
    return result;
  }

  private walkRules(chain: Chain, universe: Node): Walk {
    const { bdd } = this.space;
    let mayRest = universe;
    let mustRest = universe;
    let mayReturn = FALSE;
    let mustReturn = FALSE;
    const rules: RuleFacts[] = [];
    const subs: Array<Walk | undefined> = [];
    for (const rule of chain.rules) {
      const match = this.matches.get(rule)!;
      const action = actionOf(rule, this.model);
      rules.push({ rule, match, action, mayReach: mayRest, mustReach: mustRest });
      subs.push(undefined);
      const M = match.set;
      if (action.kind === 'verdict') {
        if (action.outcome === 'RETURN') {
          mayReturn = bdd.or(mayReturn, bdd.and(mayRest, M));
          if (match.certain) mustReturn = bdd.or(mustReturn, bdd.and(mustRest, M));
        }
        if (match.certain) mayRest = bdd.diff(mayRest, M);
        mustRest = bdd.diff(mustRest, M);
      } else if (action.kind === 'jump' || action.kind === 'goto') {
        const mayHere = bdd.and(mayRest, M);
        if (mayHere === FALSE) continue;
        const mustHere = match.certain ? bdd.and(mustRest, M) : FALSE;
        const sub = this.walk(this.model.chains.get(action.chain)!, TRUE);
        subs[subs.length - 1] = sub;
        if (action.kind === 'goto') {
          // Packets the goto'd chain hands back leave this chain as well.
          mayReturn = bdd.or(mayReturn, bdd.and(mayHere, sub.mayReturn));
          mustReturn = bdd.or(mustReturn, bdd.and(mustHere, sub.mustReturn));
          if (match.certain) mayRest = bdd.diff(mayRest, M);
          mustRest = bdd.diff(mustRest, M);
        } else {
          // Packets that certainly enter and cannot come back are certainly decided in the
          // callee; those that may enter and may not come back may be.
          mayRest = bdd.diff(mayRest, bdd.diff(mustHere, sub.mayReturn));
          mustRest = bdd.diff(mustRest, bdd.diff(mayHere, sub.mustReturn));
        }
      }
    }
    if (!chain.builtin) {
      mayReturn = bdd.or(mayReturn, mayRest);
      mustReturn = bdd.or(mustReturn, mustRest);
    }
    return { chain, rules, subs, mayEnd: mayRest, mustEnd: mustRest, mayReturn, mustReturn };
  }
}

/**
 * User chains ordered so that every chain comes after the chains it calls; undefined when
 * the calls form a loop.
 */
function userChainsCalleesFirst(model: TableModel): string[] | undefined {
  const order: string[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const visit = (name: string): boolean => {
    if (state.get(name) === 'done') return true;
    if (state.get(name) === 'active') return false;
    state.set(name, 'active');
    for (const rule of model.chains.get(name)!.rules) {
      const a = actionOf(rule, model);
      if ((a.kind === 'jump' || a.kind === 'goto') && !visit(a.chain)) return false;
    }
    state.set(name, 'done');
    order.push(name);
    return true;
  };
  for (const c of model.chains.values()) if (!c.builtin && !visit(c.name)) return undefined;
  return order;
}


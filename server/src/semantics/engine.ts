// Exact reachability over a table: which packets can reach each rule, which certainly do,
// and what happens to every packet in the end.
//
// Chains are walked with call contexts: a built-in chain with the packets its hook sees; a
// user chain, at each call site, with exactly the packets that site sends it. The walk
// returns the outcome of those packets (ACCEPT, DROP, REJECT, RETURN ...), and the caller
// goes on with the packets that came back. A packet's fate in a chain depends only on the
// packet, so walks are memoised per (chain, entering packets): identical contexts are
// walked once, and nothing is inlined (real rulesets grow several times when inlined).
// A rule of a user chain is reachable if it is reachable in some context.
//
// Every set comes in two versions because of uncertain rules (see match-set.ts):
//   may  - packets that possibly ... (an over-approximation): used to prove absence,
//          e.g. "no packet can reach this rule";
//   must - packets that certainly ... (an under-approximation): used to prove existence,
//          e.g. "this packet is certainly dropped by line 5".

import { Family, Hook, TargetSpec } from '../catalogue/types';
import { InterfaceValue } from '../catalogue/values';
import { Chain, isBuiltinChain, Rule, rulesInFileOrder, Ruleset, TableModel } from '../model/ruleset';
import { isBuiltin } from '../syntax/rule';
import { FALSE, Node } from './bdd';
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
  /** Packets that possibly / certainly reach the rule (are still undecided before it). */
  readonly mayReach: Node;
  readonly mustReach: Node;
}

export interface ChainFacts {
  readonly chain: Chain;
  readonly mayEntry: Node;
  readonly mustEntry: Node;
  readonly rules: readonly RuleFacts[];
  /**
   * What happens to the packets that enter the chain (RETURN for a user chain's
   * fall-through), computed when first asked: most findings need only the per-rule facts.
   */
  outcomes(): { readonly may: OutcomeSets; readonly must: OutcomeSets };
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

/** Targets after which a packet's mark is no longer the one it arrived with. */
const MARK_SETTERS = new Set(['MARK', 'CONNMARK', 'HMARK']);

export class Engine {
  readonly spaces = new Map<Family, { space: PacketSpace; interfaces: InterfaceClasses; conntrack: boolean }>();

  constructor(readonly ruleset: Ruleset) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const tables = ruleset.tables.filter((t) => t.family === family);
      if (tables.length === 0) continue;
      const interfaces = new InterfaceClasses(interfacePatterns(tables));
      const conntrack = tables.some((t) => t.table === 'nat' || rulesInFileOrder(t).some((r) => r.syntax.matches.some((m) => m.name === 'conntrack' || m.name === 'state')));
      this.spaces.set(family, { space: new PacketSpace(family, interfaces.count), interfaces, conntrack });
    }
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
    const { space, interfaces } = this.spaces.get(model.family)!;
    const marksChange = rulesInFileOrder(model).some((r) => r.target?.spec && MARK_SETTERS.has(r.target.spec.name));
    const env: MatchEnv = { space, interfaces, marksChange };
    const matches = new Map<Rule, MatchSet>();
    for (const rule of rulesInFileOrder(model)) matches.set(rule, matchSet(rule.syntax, env));
    const chains = new Map<string, ChainFacts>();
    if (!userChainsCalleesFirst(model)) return { model, space, chains, skipped: 'the table has a jump loop' };
    const walker = new ChainWalker(space, model, matches);
    for (const chain of model.chains.values()) {
      if (!chain.builtin) continue;
      const u = this.hookUniverse(model.family, chain.name as Hook);
      walker.walk(chain, u, u);
    }
    for (const chain of model.chains.values()) chains.set(chain.name, walker.merged(chain));
    return { model, space, chains };
  }
}

/** One walk of a chain in one context. */
interface Walk {
  readonly chain: Chain;
  readonly mayEntry: Node;
  readonly mustEntry: Node;
  readonly rules: RuleFacts[];
  /** The walk of the callee at each jump or goto rule (same index as `rules`). */
  readonly subs: Array<Walk | undefined>;
  /** Packets still undecided after the last rule: they get the policy, or RETURN. */
  readonly mayEnd: Node;
  readonly mustEnd: Node;
  /** Packets handed back to the caller (RETURN rules, fall-through, gotos that return). */
  readonly mayReturn: Node;
  readonly mustReturn: Node;
}

/**
 * Walks chains rule by rule, given the packets that possibly / certainly enter them, and
 * walks callees on demand with the packets each call site sends.
 */
class ChainWalker {
  private readonly memo = new Map<string, Walk>();
  private readonly walks = new Map<string, Walk[]>();
  private readonly outcomeMemo = new Map<Walk, { may: OutcomeSets; must: OutcomeSets }>();

  constructor(
    private readonly space: PacketSpace,
    private readonly model: TableModel,
    private readonly matches: Map<Rule, MatchSet>,
  ) {}

  walk(chain: Chain, mayEntry: Node, mustEntry: Node): Walk {
    const key = `${chain.name}|${mayEntry}|${mustEntry}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    const result = this.walkRules(chain, mayEntry, mustEntry);
    this.memo.set(key, result);
    const list = this.walks.get(chain.name) ?? [];
    list.push(result);
    this.walks.set(chain.name, list);
    return result;
  }

  /** A chain's facts over every context it was walked in. */
  merged(chain: Chain): ChainFacts {
    const { bdd } = this.space;
    const walks = (this.walks.get(chain.name) ?? []).filter((w) => w.mayEntry !== FALSE);
    const reachable = chain.builtin || walks.length > 0;
    const base = walks[0] ?? this.walkRules(chain, FALSE, FALSE);
    const orAll = (pick: (w: Walk) => Node) => bdd.orAll(walks.map(pick));
    const outcomes = () => {
      const each = walks.map((w) => this.outcomes(w));
      const union = (which: 'may' | 'must') => Object.fromEntries(OUTCOMES.map((o) => [o, bdd.orAll(each.map((e) => e[which][o]))])) as OutcomeSets;
      return { may: union('may'), must: union('must') };
    };
    if (walks.length <= 1) return { chain, reachable, mayEntry: base.mayEntry, mustEntry: base.mustEntry, rules: base.rules, outcomes: () => this.outcomes(base) };
    return {
      chain,
      reachable,
      mayEntry: orAll((w) => w.mayEntry),
      mustEntry: orAll((w) => w.mustEntry),
      rules: base.rules.map((r, i) => ({ ...r, mayReach: orAll((w) => w.rules[i].mayReach), mustReach: orAll((w) => w.rules[i].mustReach) })),
      outcomes,
    };
  }

  /** The outcome of every packet of one walk, gathered from its rules and callees. */
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
      for (const o of FINAL_OUTCOMES) give(o, inner.may[o], inner.must[o]);
      if (f.action.kind === 'goto') give('RETURN', inner.may.RETURN, inner.must.RETURN);
    });
    const end: Outcome = walk.chain.builtin ? (walk.chain.policy === 'DROP' ? 'DROP' : 'ACCEPT') : 'RETURN';
    give(end, walk.mayEnd, walk.mustEnd);
    const result = { may, must };
    this.outcomeMemo.set(walk, result);
    return result;
  }

  private walkRules(chain: Chain, mayEntry: Node, mustEntry: Node): Walk {
    const { bdd } = this.space;
    let mayRest = mayEntry;
    let mustRest = mustEntry;
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
        const sub = this.walk(this.model.chains.get(action.chain)!, mayHere, mustHere);
        subs[subs.length - 1] = sub;
        if (action.kind === 'goto') {
          // Packets the goto'd chain hands back leave this chain as well.
          mayReturn = bdd.or(mayReturn, sub.mayReturn);
          mustReturn = bdd.or(mustReturn, sub.mustReturn);
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
    return { chain, mayEntry, mustEntry, rules, subs, mayEnd: mayRest, mustEnd: mustRest, mayReturn, mustReturn };
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


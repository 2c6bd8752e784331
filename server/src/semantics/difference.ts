// The exact difference between two rulesets (a file before and after an edit): for each
// built-in chain, the packets whose outcome is not the same. Both rulesets are analysed by
// one engine, in one packet space, so their sets can be compared directly.
//
// A packet's outcome in a chain is what the engine knows of it: for each outcome, whether
// the packet possibly gets it (may) and whether it certainly does (must). Two rulesets
// treat a packet alike when all of these agree; the difference is the union, over the
// outcomes, of the symmetric differences of the may sets and of the must sets. So an edit
// that only makes an uncertain rule certain (or the reverse) changes packets too: what the
// engine can prove about them changes.
//
// Tables are paired by family, name and occurrence (the second *filter block of one file
// with the second of the other). When a file holds a table twice, the later block replaces
// the earlier at load time: the pairs of earlier blocks are marked `replaced`, since what
// they do never reaches the kernel. A table one side lacks counts as empty: with no rules
// every packet goes on (ACCEPT).

import { BUILTIN_CHAINS, Family, Hook, TableName } from '../catalogue/types';
import { InterfaceValue, protocolNumber } from '../catalogue/values';
import { Chain, Ruleset, TableModel } from '../model/ruleset';
import { FALSE, Node } from './bdd';
import { Engine, OUTCOMES, OutcomeSets, TableFacts } from './engine';
import { CT_STATE_VALUES, CtState, PacketSpace } from './fields';
import { InterfaceClasses } from './interfaces';
import { realisticPackets, Witness, witnessOf } from './witness';

export interface ChainDifference {
  readonly family: Family;
  readonly table: TableName;
  /** A built-in chain. */
  readonly chain: Hook;
  /** Which block of this table (0: the first) in the files. */
  readonly occurrence: number;
  /** A later block of the same table replaces this one at load time (in both files). */
  readonly replaced: boolean;
  /** Packets entering the chain whose outcome differs between the two rulesets. */
  readonly changed: Node;
  /** What each ruleset does with the packets of the chain (may and must per outcome). */
  readonly before: { readonly may: OutcomeSets; readonly must: OutcomeSets };
  readonly after: { readonly may: OutcomeSets; readonly must: OutcomeSets };
}

export interface RulesetDifference {
  readonly engine: Engine;
  /** Every built-in chain of the tables either ruleset has, with its (possibly empty) change. */
  readonly chains: readonly ChainDifference[];
  /** Tables that could not be compared (a jump loop): "family/table: reason". */
  readonly unanalysed: readonly string[];
  /** The chains whose set of changed packets is not empty (`inForce`: only the tables that are loaded in the end). */
  changedChains(options?: { readonly inForce?: boolean }): ChainDifference[];
  /** Whether no packet's outcome changes in any table (and every table could be compared). */
  isEmpty(): boolean;
  spaceOf(family: Family): { readonly space: PacketSpace; readonly interfaces: InterfaceClasses };
  /** A packet of `set` (default: the chain's changed packets), realistic when one is. */
  witnessOf(d: ChainDifference, set?: Node): Witness | undefined;
  /** Up to `n` different packets of the chain's change, realistic ones first. */
  witnesses(d: ChainDifference, n: number): Witness[];
}

export interface DifferenceOptions {
  /** Interface names that later questions (matchWords) will name, so they get their own class. */
  readonly interfaces?: readonly InterfaceValue[];
}

/** The interfaces that iptables match words name (`-i lo`, `--out-interface eth+`). */
export function interfacesOfWords(words: readonly string[]): InterfaceValue[] {
  const out: InterfaceValue[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    if (!['-i', '-o', '--in-interface', '--out-interface'].includes(words[i])) continue;
    const text = words[i + 1];
    out.push({ name: text.endsWith('+') ? text.slice(0, -1) : text, wildcard: text.endsWith('+') });
  }
  return out;
}

function emptyTable(family: Family, table: TableName): TableModel {
  const chains = new Map<string, Chain>();
  for (const hook of BUILTIN_CHAINS[table]) chains.set(hook, { name: hook, builtin: true, policy: 'ACCEPT', rules: [] });
  return { block: -1, table, family, chains };
}

/** The blocks of each (family, name), in file order. */
function tablesByName(ruleset: Ruleset): Map<string, TableModel[]> {
  const out = new Map<string, TableModel[]>();
  for (const t of ruleset.tables) {
    const key = `${t.family}/${t.table}`;
    out.set(key, [...(out.get(key) ?? []), t]);
  }
  return out;
}

export function rulesetDifference(before: Ruleset, after: Ruleset, options: DifferenceOptions = {}): RulesetDifference {
  const engine = new Engine(before, { also: [after], interfaces: options.interfaces });
  const a = tablesByName(before);
  const b = tablesByName(after);
  const chains: ChainDifference[] = [];
  const unanalysed: string[] = [];
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const key of keys) {
    const [family, table] = key.split('/') as [Family, TableName];
    const listA = a.get(key) ?? [];
    const listB = b.get(key) ?? [];
    for (let k = 0; k < Math.max(listA.length, listB.length, 1); k++) {
      const factsA = engine.analyseTable(listA[k] ?? emptyTable(family, table));
      const factsB = engine.analyseTable(listB[k] ?? emptyTable(family, table));
      if (factsA.skipped || factsB.skipped) {
        unanalysed.push(`${key}#${k + 1}: ${factsA.skipped ?? factsB.skipped}`);
        continue;
      }
      const replaced = k < listA.length - 1 && k < listB.length - 1;
      for (const hook of BUILTIN_CHAINS[table]) chains.push({ ...chainDifference(factsA, factsB, family, table, hook), occurrence: k, replaced });
    }
  }
  const spaceOf = (family: Family) => {
    const s = engine.spaces.get(family);
    if (!s) throw new Error(`no ${family} table in either ruleset`);
    return s;
  };
  const realisticIn = (d: ChainDifference, set: Node): Node => {
    const { space, interfaces, conntrack } = engine.spaces.get(d.family)!;
    return space.bdd.and(set, realisticPackets(space, interfaces, d.chain, { nat: conntrack }));
  };
  const pick = (d: ChainDifference, set: Node): Witness | undefined => {
    const { space, interfaces } = engine.spaces.get(d.family)!;
    const realistic = realisticIn(d, set);
    return witnessOf(space, interfaces, realistic !== FALSE ? realistic : set);
  };
  return {
    engine,
    chains,
    unanalysed,
    changedChains: (opts = {}) => chains.filter((c) => c.changed !== FALSE && !(opts.inForce && c.replaced)),
    isEmpty: () => unanalysed.length === 0 && chains.every((c) => c.changed === FALSE),
    spaceOf,
    witnessOf: (d, set = d.changed) => pick(d, set),
    witnesses: (d, n) => {
      const { space, interfaces } = engine.spaces.get(d.family)!;
      const { bdd } = space;
      let rest = realisticIn(d, d.changed);
      // No realistic packet changes: one packet of the change, as it is.
      if (rest === FALSE) {
        const w = n > 0 ? witnessOf(space, interfaces, d.changed) : undefined;
        return w ? [w] : [];
      }
      const out: Witness[] = [];
      const common = [17, space.family === 'ipv4' ? 1 : 58].map((p) => space.equals('proto', p));
      while (out.length < n && rest !== FALSE) {
        // After the first (TCP if it can be), UDP or ICMP rather than an exotic protocol.
        const here = out.length === 0 ? rest : (common.map((c) => bdd.and(rest, c)).find((x) => x !== FALSE) ?? rest);
        const w = witnessOf(space, interfaces, here);
        if (!w) break;
        out.push(w);
        // The next one differs in protocol if it can, else in port or state.
        const exclusions = [
          space.equals('proto', protoNumber(w)),
          w.dport !== undefined ? space.equals('dport', w.dport) : FALSE,
          space.equals('state', stateIndex(w)),
        ];
        let next = FALSE;
        for (const e of exclusions) {
          if (e === FALSE) continue;
          next = bdd.diff(rest, e);
          if (next !== FALSE) break;
        }
        rest = next;
      }
      return out;
    },
  };
}

function chainDifference(a: TableFacts, b: TableFacts, family: Family, table: TableName, hook: Hook): Omit<ChainDifference, 'occurrence' | 'replaced'> {
  const { bdd } = a.space;
  const before = a.chains.get(hook)!.outcomes();
  const after = b.chains.get(hook)!.outcomes();
  const parts: Node[] = [];
  for (const o of OUTCOMES) parts.push(bdd.xor(before.may[o], after.may[o]), bdd.xor(before.must[o], after.must[o]));
  return { family, table, chain: hook, changed: bdd.orAll(parts), before, after };
}

function protoNumber(w: Witness): number {
  if (w.proto === 'icmpv6') return 58;
  return /^\d+$/.test(w.proto) ? Number(w.proto) : (protocolNumber(w.proto) ?? 0);
}

function stateIndex(w: Witness): number {
  return CT_STATE_VALUES.indexOf((w.state ?? 'NEW') as CtState);
}

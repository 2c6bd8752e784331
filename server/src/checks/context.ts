// Everything a semantic check may look at, computed once per analysis and only when a
// check asks for it: the tree, the ruleset model, and the engine's facts per table.

import { Family, Hook } from '../catalogue/types';
import { Rule, Ruleset, TableModel } from '../model/ruleset';
import { Engine, TableFacts } from '../semantics/engine';
import { realisticPackets, Witness } from '../semantics/witness';
import { PacketTracer, TraceResult } from '../semantics/trace';
import { Node } from '../semantics/bdd';
import { CT_STATE_VALUES } from '../semantics/fields';
import { DumpTree, RuleLine } from '../syntax/dump';
import { Span } from '../syntax/text';
import { DEFAULT_CONFIG, LintConfig } from '../config/config';

export class CheckContext {
  private engine?: Engine;
  private tracer?: PacketTracer;
  private readonly facts = new Map<TableModel, TableFacts>();
  private readonly realistic = new Map<string, Node>();

  constructor(
    readonly tree: DumpTree,
    readonly ruleset: Ruleset,
    /** Tables whose blocks have errors are not analysed: the kernel would refuse them. */
    readonly brokenBlocks: ReadonlySet<number>,
    /** The project's configuration: services that must stay reachable, and the like. */
    readonly config: LintConfig = DEFAULT_CONFIG,
  ) {}

  /** The tables the engine can analyse. */
  tables(): TableModel[] {
    return this.ruleset.tables.filter((t) => !this.brokenBlocks.has(t.block));
  }

  getEngine(): Engine {
    this.engine ??= new Engine(this.ruleset);
    return this.engine;
  }

  tableFacts(table: TableModel): TableFacts {
    let f = this.facts.get(table);
    if (!f) {
      f = this.getEngine().analyseTable(table);
      this.facts.set(table, f);
    }
    return f;
  }

  /**
   * Follows a concrete packet (a witness) through the filter table of its family: the
   * verdict and the rule or policy that decides it.
   */
  trace(packet: Witness, family: Family): TraceResult {
    this.tracer ??= new PacketTracer(this.ruleset, (rule) => this.lineOf(rule), this.getEngine());
    return this.tracer.trace(packet, family);
  }

  /** Packets the kernel can really see on a hook (for witnesses of existence claims). */
  realisticOn(table: TableModel, hook: Hook | undefined): Node {
    const key = `${table.family}/${hook ?? ''}`;
    let set = this.realistic.get(key);
    if (set === undefined) {
      const { space, interfaces } = this.getEngine().spaces.get(table.family)!;
      const nat = this.ruleset.tables.some((t) => t.family === table.family && t.table === 'nat');
      set = space.bdd.and(this.getEngine().hookUniverse(table.family, hook), realisticPackets(space, interfaces, hook, { nat }));
      this.realistic.set(key, set);
    }
    return set;
  }

  /** Typical traffic: new connections over a real interface (not loopback). */
  typical(table: TableModel): Node {
    const { space, interfaces } = this.getEngine().spaces.get(table.family)!;
    const { bdd } = space;
    const lo = interfaces.indexOf('lo');
    const notLo = lo === undefined ? bdd.not(0) : bdd.and(bdd.not(space.equals('iif', lo)), bdd.not(space.equals('oif', lo)));
    return bdd.and(space.equals('state', CT_STATE_VALUES.indexOf('NEW')), notLo);
  }

  ruleLine(rule: Rule): RuleLine {
    return this.tree.lines[rule.node] as RuleLine;
  }

  /** 1-based line number of a rule, for messages. */
  lineOf(rule: Rule): number {
    return this.ruleLine(rule).line + 1;
  }

  /** The span of the rule's whole line. */
  spanOf(rule: Rule): Span {
    return this.ruleLine(rule).span;
  }

  /** The span of the target (`-j DROP`), or the line when there is none. */
  targetSpanOf(rule: Rule): Span {
    const t = rule.target;
    return t ? rule.syntax.items[t.item].span : this.spanOf(rule);
  }
}

// Follows one concrete packet through a table, rule by rule, the way the kernel does: the
// verdict, the rule (or policy) that decided it, and every rule matched on the way. A rule
// whose match the engine does not model (limit, recent ...) is assumed to match, and the
// trace says it is not certain.

import { Family, Hook } from '../catalogue/types';
import { parseAddress } from '../catalogue/addresses';
import { protocolNumber } from '../catalogue/values';
import { Chain, Rule, Ruleset } from '../model/ruleset';
import { actionOf, Engine, Outcome } from './engine';
import { CT_STATE_VALUES, FieldName, PacketSpace, TCP_FLAG_BITS } from './fields';
import { MatchSet, matchSet } from './match-set';
import { InterfaceClasses } from './interfaces';

/** A packet as the CLI and the tests give it; absent fields take everyday defaults. */
export interface TracePacket {
  readonly proto: string | number;
  readonly src: string;
  readonly dst: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly in?: string;
  readonly out?: string;
  readonly state?: string;
  readonly flags?: string;
  readonly icmp_type?: number;
  readonly icmp_code?: number;
  /** TTL / hop limit (64 when absent). */
  readonly ttl?: number;
}

export interface RuleRef {
  readonly table: string;
  readonly chain: string;
  /** 1-based position in the chain, as `iptables -L --line-numbers` shows it. */
  readonly rule: number;
  /** 1-based line in the file. */
  readonly line: number;
}

export interface TraceResult {
  readonly verdict: Outcome;
  /** The rule that decided, or the chain whose policy did. */
  readonly decidedBy: RuleRef | { readonly table: string; readonly chain: string; readonly policy: string };
  readonly matched: readonly RuleRef[];
  /** False when a rule on the path has a match the engine does not model. */
  readonly certain: boolean;
  readonly hook: Hook;
}

export class TraceError extends Error {}

/** INPUT for a packet with only `in`, OUTPUT with only `out`, FORWARD with both. */
export function hookOfPacket(p: TracePacket): Hook {
  if (p.in && p.out) return 'FORWARD';
  if (p.out) return 'OUTPUT';
  if (p.in) return 'INPUT';
  throw new TraceError("a packet needs 'in' (arriving), 'out' (leaving) or both (routed)");
}

/** The packet as an assignment of the packet space's variables. */
export function assignment(space: PacketSpace, interfaces: InterfaceClasses, p: TracePacket): boolean[] {
  const bits = new Array<boolean>(space.bdd.varCount).fill(false);
  const set = (name: FieldName, value: bigint | number) => {
    const f = space.field(name);
    const v = BigInt(value);
    for (let i = 0; i < f.bits; i++) bits[f.first + i] = ((v >> BigInt(f.bits - 1 - i)) & 1n) === 1n;
  };
  const proto = typeof p.proto === 'number' ? p.proto : protocolNumber(p.proto === 'icmpv6' ? 'ipv6-icmp' : p.proto);
  if (proto === undefined) throw new TraceError(`unknown protocol '${p.proto}'`);
  const address = (text: string, what: string) => {
    const a = parseAddress(space.family, text);
    if (a === undefined) throw new TraceError(`'${text}' is not a valid ${space.family === 'ipv4' ? 'IPv4' : 'IPv6'} ${what} address`);
    return a;
  };
  const iface = (name: string | undefined) => (name === undefined ? 0 : interfaces.indexOf(name) ?? 0);
  const state = CT_STATE_VALUES.indexOf((p.state ?? 'NEW').toUpperCase() as (typeof CT_STATE_VALUES)[number]);
  if (state < 0) throw new TraceError(`unknown state '${p.state}': use NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED`);
  const flags = (p.flags ?? (state === 1 ? 'SYN' : 'ACK')).split(',').reduce((b, f) => {
    const bit = TCP_FLAG_BITS[f.trim().toUpperCase()];
    if (bit === undefined) throw new TraceError(`unknown TCP flag '${f}'`);
    return b | bit;
  }, 0);
  set('proto', proto);
  set('src', address(p.src, 'source'));
  set('dst', address(p.dst, 'destination'));
  set('sport', p.sport ?? 40000);
  set('dport', p.dport ?? 0);
  set('iif', iface(p.in));
  set('oif', iface(p.out));
  set('state', state);
  set('flags', flags);
  set('icmpType', p.icmp_type ?? 8);
  set('icmpCode', p.icmp_code ?? 0);
  set('ttl', p.ttl ?? 64);
  set('length', 60);
  return bits;
}

/**
 * Traces packets through the filter table of a family (the table that decides). Match sets
 * are compiled once and reused for every packet.
 */
export class PacketTracer {
  private readonly engine: Engine;
  private readonly matches = new Map<Rule, MatchSet>();

  constructor(
    private readonly ruleset: Ruleset,
    /** 1-based file line of a rule, for the results. */
    private readonly lineOf: (rule: Rule) => number,
    /** An engine already built for this ruleset, whose packet space the tracer can share. */
    engine?: Engine,
  ) {
    this.engine = engine ?? new Engine(ruleset);
  }

  trace(p: TracePacket, family: Family = p.src.includes(':') ? 'ipv6' : 'ipv4'): TraceResult {
    const hook = hookOfPacket(p);
    const table = this.ruleset.tables.filter((t) => t.family === family && t.table === 'filter').pop();
    const spaces = this.engine.spaces.get(family);
    if (!table || !spaces) return { verdict: 'ACCEPT', decidedBy: { table: 'filter', chain: hook, policy: 'ACCEPT' }, matched: [], certain: true, hook };
    const { space, interfaces, marksChange } = spaces;
    let bits = assignment(space, interfaces, p);
    const matched: RuleRef[] = [];
    let certain = true;
    const ref = (rule: Rule, index: number): RuleRef => ({ table: table.table, chain: rule.chain, rule: index + 1, line: this.lineOf(rule) });
    const matchOf = (rule: Rule) => {
      let m = this.matches.get(rule);
      if (!m) {
        m = matchSet(rule.syntax, { space, interfaces, marksChange });
        this.matches.set(rule, m);
      }
      return m;
    };
    // The outcome of the packet in a chain: a final verdict, or back to the caller.
    const walk = (chain: Chain): { outcome: Outcome; by: RuleRef } | undefined => {
      for (let i = 0; i < chain.rules.length; i++) {
        const rule = chain.rules[i];
        const m = matchOf(rule);
        if (!space.bdd.contains(m.set, bits)) continue;
        if (!m.certain) certain = false;
        matched.push(ref(rule, i));
        const action = actionOf(rule, table);
        if (action.kind === 'verdict') return action.outcome === 'RETURN' ? undefined : { outcome: action.outcome, by: ref(rule, i) };
        if (action.kind === 'jump' || action.kind === 'goto') {
          const r = walk(table.chains.get(action.chain)!);
          if (r || action.kind === 'goto') return r;
        }
      }
      return undefined;
    };
    const decide = (hookName: Hook): { verdict: Outcome; by: TraceResult['decidedBy'] } => {
      const chain = table.chains.get(hookName)!;
      const decided = walk(chain);
      if (decided) return { verdict: decided.outcome, by: decided.by };
      const policy = chain.policy === 'DROP' ? 'DROP' : 'ACCEPT';
      return { verdict: policy, by: { table: 'filter', chain: chain.name, policy } };
    };
    let result = decide(hook);
    // A packet sent to the loopback interface comes back in: OUTPUT, then INPUT on lo.
    if (hook === 'OUTPUT' && p.out === 'lo' && result.verdict === 'ACCEPT') {
      bits = assignment(space, interfaces, { ...p, in: 'lo', out: undefined });
      result = decide('INPUT');
    }
    return { verdict: result.verdict, decidedBy: result.by, matched, certain, hook };
  }
}

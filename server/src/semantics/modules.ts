// How each modelled match module restricts the packet set, one entry per module. A module
// that is absent here, or an option the entry does not handle, is not modelled: the rule
// using it becomes uncertain (see match-set.ts). Adding a model is adding an entry.

import { ParsedExtension, ParsedOption } from '../catalogue/types';
import { AddressRangeValue, PortRangeValue } from '../catalogue/values';
import { IcmpTypeValue } from '../catalogue/grammars/icmp';
import { TosValue } from '../catalogue/matches/tos';
import { FALSE, Node, TRUE } from './bdd';
import { CT_STATE_VALUES, FieldName, PacketSpace, PKTTYPE_VALUES, TCP_FLAG_BITS } from './fields';

export interface ModelEnv {
  readonly space: PacketSpace;
  /** The table sets marks (MARK, CONNMARK --restore-mark ...): mark matches are then not modelled. */
  readonly marksChange: boolean;
}

export interface ModuleSet {
  readonly set: Node;
  /** Options that are not modelled (the module then matches a subset of `set`). */
  readonly unknown: readonly string[];
}

type OptionModel = (o: ParsedOption, env: ModelEnv) => Node | undefined;
type ModuleModel = (ext: ParsedExtension, env: ModelEnv) => ModuleSet | undefined;

/** A module whose options each restrict the set independently. */
function perOption(models: Readonly<Partial<Record<string, OptionModel>>>): ModuleModel {
  return (ext, env) => {
    let set = TRUE;
    const unknown: string[] = [];
    for (const o of ext.options) {
      const model = models[o.spec.names[0]];
      const part = model && o.values.every((v) => v !== undefined) ? model(o, env) : undefined;
      if (part === undefined) {
        unknown.push(o.spec.names[0]);
        continue;
      }
      set = env.space.bdd.and(set, o.negated ? env.space.bdd.not(part) : part);
    }
    return { set, unknown };
  };
}

const portRange =
  (field: FieldName): OptionModel =>
  (o, env) => {
    const v = o.values[0] as PortRangeValue;
    return env.space.range(field, v.min, v.max);
  };

function portList(env: ModelEnv, field: FieldName, list: readonly PortRangeValue[]): Node {
  return env.space.bdd.orAll(list.map((r) => env.space.range(field, r.min, r.max)));
}

const ports = { '--sport': portRange('sport'), '--dport': portRange('dport') };

function tcpFlags(mask: number, cmp: number, env: ModelEnv): Node {
  return env.space.masked('flags', BigInt(cmp & mask), BigInt(mask));
}

const SYN_MASK = TCP_FLAG_BITS.FIN | TCP_FLAG_BITS.SYN | TCP_FLAG_BITS.RST | TCP_FLAG_BITS.ACK;

function icmpType(o: ParsedOption, env: ModelEnv): Node {
  const v = o.values[0] as IcmpTypeValue;
  if (v.type === 255 && v.code.min === 0 && v.code.max === 255) return TRUE; // "any"
  return env.space.bdd.and(env.space.equals('icmpType', v.type), env.space.range('icmpCode', v.code.min, v.code.max));
}

/** conntrack and state: the packet's state, and the SNAT/DNAT "virtual states". */
function ctStates(names: readonly string[], env: ModelEnv): Node {
  const { space } = env;
  let set = FALSE;
  for (const name of names) {
    const index = (CT_STATE_VALUES as readonly string[]).indexOf(name);
    if (index !== -1) set = space.bdd.or(set, space.equals('state', index));
    else if (name === 'SNAT') set = space.bdd.or(set, space.masked('ctnat', 1n, 1n));
    else if (name === 'DNAT') set = space.bdd.or(set, space.masked('ctnat', 2n, 2n));
  }
  return set;
}

function hopCount(prefix: string): ModuleModel {
  return perOption({
    [`--${prefix}-eq`]: (o, env) => env.space.equals('ttl', o.values[0] as number),
    [`--${prefix}-gt`]: (o, env) => env.space.range('ttl', (o.values[0] as number) + 1, 255),
    [`--${prefix}-lt`]: (o, env) => env.space.range('ttl', 0, (o.values[0] as number) - 1),
  });
}

export const MODULE_MODELS: Readonly<Partial<Record<string, ModuleModel>>> = {
  comment: () => ({ set: TRUE, unknown: [] }),
  tcp: perOption({
    ...ports,
    '--tcp-flags': (o, env) => tcpFlags(o.values[0] as number, o.values[1] as number, env),
    '--syn': (_o, env) => tcpFlags(SYN_MASK, TCP_FLAG_BITS.SYN, env),
  }),
  udp: perOption(ports),
  udplite: perOption(ports),
  dccp: perOption(ports),
  sctp: perOption(ports),
  multiport: perOption({
    '--sports': (o, env) => portList(env, 'sport', o.values[0] as PortRangeValue[]),
    '--dports': (o, env) => portList(env, 'dport', o.values[0] as PortRangeValue[]),
    '--ports': (o, env) => env.space.bdd.or(portList(env, 'sport', o.values[0] as PortRangeValue[]), portList(env, 'dport', o.values[0] as PortRangeValue[])),
  }),
  icmp: perOption({ '--icmp-type': icmpType }),
  icmp6: perOption({ '--icmpv6-type': icmpType }),
  conntrack: perOption({ '--ctstate': (o, env) => ctStates(o.values[0] as string[], env) }),
  state: perOption({ '--state': (o, env) => ctStates(o.values[0] as string[], env) }),
  iprange: perOption({
    '--src-range': (o, env) => env.space.range('src', (o.values[0] as AddressRangeValue).min, (o.values[0] as AddressRangeValue).max),
    '--dst-range': (o, env) => env.space.range('dst', (o.values[0] as AddressRangeValue).min, (o.values[0] as AddressRangeValue).max),
  }),
  mac: perOption({ '--mac-source': (o, env) => env.space.equals('mac', o.values[0] as bigint) }),
  length: perOption({ '--length': (o, env) => env.space.range('length', (o.values[0] as PortRangeValue).min, (o.values[0] as PortRangeValue).max) }),
  ttl: hopCount('ttl'),
  hl: hopCount('hl'),
  dscp: perOption({
    '--dscp': (o, env) => env.space.masked('tos', BigInt((o.values[0] as number) << 2), 0xfcn),
    '--dscp-class': (o, env) => env.space.masked('tos', BigInt((o.values[0] as number) << 2), 0xfcn),
  }),
  tos: perOption({ '--tos': (o, env) => env.space.masked('tos', BigInt((o.values[0] as TosValue).value), BigInt((o.values[0] as TosValue).mask)) }),
  ecn: perOption({ '--ecn-ip-ect': (o, env) => env.space.masked('tos', BigInt(o.values[0] as number), 3n) }),
  mark: perOption({
    '--mark': (o, env) => (env.marksChange ? undefined : env.space.masked('mark', BigInt((o.values[0] as { value: number }).value), BigInt((o.values[0] as { mask: number }).mask))),
  }),
  pkttype: perOption({ '--pkt-type': (o, env) => env.space.equals('pkttype', (PKTTYPE_VALUES as readonly string[]).indexOf(o.values[0] as string)) }),
};

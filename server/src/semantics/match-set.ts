// A rule's match as a packet set. The modelled part of a rule is exact; everything the
// engine does not model (stateful matches such as limit or recent, values only the host
// knows such as addrtype or owner, anything the catalogue marks unknown) makes the rule
// *uncertain*: it may match any packet of its modelled set, or none. Uncertain rules are
// never used to prove that another rule is dead, and are never said to certainly match.

import { ParsedExtension } from '../catalogue/types';
import { HostValue, InterfaceValue } from '../catalogue/values';
import { BuiltinOption } from '../catalogue/builtin';
import { isBuiltin, OptionItem, parsedExtensionOf, RuleSyntax } from '../syntax/rule';
import { FALSE, Node, TRUE } from './bdd';
import { PacketSpace } from './fields';
import { InterfaceClasses } from './interfaces';
import { MODULE_MODELS, ModelEnv } from './modules';

export interface MatchSet {
  /** The packets the modelled part of the rule matches. */
  readonly set: Node;
  /** False when some part is not modelled: the rule may match fewer packets than `set`. */
  readonly certain: boolean;
  /** What made the rule uncertain (module or option names), for messages. */
  readonly unknown: readonly string[];
}

export interface MatchEnv extends ModelEnv {
  readonly interfaces: InterfaceClasses;
}

function negate(space: PacketSpace, item: OptionItem, set: Node): Node {
  return item.negation ? space.bdd.not(set) : set;
}

function addresses(space: PacketSpace, field: 'src' | 'dst', item: OptionItem): Node | undefined {
  const r = item.results[0];
  if (!r?.ok) return undefined;
  const v = r.value as HostValue;
  if (v.hostname) return undefined; // resolved by DNS at load time: not known here
  let set = FALSE;
  for (const a of v.addresses) set = space.bdd.or(set, space.masked(field, a.address, a.mask));
  return negate(space, item, set);
}

function interfaceSet(env: MatchEnv, field: 'iif' | 'oif', item: OptionItem): Node | undefined {
  const r = item.results[0];
  if (!r?.ok) return undefined;
  const classes = env.interfaces.matching(r.value as InterfaceValue);
  const set = env.space.oneOf(field, classes);
  return item.negation ? env.space.bdd.diff(interfaceDomain(env, field), set) : set;
}

/** Valid interface class numbers (the field has more bit patterns than classes). */
export function interfaceDomain(env: MatchEnv, field: 'iif' | 'oif'): Node {
  return env.space.range(field, 0, env.interfaces.count - 1);
}

/** The set of one generic (built-in) option, undefined when its value is not known. */
function builtinOption(env: MatchEnv, item: OptionItem & { spec: BuiltinOption }, rule: RuleSyntax): Node | undefined | null {
  const { space } = env;
  switch (item.spec.id) {
    case 'source':
      return addresses(space, 'src', item);
    case 'destination':
      return addresses(space, 'dst', item);
    case 'protocol':
      if (!rule.protocol) return undefined;
      return negate(space, item, rule.protocol.number === 0 ? TRUE : space.equals('proto', rule.protocol.number));
    case 'in-interface':
      return interfaceSet(env, 'iif', item);
    case 'out-interface':
      return interfaceSet(env, 'oif', item);
    case 'fragment':
      return negate(space, item, space.equals('frag', 1));
    default:
      return null; // not a match (command, target, -m ...)
  }
}

/** Compiles the match part of a rule. */
export function matchSet(rule: RuleSyntax, env: MatchEnv): MatchSet {
  const { bdd } = env.space;
  let set = TRUE;
  const unknown: string[] = [];
  if (rule.dynamic) unknown.push('a shell expansion');
  for (const item of rule.items) {
    if (!isBuiltin(item)) continue;
    const part = builtinOption(env, item, rule);
    if (part === null) continue;
    if (part === undefined) unknown.push(item.written);
    else set = bdd.and(set, part);
  }
  for (const m of rule.matches) {
    const model = m.module ? MODULE_MODELS[m.module.name] : undefined;
    const ext: ParsedExtension = parsedExtensionOf(rule, m.name, m.options);
    const part = model && m.module?.semantics !== 'unknown' ? model(ext, env) : undefined;
    if (!part) {
      unknown.push(`-m ${m.name}`);
      continue;
    }
    set = bdd.and(set, part.set);
    if (part.unknown.length) unknown.push(...part.unknown.map((o) => `-m ${m.name} ${o}`));
  }
  return { set, certain: unknown.length === 0, unknown };
}

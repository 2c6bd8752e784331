import { formatAddress } from '../../catalogue/addresses';
import { NatRange } from '../../catalogue/grammars/nat';
import { Family } from '../../catalogue/types';
import { Rule } from '../../model/ruleset';
import { FALSE, Node, TRUE } from '../../semantics/bdd';
import { FieldName } from '../../semantics/fields';
import { ChainFacts, RuleFacts } from '../../semantics/engine';
import { describeWitness, Witness, witnessOf } from '../../semantics/witness';
import { isBuiltin } from '../../syntax/rule';
import { CheckContext } from '../context';
import { CheckReport, Fix, SemanticCheck } from '../types';
import {
  AnalysedTable,
  certainlyBlocked,
  chainHooks,
  CTNAT_DNAT,
  decideConcrete,
  decisionFate,
  decisionRelated,
  decisionText,
  forget,
  forwardAccept,
  inInterfaceWords,
  isRoutedAddress,
  leavesByAnother,
  marksChange,
  mayTake,
  mustTake,
  natFamilies,
  natForLocalDestinations,
  natRangeOf,
  natRangeText,
  NEW_STATE,
  packetBits,
  passPrerouting,
  tableOf,
  targetName,
  unicastDst,
  whateverMark,
} from './forwarding';

/** The destination port words of a rule (`--dport 8080`, `-m multiport --dports 80,443`), [] without any, undefined when negated. */
function ruleDportWords(rule: Rule): string[] | undefined {
  for (const item of rule.syntax.items) {
    if (isBuiltin(item)) continue;
    const name = item.spec.names[0];
    if (name !== '--dport' && name !== '--dports') continue;
    if (item.negation) return undefined;
    const r = item.results[0];
    if (!r?.ok) return undefined;
    return name === '--dport' ? ['--dport', r.canonical] : ['-m', 'multiport', '--dports', r.canonical];
  }
  return [];
}

/** The match words of the FORWARD accept that lets the translated connections through. */
function acceptWords(family: Family, rule: Rule, range: NatRange): string[] | undefined {
  const proto = rule.syntax.protocol;
  if (proto?.negated) return undefined;
  const ports = range.ports ? ['--dport', `${range.ports.min}${range.ports.max !== range.ports.min ? `:${range.ports.max}` : ''}`] : ruleDportWords(rule);
  if (!ports) return undefined;
  if (ports.length && !proto) return undefined;
  return [...inInterfaceWords(rule), '-d', formatAddress(family, range.addresses!.min), ...(proto ? ['-p', proto.name] : []), ...ports];
}

/** A realistic, tracked packet this DNAT rule certainly translates, and whether the kernel tests can replay it. */
function certainPackets(ctx: CheckContext, family: Family, nat: AnalysedTable, chain: ChainFacts, index: number, pre: Node): { set: Node; replayable: boolean } | undefined {
  const { bdd } = nat.facts.space;
  const exact = whateverMark(ctx, family, nat.facts.space, passPrerouting(ctx, family, bdd.and(mustTake(nat.facts, chain, chain.rules[index]), pre)));
  if (exact !== FALSE) return { set: exact, replayable: true };
  // Through `-m addrtype --dst-type LOCAL` (Docker): certain for packets to this host's own addresses.
  const local = natForLocalDestinations(ctx, nat);
  const c = local?.chains.get(chain.chain.name);
  const r = c?.rules[index];
  if (!local || !c || !r) return undefined;
  const set = whateverMark(ctx, family, nat.facts.space, passPrerouting(ctx, family, bdd.andAll([mustTake(local, c, r), pre, unicastDst(nat.facts.space)])));
  return set === FALSE ? undefined : { set, replayable: false };
}

/**
 * Packets that FORWARD may accept through a rule about the translated service itself (one
 * that tests the destination address or port): an exception made on purpose, such as an
 * ACCEPT for the forwarded port from some networks only.
 */
function serviceAccepts(filter: AnalysedTable): Node[] {
  const { bdd } = filter.facts.space;
  const hooks = chainHooks(filter.table);
  const out: Node[] = [];
  for (const chain of filter.facts.chains.values()) {
    if (!hooks.get(chain.chain.name)?.has('FORWARD')) continue;
    for (const r of chain.rules) {
      if (r.action.kind !== 'verdict' || r.action.outcome !== 'ACCEPT') continue;
      const set = bdd.and(chain.mayEntry, bdd.and(r.mayReach, r.match.set));
      const fields = filter.facts.space.fieldsOf(bdd.and(chain.mayEntry, r.match.set));
      if (set !== FALSE && (fields.has('dst') || fields.has('dport'))) out.push(set);
    }
  }
  return out;
}

function check(ctx: CheckContext, family: Family, nat: AnalysedTable, filter: AnalysedTable, chain: ChainFacts, index: number, blocked: Node): CheckReport | undefined {
  const rule: RuleFacts = chain.rules[index];
  const range = natRangeOf(rule.rule, '--to-destination');
  const a = range?.addresses;
  // One address the ruleset shows is another host's; a shifted port mapping (/base) is left alone.
  if (!range || !a || a.min !== a.max || range.ports?.base !== undefined) return undefined;
  if (!isRoutedAddress(ctx, family, a.min)) return undefined;
  const { space, interfaces } = ctx.getEngine().spaces.get(family)!;
  const { bdd } = space;
  const pre = bdd.and(ctx.realisticOn(nat.table, 'PREROUTING'), space.equals('state', NEW_STATE));
  const taken = bdd.and(mayTake(nat.facts, chain, rule), pre);
  if (taken === FALSE) return undefined;
  // The translated packets, routed out of any interface but the one they came in by.
  const changed: FieldName[] = ['dst', 'oif', 'ctnat', ...(range.ports ? (['dport'] as const) : [])];
  const rewrite = bdd.andAll([space.range('dst', a.min, a.max), space.equals('ctnat', CTNAT_DNAT), range.ports ? space.range('dport', range.ports.min, range.ports.max) : TRUE]);
  const leaves = leavesByAnother(ctx, family);
  const forwarded = bdd.andAll([forget(space, taken, changed), rewrite, leaves, ctx.realisticOn(filter.table, 'FORWARD')]);
  if (forwarded === FALSE) return undefined;
  const escaping = bdd.diff(forwarded, blocked);
  // Arriving packets (the rewritten fields aside) some translation of which FORWARD may let through.
  // Marks set in another table are unknown here: then no mark may let it through either.
  const mayPass = forget(space, escaping, marksChange(ctx, family) ? [...changed, 'mark'] : changed);
  const realizable = forget(space, forwarded, changed);
  const certain = certainPackets(ctx, family, nat, chain, index, pre);
  if (!certain) return undefined;
  const exceptions = serviceAccepts(filter);
  let good = FALSE;
  for (const c of interfaces.classes) {
    if (c.name === '') continue;
    const fromC = bdd.and(forwarded, space.equals('iif', c.index));
    if (fromC === FALSE || exceptions.some((e) => bdd.intersects(e, fromC))) continue;
    good = bdd.andAll([certain.set, space.equals('iif', c.index), realizable, bdd.not(mayPass)]);
    if (good !== FALSE) break;
  }
  if (good === FALSE) return undefined;
  const original = witnessOf(space, interfaces, good);
  if (!original) return undefined;
  const inClass = interfaces.indexOf(original.in ?? '');
  const outs = interfaces.classes.filter((c) => inClass !== undefined && bdd.intersects(leaves, bdd.and(space.equals('iif', inClass), space.equals('oif', c.index))));
  const out = (outs.find((c) => c.name !== original.in) ?? outs[0])?.name;
  if (!out) return undefined;
  const witness: Witness = { ...original, out };
  const to = formatAddress(family, a.min);
  const rewritten: Witness = { ...original, dst: to, ...(range.ports && original.dport !== undefined ? { dport: range.ports.min } : {}), out };
  const bits = packetBits(space, interfaces, rewritten, CTNAT_DNAT);
  const mangle = tableOf(ctx, family, 'mangle');
  const decision = bdd.contains(forwarded, bits) && (!mangle || decideConcrete(mangle.facts, 'FORWARD', bits)?.outcome === 'ACCEPT') ? decideConcrete(filter.facts, 'FORWARD', bits) : undefined;
  const sure = decision && (decision.outcome === 'DROP' || decision.outcome === 'REJECT') ? decision : undefined;
  const replayable = certain.replayable && (!range.ports || range.ports.min === range.ports.max) && bdd.contains(certain.set, packetBits(space, interfaces, original));
  const target = natRangeText(family, range);
  const how = `${sure ? decisionText(ctx, sure, 'FORWARD') : 'dropped in FORWARD'} (out ${out})`;
  const rewrittenText = `${family === 'ipv6' && rewritten.dport !== undefined ? `[${to}]` : to}${rewritten.dport !== undefined ? `:${rewritten.dport}` : ''}`;
  const claim = escaping === FALSE ? `FORWARD blocks every new connection this rule DNATs to ${target}, whichever other interface it is routed out of` : `FORWARD blocks new connections this rule DNATs to ${target}, whichever other interface they are routed out of`;
  const fixes: Fix[] = [];
  const words = acceptWords(family, rule.rule, range);
  const ins = words && forwardAccept(ctx, filter, words);
  if (ins)
    fixes.push({
      title: `Let the forwarded connections through: insert '${ins.line}' near the top of FORWARD`,
      edits: [ins.edit],
      safety: 'unsafe',
      preferred: true,
      effect: { kind: 'only', table: 'filter', chains: ['FORWARD'], match: ins.words },
    });
  return {
    span: ctx.spanOf(rule.rule),
    message: `${claim}: for example ${describeWitness(original)}${certain.replayable ? '' : ', addressed to this host,'} becomes ${rewrittenText} and is ${how}`,
    related: sure ? [decisionRelated(ctx, filter.table, sure, 'FORWARD', `${sure.outcome === 'REJECT' ? 'rejects' : 'drops'} the translated connection`)] : [],
    witness,
    witnessFate: sure && replayable ? decisionFate(ctx, sure) : undefined,
    fixes,
  };
}

export const dnatNotForwarded: SemanticCheck = {
  code: 'IPT401',
  name: 'dnat-not-forwarded',
  severity: 'warning',
  summary: 'A DNAT rule whose translated connections the FORWARD chain always drops',
  docs: `## What it means
This DNAT rule in nat PREROUTING sends new connections on to another host (a port forward), but the filter FORWARD chain drops or rejects them once their destination is rewritten, whichever interface they are routed out of (other than the one they came in by). The message gives one such connection as it arrives, what DNAT turns it into, and the rule (or policy) of FORWARD that drops it; when FORWARD lets none of the rule's connections through, it says "every".

DNAT happens before routing: a connection to the host's public address on port 8080, DNATed to 192.168.1.10:80, is no longer addressed to the host. It is routed on and crosses FORWARD, not INPUT, with its new destination. FORWARD therefore needs a rule that accepts the *translated* packets (destination 192.168.1.10, port 80).

What is not reported:
- a DNAT to an address the ruleset does not show to be another host (FORWARD accepts traffic to or from it, or nat POSTROUTING sends traffic for it out of a real interface), or that it shows to be this host's (loopback, a SNAT source, an address INPUT or OUTPUT rules give to the host): a DNAT to the host itself goes to INPUT;
- connections from an interface for which FORWARD has an ACCEPT about the translated service itself (its address or port), such as one for a few source networks: that is a restriction made on purpose;
- anything a rule the engine cannot judge (\`-m recent\`, \`-m limit\`, sets ...) might accept.

Docker reaches its DNAT rules through \`-m addrtype --dst-type LOCAL\`, which is certain for connections to the host's own addresses; such findings say the example is "addressed to this host".

## Why it matters
The port forward cannot work: clients time out (or are refused), while the DNAT rule suggests the service is published. It usually comes from a FORWARD chain with a DROP policy that accepts only replies and the LAN's outgoing traffic.

## Example
\`\`\`iptables
*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80
COMMIT
*filter
:FORWARD DROP [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -s 192.168.1.10 -o eth0 -j ACCEPT
COMMIT
\`\`\`
A connection to port 8080 becomes a connection to 192.168.1.10:80, which the FORWARD policy drops.

## How to fix
Accept the translated connections in FORWARD, with the internal address and port: \`-A FORWARD -i eth0 -d 192.168.1.10 -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT\`, placed after the RELATED,ESTABLISHED rule (which lets the rest of each connection through). The fix inserts that rule; it is not applied automatically, as it opens the service to the outside. If the port forward is no longer wanted, delete the DNAT rule instead.

## When to silence it
When the DNAT is kept on purpose while the service is closed: add \`# iptables-lint disable-next-line=IPT401\` above the DNAT rule, or \`{"disable": ["IPT401"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { family, nat, filter } of natFamilies(ctx)) {
      if (!filter || !filter.facts.chains.get('FORWARD')) continue;
      const blocked = certainlyBlocked(filter.facts, 'FORWARD');
      if (blocked === FALSE) continue;
      const hooks = chainHooks(nat.table);
      for (const chain of nat.facts.chains.values()) {
        if (!hooks.get(chain.chain.name)?.has('PREROUTING')) continue;
        chain.rules.forEach((rule, index) => {
          if (targetName(rule.rule) !== 'DNAT') return;
          const report = check(ctx, family, nat, filter, chain, index, blocked);
          if (report) out.push(report);
        });
      }
    }
    return out;
  },
};

import { Hook } from '../../catalogue/types';
import { TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { TableFacts } from '../../semantics/engine';
import { PacketSpace } from '../../semantics/fields';
import { describeWitness } from '../../semantics/witness';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';
import { blockedErrors, icmpOf, offLoopback, throughTwoInterfaces } from './icmp-errors';
import { despiteOtherTables, decisionOf, filterTables, findingSpan, insertAtTop, linesTitle, onNamedInterfaces } from './service-access';
import { fateIn, realisticWitness } from './traffic';

interface NdType {
  readonly type: number;
  /** As ip6tables spells it in --icmpv6-type. */
  readonly name: string;
  readonly label: string;
}

const RS: NdType = { type: 133, name: 'router-solicitation', label: 'router solicitation (133)' };
const RA: NdType = { type: 134, name: 'router-advertisement', label: 'router advertisement (134)' };
const NS: NdType = { type: 135, name: 'neighbour-solicitation', label: 'neighbour solicitation (135)' };
const NA: NdType = { type: 136, name: 'neighbour-advertisement', label: 'neighbour advertisement (136)' };

/**
 * The neighbour discovery messages a host needs on each hook, whatever its role: it
 * receives advertisements and solicitations of its neighbours, and sends solicitations
 * and advertisements. (Router solicitations in and router advertisements out matter only
 * on routers; redirects may be refused on purpose, and the kernel finds them INVALID.)
 */
const ND_BY_HOOK: Partial<Record<Hook, readonly NdType[]>> = { INPUT: [RA, NS, NA], OUTPUT: [RS, NS, NA] };
/** Hooks where packet-too-big errors about accepted connections matter. */
const PTB_HOOKS: readonly Hook[] = ['INPUT', 'FORWARD'];

/** fe80::/64, the addresses neighbour discovery comes from and usually goes to. */
function linkLocal(space: PacketSpace, field: 'src' | 'dst'): Node {
  return space.masked(field, 0xfe80n << 112n, ((1n << 64n) - 1n) << 64n);
}

/** ND messages certainly dropped on a hook, one set per type (types with none left out). */
function blockedNd(ctx: CheckContext, table: TableModel, facts: TableFacts, hook: Hook): Array<{ nd: NdType; set: Node }> {
  const { space } = facts;
  const { bdd } = space;
  const out: Array<{ nd: NdType; set: Node }> = [];
  // Link-local source, link-local or multicast destination: every host sends these, and
  // a ruleset that accepts ND from fe80::/10 only is right for them.
  const ends = bdd.and(linkLocal(space, 'src'), bdd.or(linkLocal(space, 'dst'), space.masked('dst', 0xff02n << 112n, 0xffffn << 112n)));
  const base = bdd.andAll([ends, ctx.realisticOn(table, hook), offLoopback(ctx, table)]);
  for (const nd of ND_BY_HOOK[hook] ?? []) {
    const packets = bdd.and(base, icmpOf(space, nd.type));
    if (packets === FALSE) continue;
    const fate = fateIn(facts, hook, packets);
    const blocked = despiteOtherTables(ctx, table, hook, packets, bdd.and(fate.blocked, packets));
    const set = onNamedInterfaces(ctx, table, hook === 'OUTPUT' ? 'oif' : 'iif', fate.accepted, blocked);
    if (set !== FALSE) out.push({ nd, set });
  }
  return out;
}

/**
 * For a witness: a link-local unicast destination, else the all-nodes group ff02::1 (which
 * every interface has joined), rather than a multicast group nobody listens to.
 */
function deliverable(space: PacketSpace, set: Node): Node {
  const { bdd } = space;
  for (const dst of [linkLocal(space, 'dst'), space.equals('dst', 0xff02n << 112n | 1n)]) {
    const here = bdd.and(set, dst);
    if (here !== FALSE) return here;
  }
  return set;
}

function consequence(hook: Hook, types: readonly NdType[]): string {
  if (types.includes(NS) || types.includes(NA)) return 'the host and its neighbours cannot resolve each other\'s link-layer addresses and IPv6 stops working on the link';
  if (types.includes(RA)) return 'the host cannot learn its default route and addresses from router advertisements';
  return hook === 'OUTPUT' ? 'the host cannot ask routers for an advertisement and waits for the periodic one' : 'neighbour discovery is impaired';
}

function listText(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const icmpv6NdBlocked: SemanticCheck = {
  code: 'IPT309',
  name: 'icmpv6-nd-blocked',
  severity: 'error',
  summary: 'IPv6 neighbour discovery or packet-too-big messages are dropped',
  docs: `## What it means
An IPv6 filter chain certainly drops ICMPv6 messages IPv6 cannot work without:
- neighbour discovery, in INPUT (router advertisement 134, neighbour solicitation 135, neighbour advertisement 136) or OUTPUT (router solicitation 133, neighbour solicitation 135, neighbour advertisement 136). Connection tracking never tracks these messages (their state is UNTRACKED), so a \`RELATED,ESTABLISHED\` ACCEPT does not let them through, and neither does an ACCEPT limited to NEW;
- packet-too-big (type 2) errors about connections the chain accepts, in INPUT or FORWARD. IPv6 routers never fragment: path-MTU discovery depends on these errors. Like every ICMP error about a tracked connection they are RELATED, so a \`RELATED,ESTABLISHED\` ACCEPT covers them; a chain that accepts no replies at all is reported by IPT302 (missing-established) instead.

The message names the types dropped and gives one such packet with the rule (or policy) that drops it. Neighbour discovery is checked from and to link-local addresses (or multicast), which every host uses, so a ruleset that accepts it from \`fe80::/10\` only is fine. When the ruleset accepts these messages on the interfaces it names (\`-i eth0\`), interfaces it never mentions are not considered. Redirects (137) are not required: refusing them is a common, deliberate choice. The severity is error for neighbour solicitation, neighbour advertisement and router advertisement, warning when only packet-too-big or router solicitation is concerned.

## Why it matters
Neighbour discovery is IPv6's ARP: without neighbour solicitations and advertisements, the host cannot reach anything on its link, its router included, and IPv6 stops working altogether (often only after the neighbour cache expires, which makes it look random). Without router advertisements, a host that autoconfigures loses its default route and addresses. Dropped packet-too-big errors make connections stall as soon as a full-size packet does not fit the path (a tunnel, PPPoE).

## Example
In a \`rules.v6\` file:
\`\`\`iptables
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
COMMIT
\`\`\`
Neighbour solicitations are UNTRACKED: the policy drops them, and the host's neighbours cannot resolve its address.

## How to fix
Accept the neighbour discovery messages (and packet-too-big) before anything drops them, for example \`-A INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT\`, one rule per type; many rulesets simply accept all of ICMPv6 with \`-A INPUT -p ipv6-icmp -j ACCEPT\`. The fix inserts one ACCEPT per dropped type at the top of the chain; it opens no port. To be stricter, the rules can add \`-m hl --hl-eq 255\`: genuine neighbour discovery always has hop limit 255.

## When to silence it
Hardly ever; only when IPv6 is meant not to work on this host at all (and then turning it off in the kernel is clearer): add \`# iptables-lint disable-next-line=IPT309\` above the reported line, or \`{"disable": ["IPT309"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { table, facts } of filterTables(ctx)) {
      if (table.family !== 'ipv6') continue;
      const { space } = facts;
      for (const hook of ['INPUT', 'FORWARD', 'OUTPUT'] as const) {
        if (!facts.chains.get(hook)) continue;
        const nd = blockedNd(ctx, table, facts, hook);
        const ptb = PTB_HOOKS.includes(hook) ? blockedErrors(ctx, table, facts, hook, icmpOf(space, 2)) : FALSE;
        if (nd.length === 0 && ptb === FALSE) continue;
        // The witness shows the worst: a neighbour solicitation when it is dropped.
        const first = nd.find((n) => n.nd === NS) ?? nd.find((n) => n.nd === NA) ?? nd[0];
        const witness = realisticWitness(ctx, table, hook, first ? deliverable(space, first.set) : throughTwoInterfaces(ctx, table, ptb));
        if (!witness) continue;
        const decision = decisionOf(ctx, table, witness);
        const types = nd.map((n) => n.nd);
        const parts: string[] = [];
        if (types.length) parts.push(`${hook} drops IPv6 neighbour discovery: ${listText(types.map((t) => t.label))} ${types.length > 1 ? 'are' : 'is'} dropped, so ${consequence(hook, types)} (these messages are UNTRACKED: a RELATED,ESTABLISHED rule does not let them in)`);
        if (ptb !== FALSE) {
          const whose = hook === 'INPUT' ? "this host's connections" : 'the connections it forwards';
          const stall = 'path-MTU discovery fails and connections stall when a full-size packet does not fit the path';
          parts.push(types.length ? `packet-too-big (2) errors about ${whose} are dropped too, so ${stall}` : `${hook} drops ICMPv6 packet-too-big (2) errors about ${whose}: ${stall}`);
        }
        const severe = types.some((t) => t !== RS);
        const fixes = fixFor(ctx, table, hook, types, ptb !== FALSE);
        out.push({
          span: findingSpan(ctx, table, hook, decision),
          message: `${parts.join('; ')}. For example ${describeWitness(witness)} is ${decision.text}`,
          severity: severe ? 'error' : 'warning',
          witness,
          witnessFate: decision.fate,
          fixes,
        });
      }
    }
    return out;
  },
};

function fixFor(ctx: CheckContext, table: TableModel, hook: Hook, types: readonly NdType[], ptb: boolean): CheckReport['fixes'] {
  const rules = [...(ptb ? ['packet-too-big'] : []), ...types.map((t) => t.name)].map((name) => ['-p', 'ipv6-icmp', '--icmpv6-type', name, '-j', 'ACCEPT']);
  const ins = insertAtTop(ctx, table, hook, rules);
  if (!ins) return [];
  const what = [...(types.length ? ['neighbour discovery'] : []), ...(ptb ? ['packet-too-big'] : [])].join(' and ');
  return [{ title: `Accept ICMPv6 ${what}: insert ${linesTitle(ins.lines)} at the top of ${hook}`, edits: [ins.edit], safety: 'safe', preferred: true, effect: { kind: 'only', table: 'filter', chains: [hook], match: ['-p', 'ipv6-icmp'] } }];
}

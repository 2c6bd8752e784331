import { Family } from '../../catalogue/types';
import { HostValue } from '../../catalogue/values';
import { formatAddress, formatMasked } from '../../catalogue/addresses';
import { Rule } from '../../model/ruleset';
import { FALSE, Node, TRUE } from '../../semantics/bdd';
import { ChainFacts } from '../../semantics/engine';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { isBuiltin } from '../../syntax/rule';
import { CheckContext } from '../context';
import { CheckReport, Fix, SemanticCheck } from '../types';
import {
  AnalysedTable,
  certainlyBlocked,
  chainHooks,
  decideConcrete,
  decisionFate,
  decisionRelated,
  decisionText,
  forget,
  forwardAccept,
  leavesByAnother,
  marksChange,
  mayTake,
  natFamilies,
  NEW_STATE,
  packetBits,
  passPrerouting,
  tableOf,
  targetName,
} from './forwarding';

/** The rule's own `-s` (not negated, resolved): the network it translates, as written in a fix. */
function sourceOf(rule: Rule): { words: string[]; text: string } | undefined {
  for (const item of rule.syntax.items) {
    if (!isBuiltin(item) || item.spec.id !== 'source' || item.negation) continue;
    const r = item.results[0];
    if (!r?.ok || (r.value as HostValue).hostname || (r.value as HostValue).addresses.length !== 1) return undefined;
    const a = (r.value as HostValue).addresses[0];
    const host = a.mask === (a.family === 'ipv4' ? 0xffffffffn : (1n << 128n) - 1n);
    const text = host ? formatAddress(a.family, a.address) : formatMasked(a);
    return { words: ['-s', text], text };
  }
  return undefined;
}

/** The rule's `-o` words when it names an interface without negation. */
function outWords(rule: Rule): string[] {
  for (const item of rule.syntax.items) {
    if (!isBuiltin(item) || item.spec.id !== 'out-interface' || item.negation) continue;
    const r = item.results[0];
    if (r?.ok) return ['-o', item.args[0].text];
  }
  return [];
}

/** Packets the nat PREROUTING chain may DNAT, REDIRECT or NETMAP (they reach FORWARD rewritten). */
function mayBeRewritten(nat: AnalysedTable): Node {
  const { bdd } = nat.facts.space;
  const hooks = chainHooks(nat.table);
  let set = FALSE;
  for (const chain of nat.facts.chains.values()) {
    if (!hooks.get(chain.chain.name)?.has('PREROUTING')) continue;
    for (const r of chain.rules) {
      const name = targetName(r.rule);
      if (name === 'DNAT' || name === 'REDIRECT' || name === 'NETMAP') set = bdd.or(set, mayTake(nat.facts, chain, r));
    }
  }
  return set;
}

function check(ctx: CheckContext, family: Family, nat: AnalysedTable, filter: AnalysedTable, chain: ChainFacts, index: number, blocked: Node): CheckReport | undefined {
  const rule = chain.rules[index];
  const source = sourceOf(rule.rule);
  if (!source) return undefined;
  const { space, interfaces } = ctx.getEngine().spaces.get(family)!;
  const { bdd } = space;
  const lo = interfaces.indexOf('lo');
  // New connections forwarded from elsewhere (not loopback), not DNATed on the way in.
  // A mark the nat rule tests may be set after FORWARD: then every mark counts.
  const taken = mayTake(nat.facts, chain, rule);
  const forwarded = bdd.andAll([
    marksChange(ctx, family) ? forget(space, taken, ['mark']) : taken,
    ctx.realisticOn(filter.table, 'FORWARD'),
    space.equals('state', NEW_STATE),
    space.equals('ctnat', 0),
    lo === undefined ? TRUE : bdd.not(space.equals('iif', lo)),
  ]);
  if (forwarded === FALSE || !bdd.subset(forwarded, blocked)) return undefined;
  // The example must cross PREROUTING untouched (no DNAT, no drop in raw or mangle) to be replayed.
  const prerouting = forget(space, passPrerouting(ctx, family, bdd.diff(ctx.realisticOn(nat.table, 'PREROUTING'), mayBeRewritten(nat))), ['oif']);
  const replayable = bdd.and(forwarded, prerouting);
  const pool = replayable !== FALSE ? replayable : forwarded;
  const routed = bdd.and(pool, leavesByAnother(ctx, family));
  const witness = witnessOf(space, interfaces, routed !== FALSE ? routed : pool);
  if (!witness) return undefined;
  const bits = packetBits(space, interfaces, witness);
  const mangle = tableOf(ctx, family, 'mangle');
  const decision = decideConcrete(filter.facts, 'FORWARD', bits);
  const sure = decision && (decision.outcome === 'DROP' || decision.outcome === 'REJECT') ? decision : undefined;
  const checkable = replayable !== FALSE && bdd.contains(replayable, bits) && (!mangle || decideConcrete(mangle.facts, 'FORWARD', bits)?.outcome === 'ACCEPT');
  const out = outWords(rule.rule);
  const where = out.length ? ` out of ${out[1]}` : '';
  const what = targetName(rule.rule) === 'MASQUERADE' ? 'MASQUERADE' : 'SNAT';
  const fixes: Fix[] = [];
  const ins = forwardAccept(ctx, filter, [...source.words, ...out]);
  if (ins)
    fixes.push({
      title: `Let ${source.text} out: insert '${ins.line}' near the top of FORWARD`,
      edits: [ins.edit],
      safety: 'unsafe',
      preferred: true,
      effect: { kind: 'only', table: 'filter', chains: ['FORWARD'], match: ins.words },
    });
  return {
    span: ctx.spanOf(rule.rule),
    message: `This ${what} has nothing to translate: FORWARD blocks every new connection from ${source.text} routed${where}, so those hosts cannot get out through this one; for example ${describeWitness(witness)} is ${sure ? decisionText(ctx, sure, 'FORWARD') : 'dropped in FORWARD'}`,
    related: sure ? [decisionRelated(ctx, filter.table, sure, 'FORWARD', `${sure.outcome === 'REJECT' ? 'rejects' : 'drops'} the forwarded connections`)] : [],
    witness,
    witnessFate: sure && checkable ? decisionFate(ctx, sure) : undefined,
    fixes,
  };
}

export const snatNotForwarded: SemanticCheck = {
  code: 'IPT402',
  name: 'snat-not-forwarded',
  severity: 'warning',
  summary: 'A MASQUERADE or SNAT rule for a network whose forwarded connections FORWARD always drops',
  docs: `## What it means
This MASQUERADE or SNAT rule in nat POSTROUTING translates the connections of a source network (\`-s\`) as they leave, typically a LAN going out to the internet. But the filter FORWARD chain drops or rejects every new connection from that network that would leave that way (out of the rule's \`-o\` interface), whichever interface it arrives on. Forwarded packets cross FORWARD before POSTROUTING, so the rule never gets any forwarded connection to translate. The message gives one such connection and the rule (or policy) of FORWARD that drops it.

The check speaks about new connections that were not DNATed on the way in; the host's own traffic does not cross FORWARD and is not concerned. Rules the engine cannot judge (\`-m recent\`, \`-m limit\`, sets ...) that might accept the traffic keep the check quiet.

## Why it matters
The network behind this host has no way out: NAT is set up, but FORWARD never lets the connections through. It usually comes from a FORWARD policy of DROP with no ACCEPT for the LAN's outgoing traffic, or with one written for another interface or network.

## Example
\`\`\`iptables
*nat
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE
COMMIT
*filter
:FORWARD DROP [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
\`\`\`
Nothing accepts a new connection from 192.168.1.0/24 in FORWARD: the MASQUERADE never sees one.

## How to fix
Accept the network's new connections in FORWARD: \`-A FORWARD -s 192.168.1.0/24 -o eth0 -m conntrack --ctstate NEW -j ACCEPT\` after the RELATED,ESTABLISHED rule (better: add \`-i\` with the LAN interface). The fix inserts that rule; it is not applied automatically, as it lets traffic through. If the network is not meant to get out, delete the MASQUERADE/SNAT rule instead.

## When to silence it
When the NAT is kept for a network that is cut off on purpose: add \`# iptables-lint disable-next-line=IPT402\` above the rule, or \`{"disable": ["IPT402"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { family, nat, filter } of natFamilies(ctx)) {
      if (!filter || !filter.facts.chains.get('FORWARD')) continue;
      const blocked = certainlyBlocked(filter.facts, 'FORWARD');
      if (blocked === FALSE) continue;
      const hooks = chainHooks(nat.table);
      for (const chain of nat.facts.chains.values()) {
        if (!hooks.get(chain.chain.name)?.has('POSTROUTING')) continue;
        chain.rules.forEach((rule, index) => {
          const name = targetName(rule.rule);
          if (name !== 'MASQUERADE' && name !== 'SNAT') return;
          const report = check(ctx, family, nat, filter, chain, index, blocked);
          if (report) out.push(report);
        });
      }
    }
    return out;
  },
};

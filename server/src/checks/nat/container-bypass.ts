import { Family } from '../../catalogue/types';
import { NatRange } from '../../catalogue/grammars/nat';
import { FALSE, Node } from '../../semantics/bdd';
import { RuleFacts } from '../../semantics/engine';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';
import { AnalysedTable, chainHooks, isRoutedAddress, mustTake, natFamilies, natForLocalDestinations, natRangeOf, natRangeText, NEW_STATE, passPrerouting, targetName, unicastDst, whateverMark } from './forwarding';

interface Translation {
  readonly rule: RuleFacts;
  readonly range: NatRange;
  /** New connections to this host's own addresses that the rule certainly DNATs. */
  readonly set: Node;
}

/** DNAT rules of nat PREROUTING to another host, with the local-destination packets each certainly translates. */
function translations(ctx: CheckContext, family: Family, nat: AnalysedTable): Translation[] {
  const facts = natForLocalDestinations(ctx, nat) ?? nat.facts;
  const { space } = facts;
  const { bdd } = space;
  const hooks = chainHooks(nat.table);
  const pre = bdd.andAll([ctx.realisticOn(nat.table, 'PREROUTING'), space.equals('state', NEW_STATE), unicastDst(space)]);
  const out: Translation[] = [];
  for (const chain of facts.chains.values()) {
    if (!hooks.get(chain.chain.name)?.has('PREROUTING')) continue;
    for (const rule of chain.rules) {
      if (targetName(rule.rule) !== 'DNAT') continue;
      const range = natRangeOf(rule.rule, '--to-destination');
      const a = range?.addresses;
      if (!range || !a || a.min !== a.max || !isRoutedAddress(ctx, family, a.min)) continue;
      const set = whateverMark(ctx, family, space, passPrerouting(ctx, family, bdd.and(mustTake(facts, chain, rule), pre)));
      if (set !== FALSE) out.push({ rule, range, set });
    }
  }
  return out;
}

/** A rule meant to restrict a port: it drops or rejects it, or accepts it from some sources only. */
function restrictsPort(filter: AnalysedTable, rule: RuleFacts): boolean {
  const a = rule.action;
  if (a.kind !== 'verdict') return false;
  const fields = filter.facts.space.fieldsOf(rule.match.set);
  if (!fields.has('dport')) return false;
  if (a.outcome === 'DROP' || a.outcome === 'REJECT') return true;
  return a.outcome === 'ACCEPT' && a.standard && fields.has('src');
}

export const containerBypass: SemanticCheck = {
  code: 'IPT404',
  name: 'container-bypass',
  severity: 'info',
  summary: 'An INPUT rule restricting a port whose connections nat PREROUTING DNATs to another host first',
  docs: `## What it means
This INPUT rule is meant to restrict a port (it drops or rejects it, or accepts it from some sources only), but nat PREROUTING DNATs new connections to that port to another address before the filter table sees them: Docker publishes container ports this way (\`docker run -p 8080:80\`). A DNATed connection is routed on and crosses FORWARD, not INPUT, so this rule never sees it and restricts nothing. The message gives one such connection and the DNAT rule that takes it.

Docker's DNAT rules sit in the DOCKER chain, reached from PREROUTING through \`-m addrtype --dst-type LOCAL\`. The engine does not know the host's addresses, but a connection that would reach INPUT is addressed to one of them, so for such connections (to a unicast address) that match is certain, and the check uses it that way. Other uses of addrtype (\`--limit-iface-in\`, a negation, other types) are not judged, and a DNAT that depends on them is never taken as certain. It only reports a DNAT to an address that the ruleset itself shows to be another host (FORWARD accepts traffic to or from it, as Docker's own rules do for each published port).

## Why it matters
The port is open although the firewall seems to close it: a DROP for port 8080 in INPUT does not protect a container published on 8080. This is a common surprise on Docker hosts, where \`ufw deny 8080\` has no effect either.

## Example
\`\`\`iptables
*nat
:PREROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A DOCKER ! -i docker0 -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:DOCKER - [0:0]
-A INPUT -p tcp --dport 8080 -j DROP
-A FORWARD -o docker0 -j DOCKER
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp --dport 80 -j ACCEPT
COMMIT
\`\`\`
The DROP in INPUT never sees a connection to port 8080: it is DNATed to 172.17.0.2:80 and accepted in FORWARD.

## How to fix
Restrict the traffic where it goes: in FORWARD, before the rules that accept it, with the translated address and port. With Docker, put such rules in the \`DOCKER-USER\` chain (Docker never changes it), e.g. \`-A DOCKER-USER -i eth0 -p tcp -m conntrack --ctorigdstport 8080 -j DROP\`, or publish the port on one address only (\`-p 127.0.0.1:8080:80\`). Otherwise delete the INPUT rule, which does nothing.

## When to silence it
When the INPUT rule is kept for traffic the DNAT does not take (another interface, say) and the overlap is known: add \`# iptables-lint disable-next-line=IPT404\` above the INPUT rule, or \`{"disable": ["IPT404"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const { family, nat, filter } of natFamilies(ctx)) {
      if (!filter) continue;
      const dnats = translations(ctx, family, nat);
      if (dnats.length === 0) continue;
      const { space, interfaces } = ctx.getEngine().spaces.get(family)!;
      const { bdd } = space;
      const fresh = bdd.and(ctx.realisticOn(filter.table, 'INPUT'), space.equals('state', NEW_STATE));
      const hooks = chainHooks(filter.table);
      for (const chain of filter.facts.chains.values()) {
        if (!hooks.get(chain.chain.name)?.has('INPUT')) continue;
        for (const rule of chain.rules) {
          if (!restrictsPort(filter, rule)) continue;
          // New connections that would certainly get to this rule in INPUT.
          const seen = whateverMark(ctx, family, space, bdd.andAll([chain.mustEntry, rule.mustReach, rule.match.set, fresh]));
          if (seen === FALSE) continue;
          for (const d of dnats) {
            const bypass = bdd.and(seen, d.set);
            if (bypass === FALSE) continue;
            const witness = witnessOf(space, interfaces, bypass);
            if (!witness) continue;
            const line = ctx.lineOf(d.rule.rule);
            const target = natRangeText(family, d.range);
            out.push({
              span: ctx.spanOf(rule.rule),
              message: `INPUT never sees ${describeWitness(witness)}: line ${line} DNATs it to ${target} in nat PREROUTING first, so it is forwarded (FORWARD decides it) and this rule has no effect on it`,
              related: [{ span: ctx.spanOf(d.rule.rule), message: `DNATs the connection to ${target} before INPUT` }],
              witness,
            });
            break;
          }
        }
      }
    }
    return out;
  },
};

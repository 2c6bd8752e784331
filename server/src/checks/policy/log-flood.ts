import { Hook } from '../../catalogue/types';
import { Bdd, FALSE, Node, TRUE } from '../../semantics/bdd';
import { describeWitness, witnessOf } from '../../semantics/witness';
import { CheckContext } from '../context';
import { styleOf } from '../edits';
import { CheckReport, SemanticCheck, WitnessFate } from '../types';
import { isDuplicateCopy, isLogRule } from './duplicates';
import { fateIn } from './traffic';

/** Traffic from other hosts: what an outsider can make the firewall see. */
const HOOKS: readonly Hook[] = ['INPUT', 'FORWARD'];

/**
 * The least share of the source addresses a packet can really come from that must be able
 * to trigger the LOG: a LOG for one host or one blocklisted network is not a flood risk, a
 * LOG that the whole Internet minus a few private ranges can trigger is.
 */
const MIN_SOURCE_SHARE = 0.5;

export const LIMIT_WORDS = ['--limit', '5/min', '--limit-burst', '10'];

export const logFlood: SemanticCheck = {
  code: 'IPT312',
  name: 'log-flood',
  severity: 'warning',
  summary: 'A LOG rule without a rate limit that anyone can trigger with packets the firewall drops',
  docs: `## What it means
This LOG (or NFLOG) rule has no rate limit (no \`-m limit\` or \`-m hashlimit\` in the rule), and it logs packets the firewall then drops, from almost anywhere: every new connection attempt that ends in the DROP below it writes a line to the log.

Precisely, iptables-lint reports a LOG rule of the filter table when:
- it has no \`-m limit\` or \`-m hashlimit\`, and nothing the engine does not model (\`-m recent\`, a jump guarded by \`-m limit\` ...) stands between the packets and the rule;
- some new connections (state NEW, on a real interface) arriving in INPUT or FORWARD certainly reach it, match it, and are then certainly dropped or rejected, by a later rule or by the policy;
- those connections can come from at least half of all the source addresses a packet can really have. A LOG for one host, one port of one host, or one blocklisted network is not reported.

## Why it matters
Anyone who can send packets to the host decides how much it logs: a port scan, a SYN flood or just a noisy network segment writes thousands of lines a second. The kernel log and \`/var/log\` fill up, the disk may run full, and journald or rsyslog start throttling, which drops the messages you wanted to keep.

## Example
\`\`\`iptables
:INPUT DROP [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -j LOG --log-prefix "dropped: "
\`\`\`
Every packet the policy drops is logged first, as fast as it arrives.

## How to fix
Add a rate limit to the LOG rule: \`-m limit --limit 5/min --limit-burst 10\` logs at most 10 packets in a burst, then 5 a minute (the quick fix adds exactly these words before \`-j LOG\`). It changes only what is logged, never what is accepted or dropped. Use \`-m hashlimit\` with \`--hashlimit-mode srcip\` to keep one noisy source from using up the whole budget.

## When to silence it
When the log goes to a system sized for it (a central log server that rate-limits on its own, an NFLOG reader that aggregates): add \`# iptables-lint disable-next-line=IPT312\` above the rule, or \`{"disable": ["IPT312"]}\` in \`.iptables-lint.json\` to turn the check off.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      if (table.table !== 'filter') continue;
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
      const { bdd } = space;
      const src = space.field('src');
      const share = (set: Node) => bdd.fraction(sourcesOf(bdd, set, src.first, src.first + src.bits));
      for (const chain of facts.chains.values()) {
        if (!chain.reachable || chain.mustEntry === FALSE) continue;
        for (const rf of chain.rules) {
          if (!isLogRule(rf.rule) || !rf.match.certain) continue; // -m limit makes a match uncertain too
          if (rf.rule.syntax.matches.some((m) => m.name === 'limit' || m.name === 'hashlimit')) continue;
          if (isDuplicateCopy(ctx, rf.rule)) continue; // duplicate-rule (IPT311): the first copy is reported
          const logged = bdd.andAll([chain.mustEntry, rf.mustReach, rf.match.set]);
          if (logged === FALSE) continue;
          const hooks = chain.chain.builtin ? HOOKS.filter((h) => h === chain.chain.name) : HOOKS;
          for (const hook of hooks) {
            const blocked = fateIn(facts, hook, logged).blocked;
            if (blocked === FALSE) continue;
            const outsider = bdd.and(ctx.typical(table), ctx.realisticOn(table, hook));
            const flood = bdd.and(blocked, outsider);
            if (flood === FALSE) continue;
            const all = share(outsider);
            if (all === 0 || share(flood) / all < MIN_SOURCE_SHARE) continue;
            let witness = witnessOf(space, interfaces, flood);
            // A routed packet that leaves by the interface it came in on cannot be injected
            // into a test namespace: prefer one that crosses interfaces.
            if (witness?.in && witness.in === witness.out) {
              const k = interfaces.indexOf(witness.out);
              const other = k === undefined ? FALSE : bdd.diff(flood, space.equals('oif', k));
              if (other !== FALSE) witness = witnessOf(space, interfaces, other) ?? witness;
            }
            let fate: WitnessFate | undefined;
            let by = `dropped in ${hook}`;
            if (witness) {
              const t = ctx.trace(witness, table.family);
              if (t.certain && (t.verdict === 'DROP' || t.verdict === 'REJECT')) {
                const line = 'line' in t.decidedBy ? t.decidedBy.line : undefined;
                fate = { table: 'filter', outcome: t.verdict, line };
                by = `${t.verdict === 'DROP' ? 'dropped' : 'rejected'} by ${line === undefined ? `the policy of ${hook}` : `line ${line}`}`;
              }
            }
            const target = rf.rule.target!;
            const style = styleOf(ctx.tree);
            const words = [style.longOptions ? '--match' : '-m', 'limit', ...LIMIT_WORDS];
            const at = rf.rule.syntax.items[target.item].span.start;
            out.push({
              span: ctx.spanOf(rf.rule),
              message: `This ${target.name} has no rate limit and logs packets that ${hook} then drops: anyone who can send packets ${hook === 'INPUT' ? 'to this host' : 'through this host'} can fill the log and the disk${witness ? ` (for example ${describeWitness(witness)} is logged here, then ${by})` : ''}`,
              witness,
              witnessFate: fate,
              fixes: [
                {
                  title: `Limit this ${target.name} to 5 messages a minute (${words.join(' ')})`,
                  edits: [{ span: { start: at, end: at }, text: words.join(' ') + ' ' }],
                  safety: 'safe',
                  preferred: true,
                  effect: { kind: 'none' },
                },
              ],
            });
            break;
          }
        }
      }
    }
    return out;
  },
};

/**
 * The source addresses of a set: every other field quantified away (the packets with some
 * value of the other fields), as a set over the source address bits only, whose fraction
 * of the packet space is the share of addresses.
 */
function sourcesOf(bdd: Bdd, set: Node, first: number, end: number): Node {
  const memo = new Map<Node, Node>();
  const walk = (n: Node): Node => {
    if (n === FALSE || n === TRUE) return n;
    const v = bdd.varOf(n);
    // Below the address: a reduced diagram's node always has a packet.
    if (v >= end) return TRUE;
    let r = memo.get(n);
    if (r !== undefined) return r;
    r = v < first ? bdd.or(walk(bdd.low(n)), walk(bdd.high(n))) : bdd.make(v, walk(bdd.low(n)), walk(bdd.high(n)));
    memo.set(n, r);
    return r;
  };
  return walk(set);
}

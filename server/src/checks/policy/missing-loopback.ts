import { parseAddress } from '../../catalogue/addresses';
import { TableModel } from '../../model/ruleset';
import { FALSE, Node } from '../../semantics/bdd';
import { describeWitness, Witness, witnessOf } from '../../semantics/witness';
import { CheckContext } from '../context';
import { inFileOrder, moveBefore, insertAtStart, ruleLine, styleOf } from '../edits';
import { CheckReport, Fix, SemanticCheck } from '../types';
import { chainSpan, decide, decidedWitness, forget, loopback, pickWitness, spaceOf } from './evidence';
import { despiteOtherTables } from './service-access';
import { defaultDrop, defaultDropText, fateIn } from './traffic';

type LoHook = 'INPUT' | 'OUTPUT';

/**
 * A loopback packet that is blocked: between loopback addresses if possible, else to one
 * of the host's own addresses from itself (which is what `-s 127.0.0.0/8` misses).
 */
function loopbackWitness(ctx: CheckContext, table: TableModel, hook: LoHook, blocked: Node): Witness | undefined {
  const { space, interfaces } = spaceOf(ctx, table);
  const { bdd } = space;
  const home = table.family === 'ipv4' ? 0x7f000001n : 1n;
  const to = (dst: bigint) => bdd.and(space.equals('src', home), space.equals('dst', dst));
  // 127.0.0.53 is systemd-resolved's stub, 127.0.1.1 Debian's address for the host name.
  const plain = pickWitness(ctx, table, hook, blocked, table.family === 'ipv4' ? [bdd.andAll([to(0x7f000035n), space.equals('proto', 17), space.equals('dport', 53)]), to(home), to(0x7f000035n), to(0x7f000101n), space.equals('src', home)] : [to(home)]);
  if (plain) return plain;
  const field = hook === 'INPUT' ? 'iif' : 'oif';
  const lo = loopback(ctx, table, field);
  // Realistic traffic of a real interface, moved onto lo: this host's public addresses.
  const own = bdd.and(forget(space, bdd.diff(ctx.realisticOn(table, hook), lo), [field]), lo);
  const set = bdd.and(blocked, own);
  if (set === FALSE) return undefined;
  // A generic address of the host (the witness's usual 192.0.2.10), not one the rules single
  // out: a blocklist placed above the loopback rule does not make loopback traffic suffer.
  const address = parseAddress(table.family, table.family === 'ipv4' ? '192.0.2.10' : '2001:db8::a')!;
  const same = bdd.andAll([set, space.equals('src', address), space.equals('dst', address)]);
  if (same === FALSE) return undefined;
  // A protocol programs use (udp, tcp, then ICMP) rather than whatever number comes first.
  const protocols = table.family === 'ipv4' ? [17, 6, 1] : [17, 6, 58];
  const usual = protocols.map((p) => bdd.and(same, space.equals('proto', p))).find((s) => s !== FALSE);
  return witnessOf(space, interfaces, usual ?? same);
}

function fixFor(ctx: CheckContext, table: TableModel, hook: LoHook): Fix | undefined {
  const style = styleOf(ctx.tree);
  const words = [hook === 'INPUT' ? '-i' : '-o', 'lo'];
  const effect = { kind: 'only' as const, table: 'filter', chains: [hook], match: words };
  const rules = table.chains.get(hook)?.rules ?? [];
  // A plain loopback rule placed too low: move it up rather than write a second one.
  const existing = rules.find((r, i) => i > 0 && r.syntax.words.length === 6 && r.syntax.words.slice(2).map((w) => w.text).join(' ') === `${words.join(' ')} -j ACCEPT`);
  if (existing && inFileOrder(table, hook)) {
    return { title: `Move line ${ctx.lineOf(existing)} ('${words.join(' ')} -j ACCEPT') to the top of ${hook}`, edits: moveBefore(ctx.tree, style, existing, rules[0]), safety: 'safe', preferred: true, effect };
  }
  const line = ruleLine(style, hook, [...words, '-j', 'ACCEPT']);
  const edit = insertAtStart(ctx.tree, style, table, hook, [line]);
  return edit && { title: `Insert '${line}' at the top of ${hook}`, edits: [edit], safety: 'safe', preferred: true, effect };
}

export const missingLoopback: SemanticCheck = {
  code: 'IPT301',
  name: 'missing-loopback',
  severity: 'warning',
  summary: 'A chain that drops by default also drops traffic on the loopback interface',
  docs: `## What it means
INPUT (or OUTPUT) drops or rejects what no rule accepts, and some traffic on the loopback interface \`lo\` ends up there: the host's programs cannot all talk to each other. The message gives one such packet and the policy or rule that blocks it.

What counts is what the rules do, not whether a rule mentions loopback. \`-s 127.0.0.0/8 -j ACCEPT\` is not enough: a program that connects to the host's own public address also goes over \`lo\`, with that address as its source. An \`-i lo -j ACCEPT\` placed below a DROP that takes some loopback packets does not help those packets either.

## Why it matters
Many services reach each other over loopback: a web application and its database, a local DNS resolver (127.0.0.53), mail filters, monitoring agents, \`sudo\` looking up the host name. With loopback blocked they hang or time out, and the firewall is rarely the first suspect.

## Example
\`\`\`iptables
*filter
:INPUT DROP [0:0]
-A INPUT -s 127.0.0.0/8 -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
COMMIT
\`\`\`
A connection from the host to its own address 192.0.2.10 arrives on \`lo\` from 192.0.2.10, and the policy drops it.

## How to fix
Accept all loopback traffic first thing in the chain: \`-A INPUT -i lo -j ACCEPT\` (and \`-A OUTPUT -o lo -j ACCEPT\` when OUTPUT drops by default). The quick fix inserts it at the top of the chain, or moves an existing one there.

## When to silence it
When the host deliberately restricts loopback traffic (a multi-user machine where local users must not reach some local services, say). Put \`# iptables-lint disable-next-line=IPT301\` above the chain's declaration line, or disable the check in \`.iptables-lint.json\`: \`{"disable": ["IPT301"]}\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const out: CheckReport[] = [];
    for (const table of ctx.tables()) {
      if (table.table !== 'filter') continue;
      const facts = ctx.tableFacts(table);
      if (facts.skipped) continue;
      for (const hook of ['INPUT', 'OUTPUT'] as const) {
        const d = defaultDrop(facts, hook);
        if (!d) continue;
        const lo = loopback(ctx, table, hook === 'INPUT' ? 'iif' : 'oif');
        // Packets that raw, mangle or nat change first (a NOTRACK on lo makes them UNTRACKED,
        // not NEW) are left to those tables: the witness must be a packet filter really sees.
        const blocked = despiteOtherTables(ctx, table, hook, lo, fateIn(facts, hook, lo).blocked);
        if (blocked === FALSE) continue;
        const witness = loopbackWitness(ctx, table, hook, blocked);
        if (!witness) continue;
        const decision = decide(ctx, table, witness, ['DROP', 'REJECT']);
        const own = witness.src !== '::1' && !witness.src.startsWith('127.');
        const why = own ? ` (loopback traffic to the host's own address ${witness.dst} does not come from a loopback address)` : '';
        const example = decision ? decidedWitness(witness, decision) : `${describeWitness(witness)} is blocked`;
        const span = chainSpan(ctx, table, d);
        const related = decision?.rule && ctx.spanOf(decision.rule).start !== span.start ? [{ span: ctx.spanOf(decision.rule), message: 'blocks loopback traffic' }] : [];
        const fix = fixFor(ctx, table, hook);
        out.push({
          span,
          message: `${defaultDropText(ctx, d)} and does not let all loopback traffic through: ${example}${why}`,
          related,
          witness,
          witnessFate: decision?.fate,
          fixes: fix ? [fix] : [],
        });
      }
    }
    return out;
  },
};

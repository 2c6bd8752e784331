// Packets to test the engine with, taken from the rules themselves: for each rule, packets
// its match set contains (so every rule gets exercised) and near misses (a port, an address
// or an interface just next to it), all of a kind the kernel oracle can inject.

import { Analysis } from '../../src/analysis';
import { Hook } from '../../src/catalogue/types';
import { CheckContext } from '../../src/checks/context';
import { FALSE, Node } from '../../src/semantics/bdd';
import { Witness, witnessOf } from '../../src/semantics/witness';

/** mulberry32: deterministic, so a failure reproduces. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Sample {
  readonly packet: Witness;
  /** The rule the sample was drawn from (1-based line), for messages. */
  readonly line: number;
}

/** Near misses of a packet: one field moved just outside what a rule may have asked for. */
function nearMisses(p: Witness): Witness[] {
  const out: Witness[] = [];
  if (p.dport !== undefined) out.push({ ...p, dport: p.dport === 65535 ? 65534 : p.dport + 1 });
  if (p.sport !== undefined) out.push({ ...p, sport: p.sport === 1 ? 2 : p.sport - 1 });
  const bump = (a: string) => (a.includes(':') ? a.replace(/[0-9a-f]+$/, (x) => ((parseInt(x, 16) + 1) % 0xffff || 1).toString(16)) : a.replace(/\d+$/, (x) => String((Number(x) % 253) + 1)));
  out.push({ ...p, src: bump(p.src) }, { ...p, dst: bump(p.dst) });
  return out;
}

/**
 * Up to `perRule` packets from each rule of the analysable filter tables (and near misses of
 * the first one), restricted to packets that certainly enter the rule's chain and that the
 * kernel can produce.
 */
export function samplePackets(analysis: Analysis, perRule: number, seed: number): Sample[] {
  const ctx = new CheckContext(analysis.tree, analysis.ruleset, new Set());
  const rnd = random(seed);
  const out: Sample[] = [];
  for (const table of ctx.tables()) {
    if (table.table !== 'filter') continue;
    const facts = ctx.tableFacts(table);
    if (facts.skipped) continue;
    const { space, interfaces } = ctx.getEngine().spaces.get(table.family)!;
    const { bdd } = space;
    for (const chain of facts.chains.values()) {
      if (!chain.reachable) continue;
      const hook = chain.chain.builtin ? (chain.chain.name as Hook) : undefined;
      const base = bdd.and(chain.mustEntry, ctx.realisticOn(table, hook));
      for (const r of chain.rules) {
        let set: Node = bdd.andAll([base, r.match.set]);
        for (let i = 0; i < perRule && set !== FALSE; i++) {
          // A random mask of the set's own variables would be neater; a random cut of the
          // remaining set is enough to make the packets differ.
          const w = witnessOf(space, interfaces, set);
          if (!w) break;
          const line = ctx.lineOf(r.rule);
          out.push({ packet: w, line });
          if (i === 0) for (const miss of nearMisses(w)) out.push({ packet: miss, line });
          // Exclude the packet's source so the next sample differs.
          set = bdd.diff(set, space.masked('src', BigInt(addressValue(w.src)), space.allOnes('src')));
          if (rnd() < 0.3) set = bdd.diff(set, space.equals('dport', w.dport ?? 0));
        }
      }
    }
  }
  return out;
}

function addressValue(text: string): bigint {
  if (!text.includes(':')) return text.split('.').reduce((a, b) => (a << 8n) | BigInt(Number(b)), 0n);
  const [head, tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = text.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return words.reduce((a, w) => (a << 16n) | BigInt(parseInt(w || '0', 16)), 0n);
}

// Reduced ordered binary decision diagrams: the representation of packet sets.
//
// Why BDDs. A packet set must be exact (a finding is a proof), closed under union,
// intersection and difference, and cheap to compare. Interval boxes with set difference
// fragment badly over thousands of rules (every DROP cuts the remaining space into more
// boxes), and atomic predicates need the whole partition up front. A BDD over the bits of
// the packet fields is canonical (equal sets are the same node, so "is this empty?" and
// "is A inside B?" are O(1) after the operation), handles prefixes, ranges, masks with holes
// (`--mark 0x10/0x30`, `10.0.12.0/255.0.255.0`) and negation uniformly, and the sets that
// firewalls produce stay small because rules constrain few fields, mostly on their high bits.
//
// Nodes live in typed arrays; node 0 is the empty set, node 1 the full set. Operations are
// memoised in a lossy direct-mapped cache, and the unique table hash-conses nodes so every
// set has exactly one node.

export type Node = number;

export const FALSE: Node = 0;
export const TRUE: Node = 1;

const OP_AND = 1;
const OP_OR = 2;
const OP_DIFF = 3;
const OP_NOT = 4;
const OP_MEETS = 5;
const OP_SUBSET = 6;

/** Largest operation cache, in entries of 16 bytes. */
const MAX_CACHE = 1 << 22;

export class Bdd {
  // Variable numbers fit in 16 bits (an IPv6 packet has fewer than 500 variables).
  private vars: Uint16Array;
  private los: Int32Array;
  private his: Int32Array;
  private size = 2;
  private uniqueKeys: Int32Array;
  private uniqueMask: number;
  private cacheKeys: Int32Array;
  private cacheVals: Int32Array;
  private cacheMask: number;

  constructor(readonly varCount: number, capacity = 1 << 18) {
    this.vars = new Uint16Array(capacity);
    this.los = new Int32Array(capacity);
    this.his = new Int32Array(capacity);
    // Terminals sit below every variable.
    this.vars[0] = varCount;
    this.vars[1] = varCount;
    // Slots hold node numbers; 0 (never a non-terminal) marks an empty slot, so a fresh,
    // zero-filled array needs no initialisation.
    this.uniqueKeys = new Int32Array(capacity * 2);
    this.uniqueMask = capacity * 2 - 1;
    const cacheSize = capacity;
    this.cacheKeys = new Int32Array(cacheSize * 3); // op 0 never occurs: zeros are empty slots
    this.cacheVals = new Int32Array(cacheSize);
    this.cacheMask = cacheSize - 1;
  }

  /** Number of nodes allocated so far (for benchmarks). */
  get nodeCount(): number {
    return this.size;
  }

  varOf(n: Node): number {
    return this.vars[n];
  }

  low(n: Node): Node {
    return this.los[n];
  }

  high(n: Node): Node {
    return this.his[n];
  }

  // ---------------------------------------------------------------- construction

  /** The node for "if var then hi else lo", reduced and shared. */
  make(v: number, lo: Node, hi: Node): Node {
    if (lo === hi) return lo;
    let slot = hash3(v, lo, hi) & this.uniqueMask;
    for (;;) {
      const n = this.uniqueKeys[slot];
      if (n === 0) break;
      if (this.vars[n] === v && this.los[n] === lo && this.his[n] === hi) return n;
      slot = (slot + 1) & this.uniqueMask;
    }
    if (this.size === this.vars.length) {
      this.grow();
      return this.make(v, lo, hi);
    }
    const n = this.size++;
    this.vars[n] = v;
    this.los[n] = lo;
    this.his[n] = hi;
    this.uniqueKeys[slot] = n;
    return n;
  }

  private grow(): void {
    // Twice as large: the arrays are most of the analysis's memory on large rulesets.
    const capacity = this.vars.length * 2;
    const copy = <A extends Int32Array | Uint16Array>(a: A, make: (n: number) => A): A => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.vars = copy(this.vars, (n) => new Uint16Array(n));
    this.los = copy(this.los, (n) => new Int32Array(n));
    this.his = copy(this.his, (n) => new Int32Array(n));
    this.uniqueKeys = new Int32Array(capacity * 2);
    this.uniqueMask = capacity * 2 - 1;
    for (let n = 2; n < this.size; n++) {
      let slot = hash3(this.vars[n], this.los[n], this.his[n]) & this.uniqueMask;
      while (this.uniqueKeys[slot] !== 0) slot = (slot + 1) & this.uniqueMask;
      this.uniqueKeys[slot] = n;
    }
    // The operation cache grows with the diagram (a cache much smaller than the working set
    // makes operations recompute what they forgot, and large analyses slow down sharply), up
    // to MAX_CACHE entries (64 MB). Node numbers do not change, so the old entries stay true:
    // move them to their new slots.
    const cacheSize = Math.min(capacity, MAX_CACHE);
    if (cacheSize === this.cacheVals.length) return;
    const oldKeys = this.cacheKeys;
    const oldVals = this.cacheVals;
    this.cacheKeys = new Int32Array(cacheSize * 3);
    this.cacheVals = new Int32Array(cacheSize);
    this.cacheMask = cacheSize - 1;
    for (let slot = 0; slot < oldVals.length; slot++) {
      const op = oldKeys[slot * 3];
      if (op === 0) continue;
      const found = this.cached(op, oldKeys[slot * 3 + 1], oldKeys[slot * 3 + 2]);
      if (found < 0) this.remember(-1 - found, op, oldKeys[slot * 3 + 1], oldKeys[slot * 3 + 2], oldVals[slot]);
    }
  }

  /** The set of packets whose bit `v` is 1 (or 0 when `value` is false). */
  bit(v: number, value = true): Node {
    return value ? this.make(v, FALSE, TRUE) : this.make(v, TRUE, FALSE);
  }

  // ---------------------------------------------------------------- operations

  and(a: Node, b: Node): Node {
    if (a === FALSE || b === FALSE) return FALSE;
    if (a === TRUE) return b;
    if (b === TRUE || a === b) return a;
    if (a > b) return this.andRec(b, a);
    return this.andRec(a, b);
  }

  or(a: Node, b: Node): Node {
    if (a === TRUE || b === TRUE) return TRUE;
    if (a === FALSE) return b;
    if (b === FALSE || a === b) return a;
    if (a > b) return this.orRec(b, a);
    return this.orRec(a, b);
  }

  /** a minus b. */
  diff(a: Node, b: Node): Node {
    return this.diffRec(a, b);
  }

  xor(a: Node, b: Node): Node {
    return this.or(this.diff(a, b), this.diff(b, a));
  }

  not(a: Node): Node {
    return this.diff(TRUE, a);
  }

  orAll(nodes: Iterable<Node>): Node {
    let acc = FALSE;
    for (const n of nodes) acc = this.or(acc, n);
    return acc;
  }

  andAll(nodes: Iterable<Node>): Node {
    let acc = TRUE;
    for (const n of nodes) acc = this.and(acc, n);
    return acc;
  }

  /** a ⊆ b. Builds no node, and stops at the first packet of a outside b. */
  subset(a: Node, b: Node): boolean {
    if (a === FALSE || b === TRUE || a === b) return true;
    if (a === TRUE || b === FALSE) return false;
    const hit = this.cached(OP_SUBSET, a, b);
    if (hit >= 0) return hit === 1;
    const va = this.vars[a];
    const vb = this.vars[b];
    let r: boolean;
    if (va === vb) r = this.subset(this.los[a], this.los[b]) && this.subset(this.his[a], this.his[b]);
    else if (va < vb) r = this.subset(this.los[a], b) && this.subset(this.his[a], b);
    else r = this.subset(a, this.los[b]) && this.subset(a, this.his[b]);
    this.remember(-1 - hit, OP_SUBSET, a, b, r ? 1 : 0);
    return r;
  }

  /** Do the sets share a packet? Builds no node, and stops at the first shared packet. */
  intersects(a: Node, b: Node): boolean {
    if (a === FALSE || b === FALSE) return false;
    if (a === TRUE || b === TRUE || a === b) return true;
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    const hit = this.cached(OP_MEETS, a, b);
    if (hit >= 0) return hit === 1;
    const va = this.vars[a];
    const vb = this.vars[b];
    let r: boolean;
    if (va === vb) r = this.intersects(this.los[a], this.los[b]) || this.intersects(this.his[a], this.his[b]);
    else if (va < vb) r = this.intersects(this.los[a], b) || this.intersects(this.his[a], b);
    else r = this.intersects(a, this.los[b]) || this.intersects(a, this.his[b]);
    this.remember(-1 - hit, OP_MEETS, a, b, r ? 1 : 0);
    return r;
  }

  // The three operations are written out separately (rather than one apply with an
  // operator argument): they run millions of times on large rulesets.

  private cached(op: number, a: Node, b: Node): number {
    const slot = ((Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ op) >>> 0) & this.cacheMask;
    const k = slot * 3;
    return this.cacheKeys[k] === op && this.cacheKeys[k + 1] === a && this.cacheKeys[k + 2] === b ? this.cacheVals[slot] : -1 - slot;
  }

  private remember(slot: number, op: number, a: Node, b: Node, result: Node): Node {
    const k = slot * 3;
    this.cacheKeys[k] = op;
    this.cacheKeys[k + 1] = a;
    this.cacheKeys[k + 2] = b;
    this.cacheVals[slot] = result;
    return result;
  }

  /** a AND b, for non-terminal a < b or any terminals. */
  private andRec(a: Node, b: Node): Node {
    if (a === FALSE || b === FALSE) return FALSE;
    if (a === TRUE) return b;
    if (b === TRUE || a === b) return a;
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    const hit = this.cached(OP_AND, a, b);
    if (hit >= 0) return hit;
    const va = this.vars[a];
    const vb = this.vars[b];
    let r: Node;
    if (va === vb) r = this.make(va, this.andRec(this.los[a], this.los[b]), this.andRec(this.his[a], this.his[b]));
    else if (va < vb) r = this.make(va, this.andRec(this.los[a], b), this.andRec(this.his[a], b));
    else r = this.make(vb, this.andRec(a, this.los[b]), this.andRec(a, this.his[b]));
    return this.remember(-1 - hit, OP_AND, a, b, r);
  }

  private orRec(a: Node, b: Node): Node {
    if (a === TRUE || b === TRUE) return TRUE;
    if (a === FALSE) return b;
    if (b === FALSE || a === b) return a;
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    const hit = this.cached(OP_OR, a, b);
    if (hit >= 0) return hit;
    const va = this.vars[a];
    const vb = this.vars[b];
    let r: Node;
    if (va === vb) r = this.make(va, this.orRec(this.los[a], this.los[b]), this.orRec(this.his[a], this.his[b]));
    else if (va < vb) r = this.make(va, this.orRec(this.los[a], b), this.orRec(this.his[a], b));
    else r = this.make(vb, this.orRec(a, this.los[b]), this.orRec(a, this.his[b]));
    return this.remember(-1 - hit, OP_OR, a, b, r);
  }

  private diffRec(a: Node, b: Node): Node {
    if (a === FALSE || b === TRUE || a === b) return FALSE;
    if (b === FALSE) return a;
    if (a === TRUE) return this.notRec(b);
    const hit = this.cached(OP_DIFF, a, b);
    if (hit >= 0) return hit;
    const va = this.vars[a];
    const vb = this.vars[b];
    let r: Node;
    if (va === vb) r = this.make(va, this.diffRec(this.los[a], this.los[b]), this.diffRec(this.his[a], this.his[b]));
    else if (va < vb) r = this.make(va, this.diffRec(this.los[a], b), this.diffRec(this.his[a], b));
    else r = this.make(vb, this.diffRec(a, this.los[b]), this.diffRec(a, this.his[b]));
    return this.remember(-1 - hit, OP_DIFF, a, b, r);
  }

  private notRec(a: Node): Node {
    if (a < 2) return a ^ 1;
    const hit = this.cached(OP_NOT, a, 0);
    if (hit >= 0) return hit;
    return this.remember(-1 - hit, OP_NOT, a, 0, this.make(this.vars[a], this.notRec(this.los[a]), this.notRec(this.his[a])));
  }

  // ---------------------------------------------------------------- reading sets

  /**
   * One member of the set, choosing each variable's value as `prefer(v, chosen)` says
   * whenever the rest of the set allows it; variables are chosen in order, and `chosen`
   * holds the earlier ones, so a preference may depend on them. Undefined for the empty
   * set. Variables the set leaves free take their preferred value.
   */
  pick(n: Node, prefer: (v: number, chosen: readonly boolean[]) => boolean): boolean[] | undefined {
    if (n === FALSE) return undefined;
    const bits = new Array<boolean>(this.varCount);
    for (let v = 0; v < this.varCount; v++) {
      const want = prefer(v, bits);
      if (this.vars[n] !== v) {
        bits[v] = want;
        continue;
      }
      const first = want ? this.his[n] : this.los[n];
      if (first !== FALSE) {
        bits[v] = want;
        n = first;
      } else {
        bits[v] = !want;
        n = want ? this.los[n] : this.his[n];
      }
    }
    return bits;
  }

  /** Does the set contain this assignment? */
  contains(n: Node, bits: readonly boolean[]): boolean {
    while (n > 1) n = bits[this.vars[n]] ? this.his[n] : this.los[n];
    return n === TRUE;
  }

  /** The share of all assignments that are in the set (0 to 1): a size for comparing sets. */
  fraction(n: Node, memo: Map<Node, number> = new Map()): number {
    if (n < 2) return n;
    const known = memo.get(n);
    if (known !== undefined) return known;
    const f = (this.fraction(this.los[n], memo) + this.fraction(this.his[n], memo)) / 2;
    memo.set(n, f);
    return f;
  }

  /** The variables the set depends on. */
  support(n: Node): Set<number> {
    const vars = new Set<number>();
    const seen = new Set<number>();
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      if (x < 2 || seen.has(x)) continue;
      seen.add(x);
      vars.add(this.vars[x]);
      stack.push(this.los[x], this.his[x]);
    }
    return vars;
  }

  /** Number of nodes reachable from n (for diagnostics and benchmarks). */
  nodesIn(n: Node): number {
    const seen = new Set<number>();
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      if (x < 2 || seen.has(x)) continue;
      seen.add(x);
      stack.push(this.los[x], this.his[x]);
    }
    return seen.size;
  }
}

function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

import * as assert from 'assert';
import { FALSE, TRUE } from '../../src/semantics/bdd';
import { PacketSpace } from '../../src/semantics/fields';

/** Brute-force membership over a small field, to check the BDD sets exactly. */
function members(space: PacketSpace, set: number, name: 'dport' | 'proto', limit: number): number[] {
  const out: number[] = [];
  const f = space.field(name);
  for (let v = 0; v < limit; v++) {
    const bits = new Array<boolean>(space.bdd.varCount).fill(false);
    for (let i = 0; i < f.bits; i++) bits[f.first + i] = ((v >> (f.bits - 1 - i)) & 1) === 1;
    if (space.bdd.contains(set, bits)) out.push(v);
  }
  return out;
}

describe('packet sets (BDD)', function () {
  const space = new PacketSpace('ipv4', 4);
  const { bdd } = space;

  it('builds exact ranges, including at the edges of the field', function () {
    assert.deepStrictEqual(members(space, space.range('proto', 5, 9), 'proto', 256), [5, 6, 7, 8, 9]);
    assert.deepStrictEqual(members(space, space.range('proto', 0, 255), 'proto', 256).length, 256);
    assert.strictEqual(space.range('proto', 0, 255), TRUE);
    assert.strictEqual(space.range('proto', 9, 5), FALSE);
    assert.deepStrictEqual(members(space, space.range('proto', 250, 255), 'proto', 256), [250, 251, 252, 253, 254, 255]);
  });

  it('is canonical: equal sets are the same node', function () {
    const a = bdd.or(space.range('dport', 10, 20), space.range('dport', 21, 30));
    assert.strictEqual(a, space.range('dport', 10, 30));
    assert.strictEqual(bdd.diff(space.range('dport', 0, 65535), space.range('dport', 0, 1023)), space.range('dport', 1024, 65535));
  });

  it('handles masks with holes', function () {
    const set = space.masked('proto', 0x10n, 0x30n); // bits 4-5 == 01
    assert.deepStrictEqual(members(space, set, 'proto', 64), [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);
  });

  it('picks a member close to the preferred values', function () {
    const set = bdd.and(space.range('dport', 1000, 2000), space.equals('proto', 6));
    const inside = space.pick(set, { dport: 1500n, proto: 17n })!;
    assert.strictEqual(space.valueOf(inside, 'dport'), 1500n);
    assert.strictEqual(space.valueOf(inside, 'proto'), 6n);
    const outside = space.pick(set, { dport: 22n })!;
    assert.ok(bdd.contains(set, outside));
    assert.strictEqual(space.pick(FALSE, {}), undefined);
  });

  it('scales to many disjoint ranges without blowing up', function () {
    let set = FALSE;
    for (let p = 0; p < 65536; p += 7) set = bdd.or(set, space.equals('dport', p));
    assert.ok(bdd.nodesIn(set) < 200000);
    assert.ok(bdd.contains(set, space.pick(space.equals('dport', 700), {})!));
  });
});

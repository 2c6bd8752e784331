// Hover documentation, slice 1: the built-in options and the protocol/header match modules.
// Every entry has a doc of its own, module docs show an example rule, and none merely
// repeats the one-line summary.

import * as assert from 'assert';
import { MATCHES } from '../../src/catalogue/matches';
import { BUILTIN_OPTIONS } from '../../src/catalogue/builtin';
import { MatchModule, OptionSpec } from '../../src/catalogue/types';

const SLICE = [
  'tcp', 'udp', 'sctp', 'dccp', 'icmp', 'icmp6', 'multiport', 'tcpmss', 'esp', 'ah', 'ipcomp', 'mh', 'ecn',
  'length', 'ttl', 'hl', 'dscp', 'tos', 'frag', 'hbh', 'dst', 'rt', 'srh', 'ipv6header', 'eui64', 'comment',
];

const label = (m: MatchModule): string => `${m.name} (${m.families.join('/')})`;
const normalise = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
/** Words of the text, code blocks included (they are part of what the reader sees). */
const words = (s: string): number => s.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;

function sliceModules(): MatchModule[] {
  const found = MATCHES.filter((m) => SLICE.includes(m.name));
  for (const name of SLICE) assert.ok(found.some((m) => m.name === name), `module ${name} is not in the catalogue`);
  return found;
}

function checkOptionDoc(owner: string, o: OptionSpec, summary?: string): void {
  const name = o.names[0];
  assert.ok(o.doc && o.doc.trim().length > 0, `${owner} ${name} has no doc`);
  assert.ok(!o.doc.trimStart().startsWith('```'), `${owner} ${name}: an option doc is a sentence, not a code block`);
  if (summary !== undefined) assert.notStrictEqual(normalise(o.doc), normalise(summary), `${owner} ${name}: doc repeats the module summary`);
}

describe('catalogue docs, slice 1', () => {
  it('every module has a doc with an example rule, in 60 to 200 words', () => {
    for (const m of sliceModules()) {
      const doc = m.doc ?? '';
      assert.ok(doc.trim().length > 0, `${label(m)} has no doc`);
      assert.match(doc, /```iptables\n(?:-[A-Z] \S+ .*\n)+```/, `${label(m)}: the doc needs an example rule in an iptables code block`);
      const n = words(doc);
      assert.ok(n >= 60 && n <= 200, `${label(m)}: doc has ${n} words, expected 60 to 200`);
    }
  });

  it('no module doc is a copy of its summary', () => {
    for (const m of sliceModules()) {
      const doc = normalise(m.doc ?? '');
      const summary = normalise(m.summary);
      assert.notStrictEqual(doc, summary, `${label(m)}: doc repeats the summary`);
      assert.ok(!doc.startsWith(summary), `${label(m)}: doc begins with the summary word for word`);
    }
  });

  it('every option of the slice modules has its own doc', () => {
    for (const m of sliceModules()) for (const o of m.options) checkOptionDoc(label(m), o, m.summary);
  });

  it('option docs within a module are not copies of each other', () => {
    for (const m of sliceModules()) {
      const seen = new Map<string, string>();
      for (const o of m.options) {
        const key = normalise(o.doc ?? '');
        assert.ok(!seen.has(key), `${label(m)}: ${o.names[0]} has the same doc as ${seen.get(key)}`);
        seen.set(key, o.names[0]);
      }
    }
  });

  it('every built-in option and command has a doc', () => {
    for (const o of BUILTIN_OPTIONS) checkOptionDoc('builtin', o);
    const docs = BUILTIN_OPTIONS.map((o) => normalise(o.doc ?? ''));
    assert.strictEqual(new Set(docs).size, docs.length, 'two built-in options share the same doc');
  });
});

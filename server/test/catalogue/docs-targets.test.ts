// Hover documentation of the targets: every target and every option has a text of its own,
// and every target's text shows an example rule.
import * as assert from 'assert';
import { TARGETS } from '../../src/catalogue/targets';
import { TargetSpec } from '../../src/catalogue/types';

const label = (t: TargetSpec): string => (t.families.length === 1 ? `${t.name} (${t.families[0]})` : t.name);
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
/** Lower case, punctuation and markdown removed: what a reader would see as the same words. */
const plain = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
/** The bodies of the ```iptables blocks of a text. */
const examples = (doc: string): string[] => [...doc.matchAll(/^```iptables\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);

describe('catalogue: target docs', function () {
  it('documents every target in 60 to 200 words, with an example rule', function () {
    for (const t of TARGETS) {
      const doc = t.doc ?? '';
      assert.ok(doc.trim() !== '', `${label(t)} has no doc`);
      const n = words(doc);
      assert.ok(n >= 60 && n <= 200, `${label(t)}: doc has ${n} words (60 to 200 expected)`);
      assert.strictEqual((doc.match(/^```/gm) ?? []).length % 2, 0, `${label(t)}: unbalanced code fence`);
      const code = examples(doc);
      assert.ok(code.length > 0 && code.every((c) => c.trim() !== ''), `${label(t)}: doc has no \`\`\`iptables example`);
      // A removed target shows its replacement instead.
      if (!t.removed) assert.ok(code.some((c) => c.includes(`-j ${t.name}`)), `${label(t)}: the example does not use -j ${t.name}`);
      // Indentation left over from the source file would turn markdown into a code block.
      assert.ok(!/^ {4}/m.test(doc), `${label(t)}: doc has indented lines`);
    }
  });

  it('documents every option', function () {
    for (const t of TARGETS) {
      const seen = new Map<string, string>();
      for (const o of t.options) {
        const doc = o.doc ?? '';
        assert.ok(doc.trim() !== '', `${label(t)} ${o.names[0]} has no doc`);
        const other = seen.get(plain(doc));
        assert.ok(other === undefined, `${label(t)}: ${o.names[0]} has the same doc as ${other}`);
        seen.set(plain(doc), o.names[0]);
      }
    }
  });

  it('never repeats the summary as a doc', function () {
    for (const t of TARGETS) {
      const summary = plain(t.summary);
      assert.ok(!plain(t.doc ?? '').includes(summary), `${label(t)}: doc copies the summary`);
      for (const o of t.options) assert.notStrictEqual(plain(o.doc ?? ''), summary, `${label(t)} ${o.names[0]}: doc is the summary`);
    }
  });
});

// Broken input is normal input: thousands of deterministic mutations of the fixtures must
// analyse without an exception, and every finding must lie inside the text.

import * as assert from 'assert';
import * as fs from 'fs';
import { analyse } from '../../src/analysis';
import { NotPrintable, printRule } from '../../src/syntax/printer';
import { FIXTURES, listFiles } from '../support/paths';

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [' ', '\n', '\r\n', '!', '"', '\\', '-', '--', ':', '/', ',', '*', '[', ']', '#', '-A', '-j', '-m', '-p', '-s', '--dport', 'COMMIT', '*filter', ':X - [0:0]', '-j X', 'tcp', '0', '65536', '::', '10.0.0.0/8', '\u00e9', '\ud83d\ude00', '\t'];

function mutate(text: string, rnd: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const choice = rnd();
    if (choice < 0.4) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rnd() * 10));
    else if (choice < 0.8) out = out.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + out.slice(at);
    else {
      const lines = out.split('\n');
      const a = Math.floor(rnd() * lines.length);
      const b = Math.floor(rnd() * lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      out = lines.join('\n');
    }
  }
  return out;
}

describe('robustness', function () {
  this.timeout(120000);
  it('survives 5,000 mutated fixtures: no exception, findings within the text, printer never crashes', function () {
    const sources = listFiles(FIXTURES).filter((f) => !f.endsWith('.png')).map((f) => fs.readFileSync(f, 'utf8'));
    const rnd = random(20261122);
    for (let i = 0; i < 5000; i++) {
      const text = mutate(sources[i % sources.length], rnd);
      let a;
      try {
        a = analyse(text, { family: rnd() < 0.2 ? 'ipv6' : undefined });
      } catch (e) {
        assert.fail(`iteration ${i} threw ${(e as Error).stack}\n--- input ---\n${text}`);
      }
      for (const f of a.findings) assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `iteration ${i}: span out of range`);
      for (const line of a.tree.lines) {
        if (line.kind !== 'rule') continue;
        try {
          printRule(line.rule, { family: 'ipv4' });
        } catch (e) {
          if (!(e instanceof NotPrintable)) assert.fail(`iteration ${i}: printer threw ${(e as Error).stack}\n--- rule ---\n${text.slice(line.span.start, line.span.end)}`);
        }
      }
    }
  });

  it('reads a file of only garbage bytes', function () {
    const junk = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join('');
    assert.doesNotThrow(() => analyse(junk));
    assert.doesNotThrow(() => analyse(''));
    assert.doesNotThrow(() => analyse('\n\n\r\n'));
  });
});

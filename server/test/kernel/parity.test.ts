// Kernel parity: for every fixture, a set of deliberately broken files, upstream's extension
// test cases and the real-world corpus, load the file into a throwaway network namespace
// with both iptables backends (a real load, not --test) and check that we report an error
// exactly when the kernel refuses the file, on the line it blames.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyse, familyFromPath } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { readExtensionCases } from '../support/extension-cases';
import { kernelUnavailable, KernelVerdict, loadAll } from '../support/kernel';
import { compareWithKernel } from '../support/parity';
import { corpusDir, FIXTURES, listFiles } from '../support/paths';
import { caseDump } from '../support/rule-verdict';
import { KERNEL_DIFFERS_FROM_UPSTREAM, NOT_A_RULESET } from './exclusions';

interface Input {
  readonly id: string;
  readonly path: string;
  readonly text: string;
  readonly family: Family;
}

/** The family of a file: what the analysis decided for its first table block. */
function familyOf(file: string, text: string): Family {
  const a = analyse(text, { family: familyFromPath(file) });
  return a.tree.blocks[0]?.family ?? 'ipv4';
}

function fixtureInputs(): Input[] {
  return listFiles(FIXTURES)
    .filter((f) => /\.(rules|v4|v6)$/.test(f) || /rules\.v[46]$/.test(f))
    .map((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return { id: path.relative(FIXTURES, f), path: f, text, family: familyOf(f, text) };
    });
}

function report(title: string, inputs: readonly Input[], verdicts: Map<string, KernelVerdict[]>): string[] {
  const misses: string[] = [];
  for (const input of inputs) {
    const r = compareWithKernel(input.text, input.family, verdicts.get(input.path) ?? []);
    if (!r.agree) misses.push(`${input.id}\n        ${r.detail}`);
  }
  const agreed = inputs.length - misses.length;
  console.log(`    ${title}: ${agreed}/${inputs.length} agree with the kernel (${((agreed / Math.max(1, inputs.length)) * 100).toFixed(1)}%)`);
  if (misses.length) console.log(`    disagreements:\n      ${misses.join('\n      ')}`);
  return misses;
}

describe('kernel parity (iptables-restore in a throwaway network namespace)', function () {
  this.timeout(600000);
  const why = kernelUnavailable();
  if (why) {
    it(`skipped: ${why}`);
    return;
  }

  it('fixtures and deliberately broken files: an error exactly where the kernel refuses', function () {
    const inputs = fixtureInputs();
    const misses = report('fixtures', inputs, loadAll(inputs));
    assert.deepStrictEqual(misses, []);
  });

  const extDir = corpusDir('iptables-extension-tests');
  it('upstream extension test cases (except the listed kernel differences)', function () {
    if (!extDir) return this.skip();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-ext-'));
    const inputs: Input[] = [];
    for (const file of listFiles(extDir).filter((f) => /lib(ipt|ip6t|xt)_.*\.t$/.test(path.basename(f)))) {
      for (const c of readExtensionCases(file)) {
        const id = `${c.file}:${c.line}`;
        if (c.backendSpecific || KERNEL_DIFFERS_FROM_UPSTREAM.has(id)) continue;
        const text = caseDump(c, c.chains[0]);
        const p = path.join(tmp, `${inputs.length}.rules`);
        fs.writeFileSync(p, text);
        inputs.push({ id: `${id} ${c.rule}`, path: p, text, family: c.family });
      }
    }
    const misses = report('extension cases', inputs, loadAll(inputs));
    fs.rmSync(tmp, { recursive: true, force: true });
    assert.deepStrictEqual(misses, []);
  });

  const realWorld = corpusDir('real-world');
  it('real-world rulesets', function () {
    if (!realWorld) return this.skip();
    const inputs = listFiles(realWorld)
      .filter((f) => !NOT_A_RULESET.has(path.relative(realWorld, f)))
      .map((f) => {
        const text = fs.readFileSync(f, 'utf8');
        return { id: path.relative(realWorld, f), path: f, text, family: familyOf(f, text) };
      })
      .filter((i) => /^\*(filter|nat|mangle|raw|security)/m.test(i.text));
    const misses = report('real-world rulesets', inputs, loadAll(inputs));
    assert.deepStrictEqual(misses, []);
  });
});

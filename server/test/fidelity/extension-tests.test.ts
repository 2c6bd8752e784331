// Fidelity against upstream iptables' own extension test cases: we must agree with
// upstream's OK/FAIL verdict on at least 98% of the cases, and print the canonical form of
// at least 95% of the OK cases exactly as iptables-save does. Prints both figures and
// every disagreement. FIDELITY_FILTER=substring limits the run to matching test files.

import * as assert from 'assert';
import * as path from 'path';
import { corpusDir, listFiles } from '../support/paths';
import { ExtensionCase, readExtensionCases } from '../support/extension-cases';
import { runCase } from '../support/rule-verdict';

const dir = corpusDir('iptables-extension-tests');

describe('fidelity: upstream iptables extension test cases', function () {
  if (!dir) {
    it('skipped: ../shared/corpus/iptables-extension-tests is not present');
    return;
  }
  const filter = process.env.FIDELITY_FILTER;
  const cases: ExtensionCase[] = listFiles(dir)
    .filter((f) => /lib(ipt|ip6t|xt)_.*\.t$/.test(path.basename(f)))
    .filter((f) => !filter || path.basename(f).includes(filter))
    .flatMap(readExtensionCases)
    .filter((c) => !c.backendSpecific);

  it(`agrees with upstream on OK/FAIL (>= 98%) and prints canonical forms (>= 95%) over ${cases.length} cases`, function () {
    const verdictMisses: string[] = [];
    const printMisses: string[] = [];
    let okCases = 0;
    for (const c of cases) {
      const r = runCase(c);
      const where = `${c.file}:${c.line}`;
      if (r.verdict !== c.expected) verdictMisses.push(`${where} expected ${c.expected}, got ${r.verdict}${r.error ? ` (${r.error})` : ''}: ${c.rule}`);
      if (c.expected === 'OK') {
        okCases++;
        if (r.printed !== c.canonical) printMisses.push(`${where}\n      rule:     ${c.rule}\n      expected: ${c.canonical}\n      printed:  ${r.printed ?? `(not printable: ${r.printError})`}`);
      }
    }
    const agreement = (cases.length - verdictMisses.length) / Math.max(1, cases.length);
    const canonical = (okCases - printMisses.length) / Math.max(1, okCases);
    console.log(`    verdict agreement: ${(agreement * 100).toFixed(1)}% (${cases.length - verdictMisses.length}/${cases.length})`);
    console.log(`    canonical form:    ${(canonical * 100).toFixed(1)}% (${okCases - printMisses.length}/${okCases} OK cases)`);
    if (verdictMisses.length) console.log(`    verdict disagreements:\n      ${verdictMisses.join('\n      ')}`);
    if (printMisses.length) console.log(`    canonical-form differences:\n    ${printMisses.join('\n    ')}`);
    if (!filter) {
      assert.ok(agreement >= 0.98, `verdict agreement ${(agreement * 100).toFixed(1)}% < 98%`);
      assert.ok(canonical >= 0.95, `canonical form ${(canonical * 100).toFixed(1)}% < 95%`);
    }
  });
});

// Runs one upstream test case through the analysis the way iptables would see it:
// `-A CHAIN RULE` inside a one-table dump, in each chain the case lists.

import { analyse } from '../../src/analysis';
import { printRule } from '../../src/syntax/printer';
import { RuleLine } from '../../src/syntax/dump';
import { ExtensionCase } from './extension-cases';

export interface CaseResult {
  readonly verdict: 'OK' | 'FAIL';
  /** Our first error, when we refuse the rule. */
  readonly error?: string;
  /** What our printer makes of the rule (first chain), when it parses. */
  readonly printed?: string;
  readonly printError?: string;
}

export function caseDump(c: ExtensionCase, chain: string): string {
  return `*${c.table}\n-A ${chain} ${c.rule}\nCOMMIT\n`;
}

export function runCase(c: ExtensionCase): CaseResult {
  let error: string | undefined;
  let printed: string | undefined;
  let printError: string | undefined;
  for (const chain of c.chains) {
    const a = analyse(caseDump(c, chain), { family: c.family });
    const first = a.findings.find((f) => f.severity === 'error' && /^IPT1/.test(f.code)); // IPT1xx: the kernel refuses the file
    if (first && !error) error = `${first.code} ${first.message}`;
    if (printed === undefined && printError === undefined) {
      const node = a.tree.lines.find((l) => l.kind === 'rule') as RuleLine | undefined;
      try {
        printed = node ? printRule(node.rule, { family: c.family, table: c.table })[0]?.replace(/^-A \S+ ?/, '') : undefined;
      } catch (e) {
        printError = (e as Error).message;
      }
    }
  }
  return { verdict: error ? 'FAIL' : 'OK', error, printed, printError };
}

// What the status item in the editor shows about a document: how many rules and chains it
// holds and how many problems the syntax-level analysis found. Plain data.

import { Analysis } from '../analysis';

export interface DocumentStatus {
  /** Rules in all tables once the file is loaded (after -D, -F and -X lines are replayed). */
  readonly rules: number;
  readonly tables: number;
  /** User-defined chains in all tables. */
  readonly userChains: number;
  /** 'ipv4', 'ipv6', or 'both' for a file with tables of both families. */
  readonly family: 'ipv4' | 'ipv6' | 'both';
  readonly errors: number;
  readonly warnings: number;
}

export function statusOf(analysis: Analysis): DocumentStatus {
  const tables = analysis.ruleset.tables;
  const chains = tables.flatMap((t) => [...t.chains.values()]);
  const families = new Set(analysis.tree.blocks.map((b) => b.family));
  return {
    rules: chains.reduce((n, c) => n + c.rules.length, 0),
    tables: tables.length,
    userChains: chains.filter((c) => !c.builtin).length,
    family: families.size > 1 ? 'both' : families.has('ipv6') ? 'ipv6' : 'ipv4',
    errors: analysis.findings.filter((f) => f.severity === 'error').length,
    warnings: analysis.findings.filter((f) => f.severity === 'warning').length,
  };
}

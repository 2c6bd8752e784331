// Reads upstream iptables' per-extension test files (extensions/*.t): each case line is
// `RULE;CANONICAL;OK|FAIL`, `=` meaning "printed back unchanged"; `:A,B` lines name the
// chains and `*table` lines the table for the cases after them.

import * as fs from 'fs';
import * as path from 'path';
import { Family, TableName } from '../../src/catalogue/types';

export interface ExtensionCase {
  readonly file: string;
  readonly line: number;
  readonly family: Family;
  readonly table: TableName;
  readonly chains: readonly string[];
  readonly rule: string;
  /** Expected iptables-save form; undefined for FAIL cases. */
  readonly canonical?: string;
  readonly expected: 'OK' | 'FAIL';
  /** Expectations that apply to one backend only (a 4th field such as LEGACY). */
  readonly backendSpecific?: string;
}

export function familyOfTestFile(file: string): Family | undefined {
  const base = path.basename(file);
  if (base.startsWith('libip6t_')) return 'ipv6';
  if (base.startsWith('libipt_') || base.startsWith('libxt_')) return 'ipv4';
  return undefined;
}

export function readExtensionCases(file: string): ExtensionCase[] {
  const family = familyOfTestFile(file);
  if (!family) return [];
  const cases: ExtensionCase[] = [];
  let chains: string[] = ['INPUT'];
  let table: TableName = 'filter';
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.startsWith(':')) chains = text.slice(1).trim().split(',');
      else if (text.startsWith('*')) table = text.slice(1).trim() as TableName;
      else if (text.startsWith('-') || text.startsWith('!')) {
        const fields = text.split(';');
        if (fields.length < 3) return;
        const [rule, canon, verdict, backend] = fields;
        const expected = verdict.trim() === 'OK' ? 'OK' : 'FAIL';
        cases.push({
          file: path.basename(file),
          line: i + 1,
          family,
          table,
          chains,
          rule: rule.trim(),
          canonical: expected === 'OK' ? (canon === '=' ? rule.trim() : canon.trim()) : undefined,
          expected,
          backendSpecific: backend?.trim() || undefined,
        });
      }
    });
  return cases;
}

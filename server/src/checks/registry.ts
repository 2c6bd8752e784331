// All checks, by name and by code.

import { CheckMeta, SemanticCheck } from './types';
import { SYNTAX_CHECKS } from './syntax';
import { REACHABILITY_CHECKS } from './reachability';
import { LINT_CONFIG_CHECKS } from './lint-config';
import { NAT_CHECKS } from './nat';
import { POLICY_CHECKS } from './policy';
import { STYLE_CHECKS } from './style';

/** Checks that run over what the ruleset does, in the order they run. */
export const SEMANTIC_CHECKS: readonly SemanticCheck[] = [...REACHABILITY_CHECKS, ...POLICY_CHECKS, ...NAT_CHECKS, ...STYLE_CHECKS];

export const ALL_CHECKS: readonly CheckMeta[] = [...SYNTAX_CHECKS, ...SEMANTIC_CHECKS, ...LINT_CONFIG_CHECKS].sort((a, b) => a.code.localeCompare(b.code));

const byName = new Map(ALL_CHECKS.map((c) => [c.name, c]));
const byCode = new Map(ALL_CHECKS.map((c) => [c.code, c]));

export function checkByName(name: string): CheckMeta | undefined {
  return byName.get(name);
}

export function checkByCode(code: string): CheckMeta | undefined {
  return byCode.get(code.toUpperCase());
}

/** The code of the check with this code or name, or undefined. */
export function codeOf(codeOrName: string): string | undefined {
  return (checkByCode(codeOrName) ?? checkByName(codeOrName.toLowerCase()))?.code;
}

/** Where a check's documentation page lives (shipped in the VSIX as docs/rules/CODE.md). */
export function docsUrl(check: CheckMeta): string {
  return `https://github.com/iptables-lint/iptables-lint/blob/main/docs/rules/${check.code}.md`;
}

// The documentation page of each check, generated from the check's own text (docs/rules/*.md,
// shipped in the VSIX and linked from every diagnostic).

import { ALL_CHECKS } from './registry';
import { CheckMeta } from './types';

export const REQUIRED_SECTIONS = ['## What it means', '## Why it matters', '## Example', '## How to fix'];

/**
 * Checks about what traffic does (IPT3xx and up) are judgement calls as well as facts:
 * their pages also say when silencing them is right, and how.
 */
export const ADVISORY_SECTIONS = ['## When to silence it'];

export function requiredSections(check: CheckMeta): readonly string[] {
  return Number(check.code.slice(3)) >= 300 && Number(check.code.slice(3)) < 390 ? [...REQUIRED_SECTIONS, ...ADVISORY_SECTIONS] : REQUIRED_SECTIONS;
}

export function docsPage(check: CheckMeta): string {
  const tags = check.tags?.length ? ` · tags: ${check.tags.join(', ')}` : '';
  return `# ${check.code} ${check.name}\n\n${check.summary}.\n\nDefault severity: ${check.severity}${tags}.\n\n${check.docs.trim()}\n`;
}

export function docsIndex(): string {
  const rows = ALL_CHECKS.map((c) => `| [${c.code}](${c.code}.md) | \`${c.name}\` | ${c.severity} | ${c.summary} |`);
  return `# iptables-lint checks\n\n| code | name | severity | what it finds |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

/** Every page of docs/rules, by file name. */
export function allDocsPages(): Map<string, string> {
  const pages = new Map<string, string>([['README.md', docsIndex()]]);
  for (const c of ALL_CHECKS) pages.set(`${c.code}.md`, docsPage(c));
  return pages;
}

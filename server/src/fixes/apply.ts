// Applying fixes: choosing, among the fixes of many findings, a set whose edits do not
// overlap, and repeating until nothing is left to fix (a fix may make another finding go
// away, or appear). Used by fix-all in the editor and by the CLI's --fix.

import { Finding } from '../analysis';
import { applyEdits } from '../checks/edits';
import { Edit, Fix } from '../checks/types';

export interface FixOptions {
  /** Apply unsafe fixes too (moves and deletions that change which packets are accepted). */
  readonly unsafe: boolean;
}

export interface ChosenFix {
  readonly finding: Finding;
  readonly fix: Fix;
}

/** The fix a finding would get from fix-all: its preferred fix, else its first, if allowed. */
export function fixFor(finding: Finding, options: FixOptions): Fix | undefined {
  const allowed = finding.fixes.filter((f) => f.safety === 'safe' || options.unsafe);
  return allowed.find((f) => f.preferred) ?? allowed[0];
}

function overlaps(a: Edit, b: Edit): boolean {
  // Two insertions at the same place would depend on their order: treat them as a clash.
  if (a.span.start === a.span.end && b.span.start === b.span.end) return a.span.start === b.span.start;
  return a.span.start < b.span.end && b.span.start < a.span.end;
}

/**
 * One round: in file order, every finding's fix whose edits overlap none of those chosen
 * before it. Findings whose fix was left out are fixed in a later round.
 */
export function chooseFixes(findings: readonly Finding[], options: FixOptions): ChosenFix[] {
  const chosen: ChosenFix[] = [];
  const edits: Edit[] = [];
  const seen = new Set<string>();
  for (const finding of [...findings].sort((a, b) => a.span.start - b.span.start)) {
    const fix = fixFor(finding, options);
    if (!fix || fix.edits.length === 0) continue;
    // Several findings may offer the very same fix (one insertion fixing two chains' problems).
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    if (fix.edits.some((e) => edits.some((c) => overlaps(e, c)))) continue;
    seen.add(key);
    chosen.push({ finding, fix });
    edits.push(...fix.edits);
  }
  return chosen;
}

export interface FixAllResult {
  readonly text: string;
  /** Every fix applied, round by round. */
  readonly applied: ReadonlyArray<ChosenFix & { readonly round: number }>;
  /** False when fixes kept appearing after the last round (a bug in some fix). */
  readonly converged: boolean;
}

/** Applies fixes until none is left, at most `maxRounds` times. `lint` analyses a text. */
export function fixAll(text: string, lint: (text: string) => readonly Finding[], options: FixOptions, maxRounds = 10): FixAllResult {
  const applied: Array<ChosenFix & { round: number }> = [];
  let current = text;
  for (let round = 1; round <= maxRounds; round++) {
    const chosen = chooseFixes(lint(current), options);
    if (chosen.length === 0) return { text: current, applied, converged: true };
    current = applyEdits(current, chosen.flatMap((c) => c.fix.edits));
    applied.push(...chosen.map((c) => ({ ...c, round })));
  }
  return { text: current, applied, converged: chooseFixes(lint(current), options).length === 0 };
}

// What every check declares about itself. The detection of syntax and load problems
// happens in the syntax and model layers, which tag each problem with the check's name;
// a check file owns the code, severity and documentation of that name.

import { Severity } from '../syntax/problems';

export type { Severity };

export type Tag = 'unnecessary' | 'deprecated';

export interface CheckMeta {
  /** Stable code: IPT + 3 digits, the hundreds giving the family (1xx: syntax and load errors). */
  readonly code: string;
  /** Stable kebab-case name describing the flagged pattern. */
  readonly name: string;
  readonly severity: Severity;
  /** One line for lists and hovers. */
  readonly summary: string;
  /**
   * Markdown documentation with the sections `## What it means`, `## Why it matters`,
   * `## Example` and `## How to fix`, written for the people who edit rulesets.
   */
  readonly docs: string;
  readonly tags?: readonly Tag[];
}

// What every check declares about itself. Syntax and load problems (IPT1xx) are detected
// by the syntax and model layers, which tag each problem with the check's name: a check
// file owns the code, severity and documentation of that name. Semantic checks (IPT2xx and
// up) also hold their detection, run over the engine's facts.

import { Severity } from '../syntax/problems';
import { Span } from '../syntax/text';
import { Witness } from '../semantics/witness';
import type { CheckContext } from './context';

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

/**
 * The fate a finding claims for its witness: it gets `outcome` in `table`, decided by the rule
 * on `line` (1-based), or by the chain's policy when `line` is absent; when `without` is
 * set, the claim is about the ruleset with the rule on that line deleted.
 */
export interface WitnessFate {
  readonly table: string;
  readonly outcome: string;
  readonly line?: number;
  readonly without?: number;
}

/** What a semantic check reports; the framework adds code, name, severity and tags. */
export interface CheckReport {
  readonly span: Span;
  readonly message: string;
  readonly related?: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
  /** A packet that shows the problem, for findings about traffic. */
  readonly witness?: Witness;
  /** What the finding claims happens to the witness, so tests can check it in the kernel. */
  readonly witnessFate?: WitnessFate;
  readonly severity?: Severity;
}

/**
 * A check that looks at what the ruleset does (IPT2xx and up). Detection lives in the
 * check's own file, next to its documentation.
 */
export interface SemanticCheck extends CheckMeta {
  run(ctx: CheckContext): CheckReport[];
}

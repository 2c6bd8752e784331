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

/** Replace the text of `span` with `text` (an insertion when the span is empty). */
export interface Edit {
  readonly span: Span;
  readonly text: string;
}

/**
 * Which packets a fix may change the fate of: the promise the fix-safety test holds every
 * fix to, by comparing the engine's verdicts before and after.
 * - `none`: no packet's fate changes (deleting a dead rule, rewriting a deprecated form).
 * - `only`: only packets of `table` that match the iptables match words `match` (for
 *   example `['-i', 'lo']`) on the built-in chains `chains` change fate, and some do.
 * - `load`: the file did not load before the fix (a syntax fix); the promise is that it
 *   loads after it, or at least that the fix removes its finding without adding one.
 */
export type FixEffect =
  | { readonly kind: 'none' }
  | { readonly kind: 'only'; readonly table: string; readonly chains: readonly string[]; readonly match: readonly string[] }
  | { readonly kind: 'load' };

/**
 * A mechanical remedy for a finding. A safe fix does what every reader of the finding
 * would want and never changes the fate of packets beyond what it promises; fix-all
 * applies only safe fixes (unless the user opts into unsafe ones). Moves and deletions
 * that change which packets are accepted are unsafe.
 */
export interface Fix {
  /** What the fix does, as the lightbulb shows it: "Insert '-A INPUT -i lo -j ACCEPT' at the top of INPUT". */
  readonly title: string;
  /** Non-overlapping edits against the analysed text. */
  readonly edits: readonly Edit[];
  readonly safety: 'safe' | 'unsafe';
  /** The obvious fix, offered first and applied by "auto fix". */
  readonly preferred?: boolean;
  readonly effect: FixEffect;
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
  /** Remedies, the preferred one first. */
  readonly fixes?: readonly Fix[];
}

/**
 * A check that looks at what the ruleset does (IPT2xx and up). Detection lives in the
 * check's own file, next to its documentation.
 */
export interface SemanticCheck extends CheckMeta {
  run(ctx: CheckContext): CheckReport[];
}

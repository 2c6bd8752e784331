import { Span } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/**
 * Something wrong found while reading the text. `kind` names the check that owns the
 * problem (e.g. `unknown-option`); the check registry gives it its code and severity.
 */
/**
 * A mechanical remedy for a problem, of the same shape as a check's Fix (checks/types.ts):
 * edits against the analysed text, whether fix-all may apply it, and what it promises.
 * `load`: the file was refused and the fix removes the problem without adding another;
 * `none`: the file loads either way and no packet's fate changes (a rewrite).
 */
export interface ProblemFix {
  readonly title: string;
  readonly edits: ReadonlyArray<{ readonly span: Span; readonly text: string }>;
  readonly safety: 'safe' | 'unsafe';
  readonly preferred?: boolean;
  readonly effect: { readonly kind: 'load' } | { readonly kind: 'none' };
}

export interface Problem {
  readonly kind: string;
  readonly span: Span;
  readonly message: string;
  /** Overrides the check's default severity (e.g. a value problem that is only a warning). */
  readonly severity?: Severity;
  /** A replacement for `span` (or for `suggestion.span`) that would fix it: did-you-mean and the like. */
  readonly suggestion?: { readonly span: Span; readonly text: string; readonly title?: string };
  /** Remedies that need more than one replacement, or are not the obvious choice (after `suggestion`'s fix). */
  readonly fixes?: readonly ProblemFix[];
  /** Other places involved, with a short note each. */
  readonly related?: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
}

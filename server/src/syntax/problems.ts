import { Span } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/**
 * Something wrong found while reading the text. `kind` names the check that owns the
 * problem (e.g. `unknown-option`); the check registry gives it its code and severity.
 */
export interface Problem {
  readonly kind: string;
  readonly span: Span;
  readonly message: string;
  /** Overrides the check's default severity (e.g. a value problem that is only a warning). */
  readonly severity?: Severity;
  /** A replacement for `span` (or for `suggestion.span`) that would fix it: did-you-mean and the like. */
  readonly suggestion?: { readonly span: Span; readonly text: string; readonly title?: string };
  /** Other places involved, with a short note each. */
  readonly related?: ReadonlyArray<{ readonly span: Span; readonly message: string }>;
}

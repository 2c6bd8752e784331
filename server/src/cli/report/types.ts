import { LineCol } from '../../syntax/text';
import { Witness } from '../../semantics/witness';

export interface JsonRange {
  readonly start: LineCol;
  readonly end: LineCol;
}

export interface JsonDiagnostic {
  readonly code: string;
  readonly name: string;
  readonly severity: string;
  readonly message: string;
  readonly range: JsonRange;
  readonly related: ReadonlyArray<{ readonly file: string; readonly range: JsonRange; readonly message: string }>;
  readonly tags: readonly string[];
  /** A packet that shows the problem; absent fields mean "any". */
  readonly witness?: Witness;
  /** Mechanical remedies, the preferred one first; ranges against the file as read. */
  readonly fixes: readonly JsonFix[];
}

export interface JsonFix {
  readonly title: string;
  readonly safety: 'safe' | 'unsafe';
  readonly preferred: boolean;
  readonly edits: ReadonlyArray<{ readonly range: JsonRange; readonly newText: string }>;
}

export interface FileReport {
  readonly file: string;
  /** The report is about a configuration file, not a ruleset. */
  readonly config?: true;
  readonly diagnostics: JsonDiagnostic[];
}

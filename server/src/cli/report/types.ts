import { LineCol } from '../../syntax/text';

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
}

export interface FileReport {
  readonly file: string;
  readonly diagnostics: JsonDiagnostic[];
}

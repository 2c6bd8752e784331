import { FileReport } from './types';

/** One array entry per file, positions 0-based as in LSP. */
export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(reports, null, 2) + '\n';
}

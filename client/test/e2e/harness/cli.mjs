// What the command-line linter (dist/cli.js, the same analysis as the language server) reports
// for a file: the reference the Problems panel is compared with.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from './paths.mjs';

/** [{ code, severity, message, line (1-based), column (1-based) }] for the file at filePath. */
export function lintWithCli(filePath) {
  const result = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), '--format', 'json', filePath], { encoding: 'utf8' });
  if (result.status === 2 || !result.stdout) throw new Error(`dist/cli.js failed: ${result.stderr}`);
  const [report] = JSON.parse(result.stdout);
  // VS Code's Problems panel does not list hints (they only fade or dot the text).
  return report.diagnostics.filter((d) => d.severity !== 'hint').map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  }));
}

import { FileReport } from './types';

/** `file:line:col: severity CODE message`, 1-based as compilers print them. */
export function formatText(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, other: 0 };
  for (const r of reports) {
    for (const d of r.diagnostics) {
      lines.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`);
      for (const rel of d.related) lines.push(`    ${rel.file}:${rel.range.start.line + 1}:${rel.range.start.character + 1}: note: ${rel.message}`);
      if (d.severity === 'error') counts.error++;
      else if (d.severity === 'warning') counts.warning++;
      else counts.other++;
    }
  }
  const total = counts.error + counts.warning + counts.other;
  const checked = reports.filter((r) => !r.config).length;
  const files = checked === 1 ? '1 file' : `${checked} files`;
  lines.push(total === 0 ? `${files} checked, no problems found.` : `${files} checked: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.other} other.`);
  return lines.join('\n') + '\n';
}

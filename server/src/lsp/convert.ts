// The one place where iptables-lint's plain data (offsets, findings) becomes LSP types.

import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Range } from 'vscode-languageserver';
import { Finding } from '../analysis';
import { checkByCode, docsUrl } from '../checks/registry';
import { Severity } from '../checks/types';
import { LineIndex, Span } from '../syntax/text';

export function toRange(index: LineIndex, span: Span): Range {
  return { start: index.position(span.start), end: index.position(span.end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(index: LineIndex, uri: string, finding: Finding): Diagnostic {
  const check = checkByCode(finding.code);
  const related: DiagnosticRelatedInformation[] = finding.related.map((r) => ({
    location: { uri, range: toRange(index, r.span) },
    message: r.message,
  }));
  const tags = finding.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  return {
    range: toRange(index, finding.span),
    severity: SEVERITY[finding.severity],
    source: 'iptables-lint',
    code: finding.code,
    ...(check ? { codeDescription: { href: docsUrl(check) } } : {}),
    message: finding.message,
    ...(related.length ? { relatedInformation: related } : {}),
    ...(tags.length ? { tags } : {}),
    data: { name: finding.name },
  };
}

// SARIF 2.1.0 output (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), the format code
// scanning services read: GitHub code scanning, GitLab, Azure DevOps. One run, with every
// check as a rule of the tool and every diagnostic as a result; the preferred fix of a
// diagnostic becomes the result's fix.

import * as path from 'path';
import { pathToFileURL } from 'url';
import { docsPage } from '../../checks/docs';
import { ALL_CHECKS, docsUrl } from '../../checks/registry';
import { CheckMeta } from '../../checks/types';
import { FileReport, JsonDiagnostic, JsonRange } from './types';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/iptables-lint/iptables-lint';

export interface SarifOptions {
  /** The tool's version. */
  readonly version: string;
  /** Paths are written relative to this directory (default: the current one). */
  readonly cwd?: string;
}

type Level = 'error' | 'warning' | 'note';

function level(severity: string): Level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** The text of a documentation section, without its heading. */
function section(docs: string, heading: string): string | undefined {
  const start = docs.indexOf(heading);
  if (start === -1) return undefined;
  const rest = docs.slice(start + heading.length);
  const end = rest.search(/\n## /);
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

function rule(check: CheckMeta) {
  const meaning = section(check.docs, '## What it means') ?? check.summary;
  const page = docsPage(check);
  return {
    id: check.code,
    name: check.name,
    shortDescription: { text: check.summary },
    fullDescription: { text: meaning, markdown: meaning },
    help: { text: page, markdown: page },
    helpUri: docsUrl(check),
    defaultConfiguration: { level: level(check.severity) },
    properties: { tags: [...(check.tags ?? [])] },
  };
}

/** A 1-based SARIF region from a 0-based LSP range (end column exclusive in both). */
function region(r: JsonRange) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/**
 * The file as a URI reference relative to `cwd` ('/' separated, percent-encoded), or as an
 * absolute file: URI when it lies outside `cwd`; standard input is "stdin".
 */
export function artifactUri(file: string, cwd: string): string {
  if (file === '-') return 'stdin';
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return pathToFileURL(absolute).href;
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

function result(d: JsonDiagnostic, uri: string, ruleIndex: Map<string, number>) {
  const location = (range: JsonRange) => ({ physicalLocation: { artifactLocation: { uri }, region: region(range) } });
  const preferred = d.fixes.find((f) => f.preferred);
  const index = ruleIndex.get(d.code);
  return {
    ruleId: d.code,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: level(d.severity),
    message: { text: d.message },
    locations: [location(d.range)],
    ...(d.related.length
      ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, physicalLocation: location(r.range).physicalLocation, message: { text: r.message } })) }
      : {}),
    ...(preferred
      ? {
          fixes: [
            {
              description: { text: preferred.title },
              artifactChanges: [{ artifactLocation: { uri }, replacements: preferred.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) }],
            },
          ],
        }
      : {}),
    ...(d.witness || d.tags.length ? { properties: { ...(d.witness ? { witness: d.witness } : {}), ...(d.tags.length ? { tags: d.tags } : {}) } } : {}),
  };
}

export function sarifLog(reports: readonly FileReport[], options: SarifOptions) {
  const cwd = options.cwd ?? process.cwd();
  const ruleIndex = new Map(ALL_CHECKS.map((c, i) => [c.code, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: { driver: { name: 'iptables-lint', version: options.version, informationUri: INFORMATION_URI, rules: ALL_CHECKS.map(rule) } },
        columnKind: 'utf16CodeUnits' as const,
        results: reports.flatMap((r) => r.diagnostics.map((d) => result(d, artifactUri(r.file, cwd), ruleIndex))),
      },
    ],
  };
}

export function formatSarif(reports: readonly FileReport[], options: SarifOptions): string {
  return JSON.stringify(sarifLog(reports, options), null, 2) + '\n';
}

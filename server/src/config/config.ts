// The project's lint configuration: which checks run, at which severity, and which services
// must stay reachable. It comes from `.iptables-lint.json` at the workspace root (or the
// CLI's --config) and from the editor settings; the file wins where both say something,
// as it is the one checked in next to the rules.

import { getNodeValue, Node as JsonNode, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { Family } from '../catalogue/types';
import { parseAddress, prefixMask } from '../catalogue/addresses';
import { Severity } from '../syntax/problems';

/** A service that must stay reachable: "tcp/22", "udp/51820", "tcp/22 from 10.0.0.0/8". */
export interface MustAllow {
  /** The entry as written, for messages. */
  readonly text: string;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  readonly port: number;
  /** Restricts the entry to clients in this network; it then applies to its family only. */
  readonly from?: { readonly family: Family; readonly address: bigint; readonly prefix: number };
}

export interface LintConfig {
  /** Codes of the checks turned off. */
  readonly disabled: readonly string[];
  /** Severity per code, replacing the check's default. */
  readonly severity: Readonly<Record<string, Severity>>;
  readonly mustAllow: readonly MustAllow[];
}

export const DEFAULT_MUST_ALLOW = ['tcp/22'];

export const DEFAULT_CONFIG: LintConfig = {
  disabled: [],
  severity: {},
  mustAllow: DEFAULT_MUST_ALLOW.map((t) => parseMustAllow(t) as MustAllow),
};

const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'hint'];

/** Reads one mustAllow entry; a string is the reason it is not one. */
export function parseMustAllow(text: string): MustAllow | string {
  const m = /^\s*(tcp|udp|sctp)\/(\d{1,5})(?:\s+from\s+(\S+))?\s*$/i.exec(text);
  if (!m) return `'${text}' is not a service: write it as protocol/port, e.g. "tcp/22", "udp/51820" or "tcp/22 from 10.0.0.0/8"`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `port ${m[2]} in '${text}' is out of range (1-65535)`;
  const protocol = m[1].toLowerCase() as MustAllow['protocol'];
  if (m[3] === undefined) return { text: text.trim(), protocol, port };
  const from = parseNetwork(m[3]);
  if (typeof from === 'string') return `'${m[3]}' in '${text}' ${from}`;
  return { text: text.trim(), protocol, port, from };
}

function parseNetwork(text: string): MustAllow['from'] | string {
  const [addressText, prefixText, extra] = text.split('/');
  if (extra !== undefined) return 'is not an address or network';
  const family: Family = addressText.includes(':') ? 'ipv6' : 'ipv4';
  const address = parseAddress(family, addressText);
  if (address === undefined) return 'is not an address or network';
  const bits = family === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return `has a prefix length outside 0-${bits}`;
  return { family, address: address & prefixMask(family, prefix), prefix };
}

/** A problem in a configuration, at a character offset of its text when it has one. */
export interface ConfigProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface RawConfig {
  readonly disable?: unknown;
  readonly severity?: unknown;
  readonly mustAllow?: unknown;
}

/**
 * Turns raw configuration values into a LintConfig. `knownCode` resolves a code or check
 * name to its code (undefined when no check has it); `locate` finds the text of a value in
 * the source so problems point at it.
 */
export function resolveConfig(raw: RawConfig, knownCode: (codeOrName: string) => string | undefined, locate: (value: string) => { start: number; end: number } = () => ({ start: 0, end: 0 }), base: LintConfig = DEFAULT_CONFIG): { config: LintConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const report = (message: string, at: string) => problems.push({ message, ...locate(at) });
  const codes = (value: unknown, key: string): string[] => {
    if (!Array.isArray(value)) {
      report(`"${key}" must be a list of check codes or names, e.g. ["IPT203"]`, key);
      return [];
    }
    const out: string[] = [];
    for (const item of value) {
      const code = typeof item === 'string' ? knownCode(item) : undefined;
      if (code) out.push(code);
      else report(`${JSON.stringify(item)} is not the code or name of an iptables-lint check`, String(item));
    }
    return out;
  };
  const disabled = raw.disable === undefined ? [...base.disabled] : codes(raw.disable, 'disable');
  const severity: Record<string, Severity> = { ...base.severity };
  if (raw.severity !== undefined) {
    if (typeof raw.severity !== 'object' || raw.severity === null || Array.isArray(raw.severity)) report('"severity" must map check codes to "error", "warning", "info", "hint" or "off"', 'severity');
    else
      for (const [key, value] of Object.entries(raw.severity)) {
        const code = knownCode(key);
        if (!code) report(`"${key}" is not the code or name of an iptables-lint check`, key);
        else if (value === 'off') disabled.push(code);
        else if (typeof value === 'string' && SEVERITIES.includes(value)) severity[code] = value as Severity;
        else report(`the severity of ${key} must be "error", "warning", "info", "hint" or "off"`, String(value));
      }
  }
  let mustAllow = base.mustAllow;
  if (raw.mustAllow !== undefined) {
    if (!Array.isArray(raw.mustAllow)) report('"mustAllow" must be a list of services, e.g. ["tcp/22", "udp/51820"]', 'mustAllow');
    else {
      const entries: MustAllow[] = [];
      for (const item of raw.mustAllow) {
        const entry = typeof item === 'string' ? parseMustAllow(item) : `${JSON.stringify(item)} is not a service: write it as a string such as "tcp/22"`;
        if (typeof entry === 'string') report(entry, String(item));
        else entries.push(entry);
      }
      // A list whose every entry is unreadable keeps the previous list rather than protect nothing.
      if (entries.length > 0 || raw.mustAllow.length === 0) mustAllow = entries;
    }
  }
  return { config: { disabled: [...new Set(disabled)], severity, mustAllow }, problems };
}

/**
 * Reads the text of `.iptables-lint.json` (JSON with comments and trailing commas, as VS
 * Code's own settings files). Problems point into the text: a syntax error where it is, a
 * bad value at its place.
 */
export function parseConfigFile(text: string, knownCode: (codeOrName: string) => string | undefined, base: LintConfig = DEFAULT_CONFIG): { config: LintConfig; problems: ConfigProblem[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const problems = errors.map((e) => ({ message: `not valid JSON: ${describeJsonError(printParseErrorCode(e.error))}`, start: e.offset, end: e.offset + Math.max(1, e.length) }));
    return { config: base, problems: problems.length ? problems : [{ message: 'the file is empty: write a JSON object, e.g. {"mustAllow": ["tcp/22"]}', start: 0, end: 0 }] };
  }
  if (tree.type !== 'object') return { config: base, problems: [{ message: 'the configuration must be a JSON object, e.g. {"disable": ["IPT203"], "mustAllow": ["tcp/22"]}', start: tree.offset, end: tree.offset + tree.length }] };
  const places = stringPlaces(tree);
  const locate = (value: string) => places.get(value) ?? { start: tree.offset, end: tree.offset + 1 };
  const problems: ConfigProblem[] = [];
  const raw = getNodeValue(tree) as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!['disable', 'severity', 'mustAllow', '$schema'].includes(key)) problems.push({ message: `unknown setting "${key}" (known: disable, severity, mustAllow)`, ...locate(key) });
  const resolved = resolveConfig(raw, knownCode, locate, base);
  return { config: resolved.config, problems: [...problems, ...resolved.problems] };
}

/** Where each string (key or value) of the document first occurs. */
function stringPlaces(tree: JsonNode): Map<string, { start: number; end: number }> {
  const places = new Map<string, { start: number; end: number }>();
  const visit = (n: JsonNode) => {
    if (n.type !== 'object' && n.type !== 'array' && n.type !== 'property') {
      const key = String(n.value);
      if (!places.has(key)) places.set(key, { start: n.offset, end: n.offset + n.length });
    }
    for (const child of n.children ?? []) visit(child);
  };
  visit(tree);
  return places;
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

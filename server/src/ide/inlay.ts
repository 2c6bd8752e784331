// Inlay hints: before each rule, its number in its chain as `iptables -L --line-numbers`
// shows it once the file is loaded (the number `iptables -D CHAIN N` takes), and after each
// `[packets:bytes]`, the counters in readable units. Plain data with offsets; no LSP here.

import { BuiltinId } from '../catalogue/builtin';
import { HostValue } from '../catalogue/values';
import { Analysis } from '../analysis';
import { Counters, RuleLine } from '../syntax/dump';
import { isBuiltin, RuleSyntax } from '../syntax/rule';
import { Span } from '../syntax/text';
import { Chain, Rule, TableModel } from '../model/ruleset';
import { isScriptTree } from '../syntax/script';

export interface InlayHintData {
  /** Where the hint is drawn (between two characters). */
  readonly offset: number;
  readonly label: string;
  /** Markdown. */
  readonly tooltip: string;
  readonly kind: 'rule-number' | 'counters';
  readonly paddingLeft: boolean;
  readonly paddingRight: boolean;
}

export interface InlayOptions {
  readonly ruleNumbers: boolean;
  readonly counters: boolean;
}

export function inlayHints(analysis: Analysis, range: Span | undefined, options: InlayOptions): InlayHintData[] {
  const hints = [...(options.ruleNumbers ? ruleNumberHints(analysis) : []), ...(options.counters ? counterHints(analysis) : [])];
  const inRange = (h: InlayHintData) => !range || (range.start <= h.offset && h.offset <= range.end);
  return hints.filter(inRange).sort((a, b) => a.offset - b.offset);
}

// ---------------------------------------------------------------------------- rule numbers

/**
 * How many kernel rules one rule line becomes: iptables adds one rule per source address
 * times destination address of `-s a,b -d c,d`. `exact` is false when a host name is
 * involved, as it may resolve to several addresses when the rules are loaded.
 */
export function kernelRuleCount(rule: RuleSyntax): { count: number; exact: boolean } {
  let count = 1;
  let exact = true;
  for (const id of ['source', 'destination'] as BuiltinId[]) {
    const item = rule.items.find((it) => isBuiltin(it) && it.spec.id === id);
    const result = item?.results[0];
    if (!item || !result?.ok) continue;
    const host = result.value as HostValue;
    const known = host.addresses.length + (host.hostname ? 1 : 0);
    if (host.hostname) exact = false;
    count *= Math.max(1, known);
  }
  return { count, exact };
}

/** The position of each rule of a chain once loaded: first..last (several for -s a,b). */
export interface RulePosition {
  readonly rule: Rule;
  readonly first: number;
  readonly last: number;
  /** A host name before it (or in it) may shift the numbers. */
  readonly exact: boolean;
}

/** The chain's rules in their loaded order (-I already applied by the model) with their numbers. */
export function rulePositions(chain: Chain): RulePosition[] {
  const out: RulePosition[] = [];
  let next = 1;
  let exact = true;
  for (const rule of chain.rules) {
    const k = kernelRuleCount(rule.syntax);
    exact &&= k.exact;
    out.push({ rule, first: next, last: next + k.count - 1, exact });
    next += k.count;
  }
  return out;
}

/** The command a user types for this table and family: `ip6tables -t nat`. */
function commandFor(model: TableModel): string {
  const tool = model.family === 'ipv6' ? 'ip6tables' : 'iptables';
  return model.table === 'filter' ? tool : `${tool} -t ${model.table}`;
}

function ruleNumberHints(analysis: Analysis): InlayHintData[] {
  const { tree, ruleset } = analysis;
  const hints: InlayHintData[] = [];
  // In a script, a command in a loop or a function stands for several rules, and one that may
  // not run makes the numbers after it uncertain: those get no number.
  const script = isScriptTree(tree);
  const runs = new Map<number, number>();
  if (script) for (const n of tree.lines) if (n.kind === 'rule') runs.set(n.span.start, (runs.get(n.span.start) ?? 0) + 1);
  for (const model of ruleset.tables)
    for (const chain of model.chains.values()) {
      let uncertain = false;
      for (const position of rulePositions(chain)) {
        const node = tree.lines[position.rule.node] as RuleLine;
        uncertain ||= !!node.uncertain;
        if (script && (uncertain || runs.get(node.span.start) !== 1)) continue;
        const at = node.words[0]?.span.start;
        if (at !== undefined) hints.push(ruleNumberHint(at, chain.name, position, commandFor(model)));
      }
    }
  return hints;
}

function ruleNumberHint(offset: number, chain: string, p: RulePosition, command: string): InlayHintData {
  const several = p.last > p.first;
  const label = `#${p.first}${several ? `-${p.last}` : ''}${p.exact ? '' : '?'}`;
  const lines = [
    several
      ? `Rules ${p.first} to ${p.last} of ${chain}: iptables adds one rule per address of -s/-d.`
      : `Rule ${p.first} of ${chain}, as \`${command} -L ${chain} --line-numbers\` numbers it once this file is loaded.`,
    `\`${command} -D ${chain} ${p.first}\` deletes ${several ? 'the first of them' : 'it'}.`,
  ];
  if (!p.exact) lines.push('A host name in this rule or above it is resolved when the rules are loaded and may add rules: the number may be higher.');
  return { offset, label, tooltip: lines.join('\n\n'), kind: 'rule-number', paddingLeft: false, paddingRight: true };
}

// ---------------------------------------------------------------------------- counters

const PACKET_UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** 1234567 -> "1.2M" (powers of 1000, as `iptables -L -v` shows them). Counters are 64-bit: BigInt. */
function scaled(value: bigint, units: readonly string[], separator: string): string {
  let unit = 0;
  let whole = value;
  let tenths = 0n;
  while (whole >= 1000n && unit < units.length - 1) {
    tenths = (whole % 1000n) / 100n;
    whole /= 1000n;
    unit++;
  }
  const number = unit === 0 || whole >= 100n ? `${whole}` : `${whole}.${tenths}`;
  return units[unit] ? `${number}${separator}${units[unit]}` : number;
}

export function formatPackets(packets: bigint): string {
  return `${scaled(packets, PACKET_UNITS, '')} ${packets === 1n ? 'pkt' : 'pkts'}`;
}

export function formatBytes(bytes: bigint): string {
  return scaled(bytes, BYTE_UNITS, ' ');
}

function grouped(value: bigint): string {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function counterValues(c: Counters): { packets: bigint; bytes: bigint } | undefined {
  return /^\d+$/.test(c.packets) && /^\d+$/.test(c.bytes) ? { packets: BigInt(c.packets), bytes: BigInt(c.bytes) } : undefined;
}

/**
 * Counters after every rule's `[p:b]`, and after a chain line's when they say something:
 * iptables-save writes `[0:0]` on every chain line even without -c, so zero chain counters
 * are shown only in a block whose rules carry counters too.
 */
function counterHints(analysis: Analysis): InlayHintData[] {
  const { tree } = analysis;
  const hints: InlayHintData[] = [];
  for (const b of tree.blocks) {
    const rulesHaveCounters = b.rules.some((i) => (tree.lines[i] as RuleLine).counters);
    for (let i = b.header + 1; i <= b.last; i++) {
      const node = tree.lines[i];
      if (node.kind === 'rule' && node.counters) pushCounterHint(hints, node.counters, 'rule');
      if (node.kind === 'chain' && node.counters) {
        const v = counterValues(node.counters);
        if (v && (rulesHaveCounters || v.packets > 0n || v.bytes > 0n)) pushCounterHint(hints, node.counters, node.builtin ? 'policy' : 'chain');
      }
    }
  }
  return hints;
}

function pushCounterHint(hints: InlayHintData[], counters: Counters, of: 'rule' | 'policy' | 'chain'): void {
  const v = counterValues(counters);
  if (!v) return;
  const what = of === 'rule' ? 'matched this rule' : of === 'policy' ? 'reached the end of this chain and got its policy' : 'were counted on this chain';
  const tooltip = `${grouped(v.packets)} packets (${grouped(v.bytes)} bytes) ${what} since the counters were last zeroed, when the file was saved.`;
  hints.push({ offset: counters.span.end, label: `${formatPackets(v.packets)}, ${formatBytes(v.bytes)}`, tooltip, kind: 'counters', paddingLeft: true, paddingRight: true });
}

// Every fix keeps its promise. For each fixture and each real-world ruleset, every fix of
// every finding is applied and the result is checked against the fix's effect:
//  - always: the result reads with no new syntax or load error (IPT1xx);
//  - load: the finding that offered the fix is gone (one fewer of its code); when the
//    result is free of errors, the real kernel loads it;
//  - none and only: the original loads in the real kernel and so does the result; the
//    engine's exact difference between the two (semantics/difference.ts) is empty (none),
//    or not empty and inside the effect's match words, on the effect's chains of the
//    effect's table, and empty everywhere else (only);
//  - only: a sample of the changed packets (up to 3 per fix) goes through the kernel
//    before and after the fix (scripts/kernel-oracle.py); the kernel's verdicts must be the
//    engine's, and so differ.
// The kernel parts need root and iptables, and skip with a message otherwise.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyse, Analysis, detectFileKind, Finding, familyFromPath } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { applyEdits } from '../../src/checks/edits';
import { Fix } from '../../src/checks/types';
import { Ruleset } from '../../src/model/ruleset';
import { ChainDifference, interfacesOfWords, rulesetDifference } from '../../src/semantics/difference';
import { Engine } from '../../src/semantics/engine';
import { matchSet } from '../../src/semantics/match-set';
import { assignment, PacketTracer, TracePacket } from '../../src/semantics/trace';
import { Witness } from '../../src/semantics/witness';
import { kernelUnavailable, KernelVerdict, loadAll } from '../support/kernel';
import { OracleError, OraclePacket, OracleResult, oracleUnavailable, runOracle } from '../support/oracle';
import { corpusDir, FIXTURES, listFiles } from '../support/paths';
import { NOT_A_RULESET } from '../kernel/exclusions';

interface Input {
  readonly id: string;
  readonly text: string;
  readonly family?: Family;
  readonly analysis: Analysis;
}

type Kind = Fix['effect']['kind'];

/** One fix applied to one file. */
interface Case {
  readonly input: Input;
  readonly finding: Finding;
  readonly fix: Fix;
  readonly text: string;
  readonly after: Analysis;
  /** Packets the engine says change fate, with its verdicts before and after. */
  packets: Array<{ packet: Witness; family: Family; before: string; after: string }>;
}

interface Tally {
  checked: Record<Kind, number>;
  broken: string[];
  notes: string[];
  kernelLoads: number;
  packets: number;
  packetsAgreed: number;
}

const newTally = (): Tally => ({ checked: { none: 0, only: 0, load: 0 }, broken: [], notes: [], kernelLoads: 0, packets: 0, packetsAgreed: 0 });

const isSyntaxError = (f: Finding) => f.severity === 'error' && /^IPT1\d\d$/.test(f.code);

function countByCode(findings: readonly Finding[], keep: (f: Finding) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) if (keep(f)) out.set(f.code, (out.get(f.code) ?? 0) + 1);
  return out;
}

/** Syntax and load errors the result has more of than the original (by code). */
function newErrors(before: Analysis, after: Analysis): string[] {
  const a = countByCode(before.findings, isSyntaxError);
  const b = countByCode(after.findings, isSyntaxError);
  const out: string[] = [];
  for (const [code, n] of b) {
    if (n <= (a.get(code) ?? 0)) continue;
    const sample = after.findings.find((f) => f.code === code && isSyntaxError(f))!;
    out.push(`${code} (${sample.message}, line ${after.tree.index.lineOf(sample.span.start) + 1})`);
  }
  return out;
}

function inputsFrom(files: readonly string[], base: string): Input[] {
  const out: Input[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (detectFileKind(text, file) !== 'dump' || !/^\*(filter|nat|mangle|raw|security)\s*$/m.test(text)) continue;
    const family = familyFromPath(file);
    out.push({ id: path.relative(base, file), text, family, analysis: analyse(text, { family }) });
  }
  return out;
}

function describe_(c: { input: Input; finding: Finding; fix: Fix }): string {
  const line = c.input.analysis.tree.index.lineOf(c.finding.span.start) + 1;
  return `${c.input.id}:${line} ${c.finding.code} "${c.fix.title}" (${c.fix.effect.kind})`;
}

/** Applies every fix of every finding and checks what needs no kernel. */
function checkStatically(inputs: readonly Input[], tally: Tally): Case[] {
  const cases: Case[] = [];
  for (const input of inputs) {
    for (const finding of input.analysis.findings) {
      for (const fix of finding.fixes) {
        const where = describe_({ input, finding, fix });
        const sorted = [...fix.edits].sort((x, y) => x.span.start - y.span.start);
        if (sorted.some((e, i) => e.span.start > e.span.end || e.span.end > input.text.length || (i > 0 && e.span.start < sorted[i - 1].span.end))) {
          tally.broken.push(`${where}: its edits overlap or lie outside the text`);
          continue;
        }
        const text = applyEdits(input.text, fix.edits);
        const after = analyse(text, { family: input.family });
        tally.checked[fix.effect.kind]++;
        if (text === input.text) tally.broken.push(`${where}: changes nothing`);
        const added = newErrors(input.analysis, after);
        if (added.length) tally.broken.push(`${where}: new errors ${added.join('; ')}`);
        const c: Case = { input, finding, fix, text, after, packets: [] };
        if (fix.effect.kind === 'load') {
          const left = after.findings.filter((f) => f.code === finding.code).length;
          const had = input.analysis.findings.filter((f) => f.code === finding.code).length;
          if (left >= had) tally.broken.push(`${where}: the finding is still there (${had} ${finding.code} before, ${left} after)`);
        } else {
          checkDifference(c, tally);
        }
        cases.push(c);
      }
    }
  }
  return cases;
}

/** The engine's difference between the file and the fixed file, against the promise. */
function checkDifference(c: Case, tally: Tally): void {
  const effect = c.fix.effect;
  const where = describe_(c);
  const words = effect.kind === 'only' ? effect.match : [];
  const diff = rulesetDifference(c.input.analysis.ruleset, c.after.ruleset, { interfaces: interfacesOfWords(words) });
  if (diff.unanalysed.length) {
    tally.notes.push(`${where}: not compared (${diff.unanalysed.join(', ')})`);
    return;
  }
  const changed = diff.changedChains();
  const show = (d: ChainDifference) => `${d.family} ${d.table}/${d.chain}, e.g. ${JSON.stringify(diff.witnessOf(d))}`;
  if (effect.kind === 'none') {
    if (changed.length) tally.broken.push(`${where}: promises no change, but packets change fate in ${changed.map(show).join('; ')}`);
    return;
  }
  if (effect.kind !== 'only') return;
  if (changed.length === 0) {
    tally.broken.push(`${where}: promises a change in ${effect.table}/${effect.chains.join(',')} for '${effect.match.join(' ')}', but no packet changes fate`);
    return;
  }
  if (diff.changedChains({ inForce: true }).length === 0)
    tally.broken.push(`${where}: changes only a *${effect.table} block that a later *${effect.table} block replaces at load time (IPT132): no packet changes fate in the kernel`);
  for (const d of changed) {
    if (d.table !== effect.table || !effect.chains.includes(d.chain)) {
      tally.broken.push(`${where}: changes packets outside ${effect.table}/${effect.chains.join(',')}: ${show(d)}`);
      continue;
    }
    let allowed;
    try {
      allowed = diff.engine.matchWords(d.family, d.table, effect.match);
    } catch (e) {
      tally.broken.push(`${where}: its effect's match words are not valid: ${(e as Error).message}`);
      continue;
    }
    const { bdd } = diff.spaceOf(d.family).space;
    const outside = bdd.diff(d.changed, allowed.set);
    if (!bdd.subset(d.changed, allowed.set)) tally.broken.push(`${where}: changes packets outside '${effect.match.join(' ')}' in ${d.table}/${d.chain}, e.g. ${JSON.stringify(diff.witnessOf(d, outside))}`);
  }
  c.packets = kernelPackets(c, diff, diff.changedChains({ inForce: true }));
}

/** Does a rule of a table other than filter match the packet (NAT would rewrite it, say)? */
function touchedElsewhere(ruleset: Ruleset, engine: Engine, family: Family, packet: TracePacket): boolean {
  const { space, interfaces } = engine.spaces.get(family)!;
  const bits = assignment(space, interfaces, packet);
  for (const table of ruleset.tables) {
    if (table.table === 'filter' || table.family !== family) continue;
    for (const chain of table.chains.values())
      for (const rule of chain.rules) if (space.bdd.contains(matchSet(rule.syntax, { space, interfaces, marksChange: true }).set, bits)) return true;
  }
  return false;
}

/**
 * Up to 3 changed packets per filter chain whose fate the engine knows for certain before
 * and after, and which it says differ (the Witness leaves out fields the kernel check
 * cannot set, so the trace confirms each one).
 */
function kernelPackets(c: Case, diff: ReturnType<typeof rulesetDifference>, changed: readonly ChainDifference[]): Case['packets'] {
  const out: Case['packets'] = [];
  const lineOf = (a: Analysis) => (rule: { node: number }) => a.tree.lines[rule.node].line + 1;
  const before = new PacketTracer(c.input.analysis.ruleset, lineOf(c.input.analysis));
  const after = new PacketTracer(c.after.ruleset, lineOf(c.after));
  for (const d of changed) {
    if (d.table !== 'filter' || !['INPUT', 'FORWARD', 'OUTPUT'].includes(d.chain)) continue;
    for (const w of diff.witnesses(d, 3)) {
      const p = w as unknown as TracePacket;
      if (touchedElsewhere(c.input.analysis.ruleset, diff.engine, d.family, p) || touchedElsewhere(c.after.ruleset, diff.engine, d.family, p)) continue;
      const tb = before.trace(p, d.family);
      const ta = after.trace(p, d.family);
      if (!tb.certain || !ta.certain || tb.verdict === ta.verdict) continue;
      out.push({ packet: w, family: d.family, before: tb.verdict, after: ta.verdict });
    }
  }
  return out;
}

/** Loads every file once with both backends; the verdicts per text. */
function kernelLoad(texts: ReadonlyArray<{ text: string; family: Family }>): Map<string, KernelVerdict[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-fixes-'));
  const files = new Map<string, { path: string; family: Family }>();
  for (const t of texts) if (!files.has(t.text)) files.set(t.text, { path: path.join(dir, `${files.size}.rules`), family: t.family });
  for (const [text, f] of files) fs.writeFileSync(f.path, text);
  const results = loadAll([...files.values()]);
  fs.rmSync(dir, { recursive: true, force: true });
  const out = new Map<string, KernelVerdict[]>();
  for (const [text, f] of files) out.set(text, results.get(f.path) ?? []);
  return out;
}

const familyOf = (a: Analysis): Family => a.tree.blocks[0]?.family ?? 'ipv4';
/** What a restore refusal says, first line. */
const why = (v: readonly KernelVerdict[]) => v.filter((x) => x.refused).map((x) => `${x.backend}: ${x.message.split('\n')[0]}`).join('; ');
/** Refusals that come from this machine, not from the file's syntax (an ipset the file uses). */
const environmental = (v: readonly KernelVerdict[]) => v.every((x) => !x.refused || /Set .* doesn't exist|Couldn't load match `set'/.test(x.message));

/** The original and the result load in the kernel (non-load fixes), or the result does (load fixes that leave no error). */
function checkLoads(cases: readonly Case[], tally: Tally): void {
  const wanted: Array<{ text: string; family: Family }> = [];
  const originalLoads = (c: Case) => !c.input.analysis.findings.some(isSyntaxError);
  for (const c of cases) {
    const family = familyOf(c.input.analysis);
    if (c.fix.effect.kind !== 'load' && originalLoads(c)) wanted.push({ text: c.input.text, family }, { text: c.text, family });
    if (c.fix.effect.kind === 'load' && !c.after.findings.some(isSyntaxError)) wanted.push({ text: c.text, family });
  }
  const verdicts = kernelLoad(wanted);
  for (const c of cases) {
    const where = describe_(c);
    const before = verdicts.get(c.input.text);
    const after = verdicts.get(c.text);
    if (!after) continue;
    tally.kernelLoads++;
    if (c.fix.effect.kind !== 'load' && before?.some((v) => v.refused)) {
      if (!environmental(before)) tally.notes.push(`${where}: the original does not load here (${why(before)})`);
      continue;
    }
    if (after.some((v) => v.refused) && !environmental(after)) tally.broken.push(`${where}: the fixed file does not load: ${why(after)}`);
  }
}

/** The sampled packets through the kernel, before and after each fix. */
function checkPackets(cases: readonly Case[], tally: Tally, budget: number): void {
  // Round robin over the checks, so that the budget covers every check's fixes.
  const byCode = new Map<string, Case[]>();
  for (const c of cases) if (c.packets.length > 0) byCode.set(c.finding.code, [...(byCode.get(c.finding.code) ?? []), c]);
  const withPackets: Case[] = [];
  for (let i = 0; withPackets.length < [...byCode.values()].reduce((n, l) => n + l.length, 0); i++) for (const list of byCode.values()) if (list[i]) withPackets.push(list[i]);
  for (const c of cases) if (!withPackets.includes(c)) c.packets = [];
  // One run per original for all its fixes' packets, one per fixed file.
  const byInput = new Map<Input, Case[]>();
  let left = budget;
  for (const c of withPackets) {
    if (left <= 0) {
      c.packets = [];
      continue;
    }
    c.packets = c.packets.slice(0, Math.min(3, left));
    left -= c.packets.length;
    byInput.set(c.input, [...(byInput.get(c.input) ?? []), c]);
  }
  const tracks = (r: Ruleset, family: Family) => new Engine(r).spaces.get(family)?.conntrack ?? false;
  const toOracle = (w: Witness, keepState: boolean): OraclePacket => {
    const proto = /^\d+$/.test(w.proto) ? Number(w.proto) : w.proto;
    return { ...w, proto, ...(keepState ? {} : { state: undefined }) } as OraclePacket;
  };
  const run = (text: string, ruleset: Ruleset, family: Family, packets: readonly Witness[]): OracleResult[] | string => {
    try {
      return runOracle(text, packets.map((p) => toOracle(p, tracks(ruleset, family))), { family });
    } catch (e) {
      if (e instanceof OracleError) return e.message.split('\n')[0].slice(0, 200);
      throw e;
    }
  };
  for (const [input, list] of byInput) {
    const family = list[0].packets[0].family;
    const all = list.flatMap((c) => c.packets.map((p) => p.packet));
    const before = run(input.text, input.analysis.ruleset, family, all);
    if (typeof before === 'string') {
      tally.notes.push(`${input.id}: the oracle could not load the original: ${before}`);
      continue;
    }
    let k = 0;
    for (const c of list) {
      const mine = before.slice(k, k + c.packets.length);
      k += c.packets.length;
      const after = run(c.text, c.after.ruleset, family, c.packets.map((p) => p.packet));
      if (typeof after === 'string') {
        tally.notes.push(`${describe_(c)}: the oracle could not load the fixed file: ${after}`);
        continue;
      }
      c.packets.forEach((p, i) => {
        const rb = mine[i];
        const ra = after[i];
        if (!rb.ok || !ra.ok || rb.verdict === 'NOT_REACHED' || ra.verdict === 'NOT_REACHED') {
          tally.notes.push(`${describe_(c)}: ${JSON.stringify(p.packet)} could not be injected`);
          return;
        }
        tally.packets++;
        if (rb.verdict === p.before && ra.verdict === p.after) tally.packetsAgreed++;
        else tally.broken.push(`${describe_(c)}: ${JSON.stringify(p.packet)}: the engine says ${p.before} before and ${p.after} after the fix, the kernel ${rb.verdict} and ${ra.verdict}`);
      });
    }
  }
}

function report(title: string, t: Tally): void {
  const total = t.checked.none + t.checked.only + t.checked.load;
  console.log(`    ${title}: ${total} fixes checked (none ${t.checked.none}, only ${t.checked.only}, load ${t.checked.load}); ${t.kernelLoads} fixed files loaded in the kernel; ${t.packetsAgreed}/${t.packets} packets decided by the kernel as the engine says`);
  if (t.notes.length) console.log(`      not checked (${t.notes.length}):\n        ${t.notes.slice(0, 30).join('\n        ')}${t.notes.length > 30 ? `\n        ... ${t.notes.length - 30} more` : ''}`);
  if (t.broken.length) console.log(`      BROKEN PROMISES (${t.broken.length}):\n        ${t.broken.join('\n        ')}`);
}

describe('fix safety: every fix does what its effect promises', function () {
  this.timeout(1800000);
  const kernelWhy = kernelUnavailable();
  const oracleWhy = oracleUnavailable(['nft']);
  const realWorld = corpusDir('real-world');
  const sets: Array<[string, () => Input[], number]> = [
    ['fixtures', () => inputsFrom(listFiles(FIXTURES).filter((f) => /\.(rules|v4|v6)$/.test(f)), FIXTURES), 150],
    ['real-world corpus', () => (realWorld ? inputsFrom(listFiles(realWorld).filter((f) => !NOT_A_RULESET.has(path.relative(realWorld, f))), realWorld) : []), 120],
  ];
  if (!realWorld) it('real-world corpus: skipped, ../shared/corpus/real-world is not present');
  if (kernelWhy) it(`kernel loads: skipped, ${kernelWhy}`);
  if (oracleWhy) it(`kernel packets: skipped, ${oracleWhy}`);
  for (const [title, inputsOf, budget] of sets) {
    if (title !== 'fixtures' && !realWorld) continue;
    it(`${title}: applied fixes read cleanly and change exactly what they promise`, function () {
      const inputs = inputsOf();
      const tally = newTally();
      const t0 = Date.now();
      const cases = checkStatically(inputs, tally);
      const t1 = Date.now();
      if (!kernelWhy) checkLoads(cases, tally);
      const t2 = Date.now();
      if (!oracleWhy) checkPackets(cases, tally, budget);
      const t3 = Date.now();
      report(`${title} (${inputs.length} files)`, tally);
      console.log(`      time: engine ${((t1 - t0) / 1000).toFixed(1)} s, kernel loads ${((t2 - t1) / 1000).toFixed(1)} s, kernel packets ${((t3 - t2) / 1000).toFixed(1)} s`);
      assert.ok(title !== 'fixtures' || cases.length > 20, `only ${cases.length} fixes on the fixtures`);
      assert.deepStrictEqual(tally.broken, []);
    });
  }
});

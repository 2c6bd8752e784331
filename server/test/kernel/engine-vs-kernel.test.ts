// The engine against the real kernel. For the fixtures and the real-world corpus, packets go
// through the ruleset in a throwaway network namespace (scripts/kernel-oracle.py) and:
//  - every witness packet of a finding is decided exactly as the finding says;
//  - packets sampled from every rule (and near misses) get the same verdict from the same
//    rule in the kernel as in the engine's trace, whenever the trace is certain;
//  - no packet ever moves the counter of a rule the engine calls unreachable.
// Needs root, python3 and iptables; skips with one line otherwise.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyse, Analysis, familyFromPath } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { Engine } from '../../src/semantics/engine';
import { matchSet } from '../../src/semantics/match-set';
import { assignment, PacketTracer, TracePacket } from '../../src/semantics/trace';
import { OracleError, OraclePacket, OracleResult, oracleUnavailable, runOracle } from '../support/oracle';
import { samplePackets } from '../support/packet-samples';
import { corpusDir, FIXTURES, listFiles } from '../support/paths';
import { NOT_A_RULESET } from './exclusions';

interface Input {
  readonly id: string;
  readonly text: string;
  readonly family: Family;
  readonly analysis: Analysis;
}

interface Tally {
  checked: number;
  agreed: number;
  skipped: number;
  misses: string[];
}

function inputsFrom(files: readonly string[], base: string): Input[] {
  const out: Input[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (!/^\*filter/m.test(text)) continue;
    const analysis = analyse(text, { family: familyFromPath(file) });
    // The kernel refuses a file with a syntax or load error (IPT1xx); errors about traffic (IPT3xx) are claims to check.
    if (analysis.findings.some((f) => f.severity === 'error' && /^IPT1\d\d$/.test(f.code))) continue;
    const family = analysis.tree.blocks[0]?.family ?? 'ipv4';
    if (analysis.tree.blocks.some((b) => b.family !== family)) continue;
    out.push({ id: path.relative(base, file), text, family, analysis });
  }
  return out;
}

function lineOfRef(r: OracleResult): number | 'policy' | undefined {
  if (!r.ok || !r.decided_by) return undefined;
  return 'policy' in r.decided_by ? 'policy' : r.decided_by.line;
}

/** Does a rule of a table other than filter match the packet (NAT would rewrite it, say)? */
function touchedElsewhere(input: Input, engine: Engine, packet: TracePacket): boolean {
  const spaces = engine.spaces.get(input.family);
  if (!spaces) return false;
  const bits = assignment(spaces.space, spaces.interfaces, packet);
  for (const table of input.analysis.ruleset.tables) {
    if (table.table === 'filter') continue;
    for (const chain of table.chains.values())
      for (const rule of chain.rules) if (spaces.space.bdd.contains(matchSet(rule.syntax, { space: spaces.space, interfaces: spaces.interfaces, marksChange: true }).set, bits)) return true;
  }
  return false;
}

/** The oracle's packet: the witness, with conntrack state only when the ruleset tracks. */
function oraclePacket(p: TracePacket, tracks: boolean): OraclePacket {
  return (tracks ? { ...p } : { ...p, state: undefined }) as OraclePacket;
}

function checkWitnesses(input: Input, tally: Tally): void {
  const fates = input.analysis.findings.filter((f) => f.witness && f.witnessFate && f.witnessFate.table === 'filter');
  if (fates.length === 0) return;
  const engine = new Engine(input.analysis.ruleset);
  const tracks = engine.spaces.get(input.family)?.conntrack ?? false;
  const direct = fates.filter((f) => f.witnessFate!.without === undefined);
  const results = direct.length ? runOracle(input.text, direct.map((f) => oraclePacket(f.witness! as TracePacket, tracks)), { family: input.family }) : [];
  const judge = (f: (typeof fates)[number], r: OracleResult) => {
    const fate = f.witnessFate!;
    if (!r.ok || r.verdict === 'NOT_REACHED') {
      tally.skipped++;
      tally.misses.push(`${input.id}: ${f.code} witness could not be checked: ${r.ok ? 'not reached' : r.error}`);
      return;
    }
    tally.checked++;
    const line = lineOfRef(r);
    // A packet sent to lo is accepted in OUTPUT and then judged again in INPUT: a claim
    // about the OUTPUT chain is that its rule took it.
    const loopback = f.witness!.out === 'lo' && fate.outcome === 'ACCEPT';
    const ok = loopback
      ? r.matched.some((m) => m.line === fate.line)
      : r.verdict === fate.outcome && (fate.line === undefined ? line === 'policy' : line === fate.line);
    if (ok) tally.agreed++;
    else tally.misses.push(`${input.id}: ${f.code} says ${JSON.stringify(f.witness)} gets ${fate.outcome} by ${fate.line ?? 'the policy'}${fate.without ? ` without line ${fate.without}` : ''}; kernel: ${r.verdict} by ${line}`);
  };
  direct.forEach((f, i) => judge(f, results[i]));
  for (const f of fates.filter((x) => x.witnessFate!.without !== undefined)) {
    const lines = input.text.split('\n');
    lines[f.witnessFate!.without! - 1] = '';
    const [r] = runOracle(lines.join('\n'), [oraclePacket(f.witness! as TracePacket, tracks)], { family: input.family });
    // Without the rule, the deciding line is wherever the engine says; only the verdict is claimed.
    const fate = f.witnessFate!;
    if (!r.ok || r.verdict === 'NOT_REACHED') {
      tally.skipped++;
      continue;
    }
    tally.checked++;
    if (r.verdict === fate.outcome) tally.agreed++;
    else tally.misses.push(`${input.id}: ${f.code} says ${JSON.stringify(f.witness)} would get ${fate.outcome} without line ${fate.without}; kernel: ${r.verdict}`);
  }
}

function checkSamples(input: Input, perRule: number, tally: Tally, dead: Tally): void {
  const engine = new Engine(input.analysis.ruleset);
  const tracks = engine.spaces.get(input.family)?.conntrack ?? false;
  const tracer = new PacketTracer(input.analysis.ruleset, (rule) => input.analysis.tree.lines[rule.node].line + 1);
  const samples = samplePackets(input.analysis, perRule, 20261122).filter((s) => !touchedElsewhere(input, engine, s.packet as TracePacket));
  if (samples.length === 0) return;
  const results = runOracle(input.text, samples.map((s) => oraclePacket(s.packet as TracePacket, tracks)), { family: input.family });
  const deadLines = new Set(
    input.analysis.findings.filter((f) => f.code === 'IPT201' || f.code === 'IPT204' || f.code === 'IPT313' || (f.code === 'IPT311' && /never matches/.test(f.message))).map((f) => input.analysis.tree.index.lineOf(f.span.start) + 1),
  );
  samples.forEach((s, i) => {
    const r = results[i];
    if (!r.ok || r.verdict === 'NOT_REACHED') {
      tally.skipped++;
      return;
    }
    for (const m of r.matched) {
      if (m.table !== 'filter' || m.line === undefined || !deadLines.has(m.line)) continue;
      dead.misses.push(`${input.id}: line ${m.line} is reported unreachable, but the kernel matched ${JSON.stringify(s.packet)} on it`);
    }
    dead.checked++;
    const t = tracer.trace(s.packet as TracePacket, input.family);
    if (!t.certain) {
      tally.skipped++;
      return;
    }
    tally.checked++;
    const ourLine = 'policy' in t.decidedBy ? 'policy' : t.decidedBy.line;
    if (t.verdict === r.verdict && ourLine === lineOfRef(r)) tally.agreed++;
    else tally.misses.push(`${input.id}: ${JSON.stringify(s.packet)} (from line ${s.line}): engine ${t.verdict} by ${ourLine}, kernel ${r.verdict} by ${lineOfRef(r)}`);
  });
  dead.agreed = dead.checked - dead.misses.length;
}

function report(title: string, t: Tally): void {
  console.log(`    ${title}: ${t.agreed}/${t.checked} agree with the kernel${t.skipped ? ` (${t.skipped} not comparable: uncertain in the engine, or not injectable)` : ''}`);
  if (t.misses.length) console.log(`      ${t.misses.slice(0, 40).join('\n      ')}${t.misses.length > 40 ? `\n      ... ${t.misses.length - 40} more` : ''}`);
}

describe('engine against the kernel (packets injected in a network namespace)', function () {
  this.timeout(900000);
  const why = oracleUnavailable(['nft']);
  if (why) {
    it(`skipped: ${why}`);
    return;
  }
  const fixtureInputs = inputsFrom(listFiles(FIXTURES).filter((f) => /\.(rules|v4|v6)$/.test(f)), FIXTURES);
  const realWorld = corpusDir('real-world');
  const corpusInputs = realWorld ? inputsFrom(listFiles(realWorld).filter((f) => !NOT_A_RULESET.has(path.relative(realWorld, f))), realWorld) : [];

  for (const [title, inputs, perRule] of [
    ['fixtures', fixtureInputs, 3],
    ['real-world corpus', corpusInputs, 1],
  ] as const) {
    it(`${title}: witnesses, sampled packets and dead rules agree with the kernel (${inputs.length} rulesets)`, function () {
      if (inputs.length === 0) return this.skip();
      const witnesses: Tally = { checked: 0, agreed: 0, skipped: 0, misses: [] };
      const samples: Tally = { checked: 0, agreed: 0, skipped: 0, misses: [] };
      const dead: Tally = { checked: 0, agreed: 0, skipped: 0, misses: [] };
      const refused: string[] = [];
      for (const input of inputs) {
        try {
          checkWitnesses(input, witnesses);
          checkSamples(input, perRule, samples, dead);
        } catch (e) {
          // A ruleset this namespace cannot load as it is (an ipset the file refers to, say).
          if (!(e instanceof OracleError)) throw e;
          refused.push(`${input.id}: ${e.message.split('\n')[0].slice(0, 200)}`);
        }
      }
      if (refused.length) console.log(`    rulesets the oracle could not load here (${refused.length}):\n      ${refused.join('\n      ')}`);
      report('witness packets', witnesses);
      report('sampled packets (verdict and deciding rule)', samples);
      report('packets against rules reported unreachable', dead);
      assert.deepStrictEqual(witnesses.misses.filter((m) => !m.includes('could not be checked')), []);
      assert.deepStrictEqual(samples.misses, []);
      assert.deepStrictEqual(dead.misses, []);
    });
  }
});

#!/usr/bin/env node
// Benchmark: parse time, full analysis time, re-analysis after a one-line edit, and peak
// memory, on the corpus's largest ruleset (when ../shared/corpus is present) and on
// generated rulesets of 1,000 / 5,000 / 20,000 / 50,000 rules (scripts/gen-ruleset.mjs).
// Each input runs in a fresh process so that peak memory is its own. Times are the median
// of warm runs (the language server is a long-lived process) and the first, cold run.
//
//   npm run bench            (builds out/ first)
//   node scripts/bench.mjs --json

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ANALYSIS = path.join(ROOT, 'out', 'server', 'src', 'analysis.js');

if (process.argv[2] === '--one') {
  measureOne(process.argv[3]);
} else {
  main();
}

function main() {
  if (!fs.existsSync(ANALYSIS)) {
    console.error('out/ is missing: run `npm run compile-tests` (npm run bench does it)');
    process.exit(2);
  }
  const inputs = [];
  const largest = path.resolve(ROOT, '..', 'shared', 'corpus', 'real-world', 'configs_chair_for_Network_Architectures_and_Services', 'iptables-save-2016-06-27_16-29-01');
  if (fs.existsSync(largest)) {
    // The corpus anonymised MAC addresses as XX:XX:..., which iptables refuses; replace
    // them with real ones so the whole file is analysed, as a user's own file would be.
    let n = 0;
    const text = fs.readFileSync(largest, 'utf8').replace(/XX:XX:XX:XX:XX:XX/g, () => `02:00:00:00:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n++ & 255).toString(16).padStart(2, '0')}`);
    inputs.push({ name: 'corpus: largest ruleset (5,556 rules, 91 chains)', text });
  } else console.log('(../shared/corpus is absent: the real-world ruleset is skipped)');
  for (const size of [1000, 5000, 20000, 50000]) {
    const text = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-ruleset.mjs'), String(size)], { encoding: 'utf8', maxBuffer: 256 << 20 });
    inputs.push({ name: `generated: ${size.toLocaleString('en')} rules`, text });
  }
  const rows = [];
  for (const input of inputs) {
    const file = path.join(os.tmpdir(), `iptables-lint-bench-${process.pid}.rules`);
    fs.writeFileSync(file, input.text);
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--one', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    fs.rmSync(file);
    rows.push({ input: input.name, ...JSON.parse(out) });
  }
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`);
  console.log('| input | rules | parse (warm) | full lint (warm / cold) | after a one-line edit | peak memory | findings |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(`| ${r.input} | ${r.rules} | ${fmt(r.parseMs)} | ${fmt(r.fullMs)} / ${fmt(r.coldMs)} | ${fmt(r.editMs)} | ${r.peakMB.toFixed(0)} MB | ${r.findings} |`);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measureOne(file) {
  const { analyse } = await import(ANALYSIS);
  const text = fs.readFileSync(file, 'utf8');
  const time = (fn) => {
    const t = process.hrtime.bigint();
    const r = fn();
    return [Number(process.hrtime.bigint() - t) / 1e6, r];
  };
  const [coldMs, first] = time(() => analyse(text));
  const runs = text.length > 3_000_000 ? 2 : 4;
  const parse = [];
  const full = [];
  for (let i = 0; i < runs; i++) {
    parse.push(time(() => analyse(text, { semantics: false }))[0]);
    full.push(time(() => analyse(text))[0]);
  }
  // A one-line edit in the middle of the file: a port changes in a rule with a port.
  const lines = text.split('\n');
  let at = Math.floor(lines.length / 2);
  while (at < lines.length && !/--dports? \d+/.test(lines[at])) at++;
  if (at < lines.length) lines[at] = lines[at].replace(/(--dports? )(\d+)/, (_, p, n) => `${p}${Number(n) === 1 ? 2 : Number(n) - 1}`);
  const edited = lines.join('\n');
  const [editMs] = time(() => analyse(edited));
  const rules = first.tree.lines.filter((l) => l.kind === 'rule').length;
  const peakMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ rules, coldMs, parseMs: median(parse), fullMs: median(full), editMs, peakMB, findings: first.findings.length }));
}

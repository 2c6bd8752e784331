// The hygiene and style checks (IPT311-314, IPT501-502): each fix applied with applyEdits and
// the result analysed again (the finding is gone, nothing new appears, no packet changes
// fate when the fix promises none), and the fixed files loaded into the real kernel.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyse, Finding } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { applyEdits } from '../../src/checks/edits';
import { Fix } from '../../src/checks/types';
import { rulesetDifference } from '../../src/semantics/difference';
import { kernelUnavailable, loadAll } from '../support/kernel';
import { OraclePacket, oracleUnavailable, runOracle } from '../support/oracle';
import { FIXTURES } from '../support/paths';

const MINE = ['IPT311', 'IPT312', 'IPT313', 'IPT314', 'IPT501', 'IPT502'];

/** A finding without line numbers (they move when a fix deletes or inserts a line). */
function signature(f: Finding): string {
  return `${f.code} ${f.message.replace(/\blines? \d+(, \d+)*/g, 'line N')}`;
}

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, 'checks', name), 'utf8');
}

/** Texts the kernel must load, checked at the end in one pass (one namespace per backend). */
const toLoad: Array<{ name: string; text: string; family: Family }> = [];

interface Applied {
  readonly text: string;
  readonly after: Finding[];
}

/**
 * Applies one fix of the finding and checks the result: one fewer finding of its code,
 * no finding that was not there before (line numbers aside), and, for a fix that promises
 * no change, the same fate for every packet.
 */
function applyAndCheck(text: string, finding: Finding, fix: Fix, family: Family = 'ipv4'): Applied {
  const before = analyse(text, { family });
  const fixed = applyEdits(text, fix.edits);
  const after = analyse(fixed, { family });
  const count = (fs: readonly Finding[]) => fs.filter((f) => f.code === finding.code).length;
  assert.strictEqual(count(after.findings), count(before.findings) - 1, `${finding.code} is still reported after "${fix.title}":\n${fixed}`);
  const old = new Set(before.findings.map(signature));
  const added = after.findings.filter((f) => !old.has(signature(f)));
  assert.deepStrictEqual(added.map(signature), [], `"${fix.title}" made new findings appear`);
  if (fix.effect.kind === 'none') {
    const diff = rulesetDifference(before.ruleset, after.ruleset);
    assert.deepStrictEqual(diff.unanalysed, []);
    assert.deepStrictEqual(
      diff.changedChains().map((d) => `${d.table}/${d.chain} ${JSON.stringify(diff.witnessOf(d))}`),
      [],
      `"${fix.title}" promises no change of fate`,
    );
  }
  toLoad.push({ name: `${finding.code} ${fix.title}`, text: fixed, family });
  return { text: fixed, after: after.findings };
}

function findings(text: string, code: string, family: Family = 'ipv4'): Finding[] {
  return analyse(text, { family }).findings.filter((f) => f.code === code);
}

function lineOf(text: string, f: Finding): string {
  const start = text.lastIndexOf('\n', f.span.start - 1) + 1;
  const end = text.indexOf('\n', f.span.start);
  return text.slice(start, end === -1 ? undefined : end);
}

const HEAD = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n';

describe('IPT311 duplicate-rule', function () {
  const text = fixture('IPT311-duplicate-rule/copies.rules');

  it('deletes each copy: safe when the copy provably changes nothing, unsafe with state or another comment', function () {
    const found = findings(text, 'IPT311');
    assert.strictEqual(found.length, 7);
    const safety = found.map((f) => `${lineOf(text, f).replace(/^-A (\S+).*-j (\S+).*$/, '$1 $2')}: ${f.fixes[0].safety}`);
    assert.deepStrictEqual(safety, [
      'PREROUTING CT: safe',
      'POSTROUTING MASQUERADE: safe',
      'INPUT ACCEPT: safe',
      'INPUT WEB: safe',
      'INPUT ACCEPT: unsafe', // the comments differ
      'INPUT ACCEPT: unsafe', // -m limit
      'INPUT LOG: safe',
    ]);
    for (const f of found) {
      assert.strictEqual(f.fixes.length, 1);
      assert.strictEqual(f.fixes[0].effect.kind, 'none');
      const { text: fixed } = applyAndCheck(text, f, f.fixes[0]);
      assert.ok(!fixed.includes(lineOf(text, f) + '\n' + lineOf(text, f)), 'one copy is left');
    }
  });

  it('is the only finding on a copy that IPT201 (unreachable) or IPT203 (redundant) would report', function () {
    const t = `${HEAD}-A INPUT -p tcp --dport 23 -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 23 -j DROP\nCOMMIT\n`;
    const all = analyse(t).findings.filter((f) => ['IPT201', 'IPT203', 'IPT204', 'IPT311'].includes(f.code));
    const copy = t.indexOf('-A INPUT -p tcp -m tcp --dport 23');
    assert.deepStrictEqual(
      all.filter((f) => f.span.start === copy).map((f) => f.code),
      ['IPT311'],
    );
    // The first copy is not called redundant because of its own copy (the policy drops telnet too,
    // so IPT203 may speak once the copy is gone).
    const first = t.indexOf('-A INPUT -p tcp --dport 23');
    assert.deepStrictEqual(all.filter((f) => f.span.start === first).map((f) => f.code), []);
  });

  it('leaves a dead LOG copy to IPT311 and a dead jump copy too (not IPT313, IPT205)', function () {
    const t = `${HEAD}:CHK - [0:0]\n-A INPUT -p tcp -j DROP\n-A INPUT -p tcp -j CHK\n-A INPUT -p tcp -j CHK\n-A INPUT -p tcp -m limit --limit 1/s -j LOG\n-A INPUT -p tcp -m limit --limit 1/s -j LOG\n-A CHK -j RETURN\nCOMMIT\n`;
    const codes = analyse(t).findings.filter((f) => MINE.includes(f.code) || /^IPT20[15]$/.test(f.code)).map((f) => `${lineOf(t, f)}: ${f.code}`);
    assert.deepStrictEqual(codes, [
      '-A INPUT -p tcp -j CHK: IPT205',
      '-A INPUT -p tcp -j CHK: IPT311',
      '-A INPUT -p tcp -m limit --limit 1/s -j LOG: IPT313',
      '-A INPUT -p tcp -m limit --limit 1/s -j LOG: IPT311',
    ]);
  });

  it('compares the canonical form: implicit -m tcp, address masks, option spellings, counters', function () {
    const t = `${HEAD}[5:300] -A INPUT -s 192.0.2.1 -p tcp --dport 22 -j ACCEPT\n[0:0] -A INPUT --source 192.0.2.1/32 --protocol tcp --match tcp --destination-port 22 --jump ACCEPT\nCOMMIT\n`;
    assert.strictEqual(findings(t, 'IPT311').length, 1);
  });
});

describe('IPT312 log-flood', function () {
  const text = fixture('IPT312-log-flood/log-before-drop.rules');

  it('adds a rate limit before -j LOG: the finding goes, no verdict changes, the rule reads as written', function () {
    const found = findings(text, 'IPT312');
    assert.strictEqual(found.length, 2);
    for (const f of found) {
      const [fix] = f.fixes;
      assert.strictEqual(fix.safety, 'safe');
      assert.deepStrictEqual(fix.effect, { kind: 'none' });
      const { text: fixed } = applyAndCheck(text, f, fix);
      assert.ok(/-m limit --limit 5\/min --limit-burst 10 -j (LOG|NFLOG)/.test(fixed), fixed);
    }
    assert.ok(found[0].witnessFate && found[0].witnessFate.outcome === 'DROP');
  });

  it('writes --match in a file of long options', function () {
    const t = '*filter\n:INPUT DROP [0:0]\n--append INPUT --in-interface lo --jump ACCEPT\n--append INPUT --jump LOG --log-prefix "in: "\nCOMMIT\n';
    const [f] = findings(t, 'IPT312');
    const { text: fixed } = applyAndCheck(t, f, f.fixes[0]);
    assert.ok(fixed.includes('--append INPUT --match limit --limit 5/min --limit-burst 10 --jump LOG --log-prefix "in: "'), fixed);
  });

  it('does not report a LOG that only few sources can trigger, or one behind a limited jump', function () {
    assert.deepStrictEqual(findings(fixture('IPT312-log-flood/clean-limited-or-narrow.rules'), 'IPT312'), []);
    const t = `${HEAD}-A INPUT -s 10.0.0.0/8 -j LOG\n-A INPUT -s 10.0.0.0/8 -j DROP\nCOMMIT\n`;
    assert.deepStrictEqual(findings(t, 'IPT312'), []);
  });

  it('reports IPv6 too', function () {
    const t = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\n-A INPUT -j LOG\nCOMMIT\n';
    const [f] = findings(t, 'IPT312', 'ipv6');
    assert.ok(f, 'reported');
    applyAndCheck(t, f, f.fixes[0], 'ipv6');
  });
});

describe('IPT313 unreachable-log', function () {
  const text = fixture('IPT313-unreachable-log/log-after-drop.rules');

  it('deletes the LOG, or moves it above the DROP that takes its packets; both change no verdict', function () {
    const found = findings(text, 'IPT313');
    assert.strictEqual(found.length, 2);
    const [telnet, nflog] = found;
    assert.deepStrictEqual(
      telnet.fixes.map((f) => [f.title, f.safety, !!f.preferred]),
      [
        ['Delete the LOG rule', 'safe', true],
        ['Move the LOG rule above line 9, to log what it drops', 'safe', false],
      ],
    );
    applyAndCheck(text, telnet, telnet.fixes[0]);
    const { text: moved } = applyAndCheck(text, telnet, telnet.fixes[1]);
    assert.ok(moved.includes('-A INPUT -p tcp -m tcp --dport 23 -m limit --limit 5/min -j LOG --log-prefix "telnet: "\n-A INPUT -p tcp -m tcp --dport 23 -j DROP\n'), moved);
    assert.deepStrictEqual(nflog.fixes.map((f) => f.title), ['Delete the NFLOG rule']);
    applyAndCheck(text, nflog, nflog.fixes[0]);
  });

  it('takes LOG rules from IPT201, which reports other dead rules as before', function () {
    const codes = analyse(text).findings.filter((f) => f.code === 'IPT201' || f.code === 'IPT313').map((f) => f.code);
    assert.deepStrictEqual(codes, ['IPT313', 'IPT313']);
  });
});

describe('IPT314 inverted-rate-limit', function () {
  const text = fixture('IPT314-inverted-rate-limit/backwards.rules');

  it('reports a DROP within the rate that later rules accept, and an ACCEPT above the rate that the policy drops', function () {
    const found = findings(text, 'IPT314');
    assert.deepStrictEqual(
      found.map((f) => lineOf(text, f).replace(/ -m (limit|hashlimit).*$/, '')),
      ['-A INPUT -p icmp -m icmp --icmp-type 8', '-A INPUT -p tcp -m tcp --dport 22'],
    );
    assert.ok(found.every((f) => f.witness && f.fixes.length === 0));
    assert.deepStrictEqual(findings(fixture('IPT314-inverted-rate-limit/clean-rate-limits.rules'), 'IPT314'), []);
  });

  it('does not report when another unmodelled match, or a rule it cannot follow, decides', function () {
    const t = `${HEAD}-A INPUT -p icmp -m limit --limit 1/s -m recent --rcheck --name x -j DROP\n-A INPUT -p icmp -j ACCEPT\n-A INPUT -p udp -m limit --limit 1/s -j DROP\n-A INPUT -p udp -m recent --rcheck --name y -j ACCEPT\nCOMMIT\n`;
    assert.deepStrictEqual(findings(t, 'IPT314'), []);
  });

  it("its witnesses, sent once (well under the rate), are blocked in the kernel as the message says", function () {
    const why = oracleUnavailable(['nft']);
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    const found = findings(text, 'IPT314');
    const results = runOracle(text, found.map((f) => f.witness as unknown as OraclePacket), { family: 'ipv4' });
    const decided = results.map((r) => (r.ok ? `${r.verdict} ${r.decided_by && 'line' in r.decided_by ? `line ${r.decided_by.line}` : 'policy'}` : r.error));
    // The DROP within the rate takes the first ping itself; the SSH SYN under the rate falls to the policy.
    assert.deepStrictEqual(decided, [`DROP line ${text.slice(0, found[0].span.start).split('\n').length}`, 'DROP policy']);
  });
});

describe('IPT501 deprecated-state', function () {
  const text = fixture('IPT501-deprecated-state/state-match.rules');

  it('rewrites -m state --state as -m conntrack --ctstate, negation and long options kept', function () {
    const found = findings(text, 'IPT501');
    assert.strictEqual(found.length, 3);
    const lines: string[] = [];
    for (const f of found) {
      assert.strictEqual(f.severity, 'hint');
      assert.deepStrictEqual(f.tags, ['deprecated']);
      const { text: fixed } = applyAndCheck(text, f, f.fixes[0]);
      lines.push(fixed.split('\n')[text.slice(0, f.span.start).split('\n').length - 1]);
    }
    assert.deepStrictEqual(lines, [
      '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A INPUT -m conntrack ! --ctstate NEW,INVALID -p tcp -m tcp --dport 873 -j ACCEPT',
      '-A INPUT -p tcp -m tcp --dport 22 --match conntrack --ctstate NEW -j ACCEPT',
    ]);
  });

  it('reports a rule once, with one fix for all its state matches; lowercase and abbreviated states load either way', function () {
    const t = `${HEAD}-A INPUT -m state --state est,rel -m state ! --state INVALID -j ACCEPT\nCOMMIT\n`;
    const found = findings(t, 'IPT501');
    assert.strictEqual(found.length, 1);
    const { text: fixed } = applyAndCheck(t, found[0], found[0].fixes[0]);
    assert.ok(fixed.includes('-A INPUT -m conntrack --ctstate est,rel -m conntrack ! --ctstate INVALID -j ACCEPT'), fixed);
  });
});

describe('IPT502 deprecated-target', function () {
  it('rewrites -j NOTRACK as -j CT --notrack (IPv4 and IPv6)', function () {
    const text = fixture('IPT502-deprecated-target/notrack.rules');
    for (const family of ['ipv4', 'ipv6'] as const) {
      const found = findings(text, 'IPT502', family);
      assert.strictEqual(found.length, 2);
      let fixed = text;
      for (const f of found) fixed = applyAndCheck(text, f, f.fixes[0], family).text;
      assert.ok(fixed.includes('--sport 53 --jump CT --notrack'), fixed);
    }
  });

  it('leaves ULOG and CLUSTERIP to IPT141 (removed-extension): the kernel refuses them', function () {
    const t = `${HEAD}-A INPUT -j ULOG --ulog-prefix "in: "\n-A INPUT -d 10.0.0.1 -i eth0 -j CLUSTERIP --new --hashmode sourceip --clustermac 01:00:5E:00:00:20 --total-nodes 2 --local-node 1\nCOMMIT\n`;
    const codes = analyse(t).findings.map((f) => f.code);
    assert.deepStrictEqual(codes.filter((c) => c === 'IPT141').length, 2);
    assert.ok(!codes.includes('IPT502'));
  });
});

describe('fixed files in the kernel', function () {
  it('every fixed file above loads with both backends', function () {
    const why = kernelUnavailable();
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-hygiene-'));
    try {
      const files = toLoad.map((t, i) => {
        const p = path.join(dir, `${i}.rules`);
        fs.writeFileSync(p, t.text);
        return { path: p, family: t.family, name: t.name };
      });
      const results = loadAll(files);
      const refused = files.flatMap((f) => (results.get(f.path) ?? []).filter((v) => v.refused).map((v) => `${f.name} (${v.backend}): ${v.message}`));
      assert.ok(files.length > 20, `only ${files.length} fixed files`);
      assert.deepStrictEqual(refused, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

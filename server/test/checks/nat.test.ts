// The NAT checks (IPT401 dnat-not-forwarded, IPT402 snat-not-forwarded, IPT404
// container-bypass) and IPT310 managed-chain: findings, witnesses checked in the real kernel
// (packets injected in a throwaway namespace), and fixes applied, re-analysed, held to
// their promised effect and loaded with `unshare -n iptables-restore`.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { analyse, Analysis, Finding } from '../../src/analysis';
import { applyEdits } from '../../src/checks/edits';
import { Fix } from '../../src/checks/types';
import { FALSE, Node } from '../../src/semantics/bdd';
import { Engine, OUTCOMES } from '../../src/semantics/engine';
import { kernelUnavailable } from '../support/kernel';
import { OraclePacket, oracleUnavailable, runOracle } from '../support/oracle';
import { FIXTURES } from '../support/paths';

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, 'checks', name), 'utf8');
}

function only(a: Analysis, code: string): Finding[] {
  return a.findings.filter((f) => f.code === code);
}

function lineOf(a: Analysis, f: Finding): number {
  return a.tree.index.lineOf(f.span.start) + 1;
}

/** Codes and how often each occurs. */
function codeCounts(a: Analysis): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of a.findings) m.set(f.code, (m.get(f.code) ?? 0) + 1);
  return m;
}

/**
 * The fix's effect holds: the packets whose fate changes in the promised chains lie inside
 * the promised match words, and there are some.
 */
function assertEffect(before: Analysis, after: Analysis, fix: Fix): void {
  const effect = fix.effect;
  assert.strictEqual(effect.kind, 'only');
  if (effect.kind !== 'only') return;
  const engine = new Engine(before.ruleset, { also: [after.ruleset] });
  const family = before.ruleset.tables[0].family;
  const pick = (a: Analysis) => a.ruleset.tables.filter((t) => t.table === effect.table && t.family === family).pop()!;
  const factsBefore = engine.analyseTable(pick(before));
  const factsAfter = engine.analyseTable(pick(after));
  const { bdd } = factsBefore.space;
  let changed: Node = FALSE;
  for (const hook of ['INPUT', 'FORWARD', 'OUTPUT']) {
    const b = factsBefore.chains.get(hook)!.outcomes();
    const a = factsAfter.chains.get(hook)!.outcomes();
    let here: Node = FALSE;
    for (const o of OUTCOMES) here = bdd.orAll([here, bdd.xor(b.may[o], a.may[o]), bdd.xor(b.must[o], a.must[o])]);
    if (!effect.chains.includes(hook)) assert.strictEqual(here, FALSE, `${hook} changed although the fix promises only ${effect.chains.join(', ')}`);
    changed = bdd.or(changed, here);
  }
  assert.notStrictEqual(changed, FALSE, 'the fix changes nothing');
  assert.ok(bdd.subset(changed, engine.matchWords(family, effect.table as 'filter', effect.match).set), `the fix changes packets outside '${effect.match.join(' ')}'`);
}

/** Applies the finding's preferred fix and checks the result: finding gone, nothing new, effect kept, loads in the kernel. */
function applyAndCheck(text: string, code: string): { after: string; fix: Fix } {
  const before = analyse(text);
  const [finding] = only(before, code);
  assert.ok(finding, `no ${code} finding`);
  const fix = finding.fixes.find((f) => f.preferred) ?? finding.fixes[0];
  assert.ok(fix, `${code} has no fix`);
  assert.strictEqual(fix.safety, 'unsafe');
  const after = applyEdits(text, fix.edits);
  const reanalysed = analyse(after);
  assert.deepStrictEqual(only(reanalysed, code), [], `${code} still reported after the fix:\n${after}`);
  const was = codeCounts(before);
  // A style hint the file already has may repeat on the new line (it uses `-m state`, and
  // so does the fix); any other new finding is a regression.
  for (const [c, n] of codeCounts(reanalysed)) {
    const style = /^IPT5/.test(c) && was.has(c);
    assert.ok(style || n <= (was.get(c) ?? 0) - (c === code ? 1 : 0), `the fix brings a new ${c}: ${reanalysed.findings.filter((f) => f.code === c).map((f) => f.message).join(' | ')}`);
  }
  assertEffect(before, reanalysed, fix);
  const why = kernelUnavailable();
  if (!why) {
    const load = spawnSync('unshare', ['-n', 'iptables-restore'], { input: after, encoding: 'utf8' });
    assert.strictEqual(load.status, 0, `the fixed file does not load: ${load.stderr}`);
  }
  return { after, fix };
}

const noOracle = oracleUnavailable(['nft']);

describe('NAT checks', function () {
  this.timeout(120000);

  describe('IPT401 dnat-not-forwarded', function () {
    const text = fixture('IPT401-dnat-not-forwarded/port-forward-dropped.rules');

    it('reports the DNAT whose translated connections FORWARD drops, with the original packet as witness', function () {
      const a = analyse(text);
      const [f] = only(a, 'IPT401');
      assert.strictEqual(lineOf(a, f), 8);
      assert.match(f.message, /192\.168\.1\.10:80/);
      assert.deepStrictEqual({ in: f.witness?.in, dst: f.witness?.dst, dport: f.witness?.dport }, { in: 'eth0', dst: '192.0.2.10', dport: 8080 });
      assert.ok(f.witness?.out && f.witness.out !== 'eth0');
      assert.deepStrictEqual(f.witnessFate, { table: 'filter', outcome: 'DROP' });
      // The DNAT to port 443 is accepted in FORWARD.
      assert.strictEqual(only(a, 'IPT401').length, 1);
    });

    it('fix: a FORWARD accept for the translated destination, after the RELATED,ESTABLISHED rule', function () {
      const { after, fix } = applyAndCheck(text, 'IPT401');
      assert.match(after, /-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -i eth0 -d 192\.168\.1\.10 -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT\n/);
      assert.deepStrictEqual(fix.effect, { kind: 'only', table: 'filter', chains: ['FORWARD'], match: ['-i', 'eth0', '-d', '192.168.1.10', '-p', 'tcp', '--dport', '80', '-m', 'conntrack', '--ctstate', 'NEW'] });
    });

    it('the kernel DNATs the witness and drops it in FORWARD; after the fix it forwards it', function () {
      if (noOracle) return this.skip();
      const [f] = only(analyse(text), 'IPT401');
      const [before] = runOracle(text, [f.witness as OraclePacket]);
      assert.ok(before.ok && before.verdict === 'DROP' && before.decided_by && 'policy' in before.decided_by, JSON.stringify(before));
      assert.ok(before.ok && before.matched.some((m) => m.table === 'nat' && m.line === 8), JSON.stringify(before));
      const { after } = applyAndCheck(text, 'IPT401');
      const [fixed] = runOracle(after, [f.witness as OraclePacket]);
      assert.ok(fixed.ok && fixed.verdict === 'ACCEPT', JSON.stringify(fixed));
      assert.ok(fixed.ok && fixed.emitted?.some((e) => e.dst === '192.168.1.10' && e.dport === 80), JSON.stringify(fixed));
    });

    it('without an interface on the DNAT, judges each arriving interface on its own (the LAN may use the public address)', function () {
      const a = analyse(fixture('IPT401-dnat-not-forwarded/rejected-in-user-chain.rules'));
      const [f] = only(a, 'IPT401');
      assert.match(f.message, /^FORWARD blocks new connections/);
      assert.strictEqual(f.witness?.in, 'eth0');
      assert.match(f.message, /rejected by line 22/);
      // A port range in the translation: which port the kernel picks is not known, so no claim for the kernel tests.
      assert.strictEqual(f.witnessFate, undefined);
    });

    it("through Docker's addrtype jump: reported for connections to this host's own addresses, without a kernel claim", function () {
      const t = `*nat
:PREROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
COMMIT
*filter
:FORWARD DROP [0:0]
:DOCKER - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -o docker0 -j DOCKER
-A DOCKER-USER -i eth0 -j DROP
-A DOCKER-USER -j RETURN
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
COMMIT
`;
      const a = analyse(t);
      const [f] = only(a, 'IPT401');
      assert.ok(f, 'no finding');
      assert.match(f.message, /, addressed to this host, becomes/);
      assert.strictEqual(f.witnessFate, undefined);
    });

    it('stays quiet on the near misses', function () {
      for (const name of ['clean-forward-accepts', 'clean-forward-policy-accept', 'clean-redirect', 'clean-dnat-to-this-host', 'clean-unknown-address', 'clean-source-restricted', 'clean-uncertain-accept', 'clean-marked-in-mangle'])
        assert.deepStrictEqual(only(analyse(fixture(`IPT401-dnat-not-forwarded/${name}.rules`)), 'IPT401'), [], name);
    });
  });

  describe('IPT402 snat-not-forwarded', function () {
    const text = fixture('IPT402-snat-not-forwarded/lan-cut-off.rules');

    it('reports the MASQUERADE of a network FORWARD never lets out', function () {
      const a = analyse(text);
      const [f] = only(a, 'IPT402');
      assert.strictEqual(lineOf(a, f), 8);
      assert.deepStrictEqual({ in: f.witness?.in, out: f.witness?.out }, { in: 'eth1', out: 'eth0' });
      assert.deepStrictEqual(f.witnessFate, { table: 'filter', outcome: 'DROP' });
    });

    it('fix: a FORWARD accept for the network out of the interface, in the file\'s state syntax', function () {
      const { after } = applyAndCheck(text, 'IPT402');
      assert.match(after, /-A FORWARD -s 192\.168\.1\.0\/24 -o eth0 -m conntrack --ctstate NEW -j ACCEPT\n/);
      const other = applyAndCheck(fixture('IPT402-snat-not-forwarded/snat-wrong-interface.rules'), 'IPT402');
      assert.match(other.after, /-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -s 10\.20\.0\.0\/16 -o ppp0 -m state --state NEW -j ACCEPT\n/);
    });

    it('the kernel drops the witness in FORWARD; after the fix it leaves masqueraded', function () {
      if (noOracle) return this.skip();
      const [f] = only(analyse(text), 'IPT402');
      const [before] = runOracle(text, [f.witness as OraclePacket]);
      assert.ok(before.ok && before.verdict === 'DROP', JSON.stringify(before));
      const { after } = applyAndCheck(text, 'IPT402');
      const [fixed] = runOracle(after, [f.witness as OraclePacket]);
      assert.ok(fixed.ok && fixed.verdict === 'ACCEPT' && fixed.matched.some((m) => m.table === 'nat' && m.chain === 'POSTROUTING'), JSON.stringify(fixed));
    });

    it('stays quiet on the near misses', function () {
      for (const name of ['clean-lan-forwarded', 'clean-some-destinations', 'clean-uncertain', 'clean-no-source'])
        assert.deepStrictEqual(only(analyse(fixture(`IPT402-snat-not-forwarded/${name}.rules`)), 'IPT402'), [], name);
    });
  });

  describe('IPT404 container-bypass', function () {
    const text = fixture('IPT404-container-bypass/docker-port-dropped.rules');

    it('reports the INPUT rule for a port Docker publishes, pointing at the DNAT', function () {
      const a = analyse(text);
      const [f] = only(a, 'IPT404');
      assert.strictEqual(lineOf(a, f), 24);
      assert.deepStrictEqual(f.related.map((r) => a.tree.index.lineOf(r.span.start) + 1), [14]);
      assert.strictEqual(f.witness?.dport, 8080);
      assert.strictEqual(f.fixes.length, 0);
    });

    it('the kernel DNATs the witness to the container before INPUT', function () {
      if (noOracle) return this.skip();
      const [f] = only(analyse(text), 'IPT404');
      const [r] = runOracle(text, [f.witness as OraclePacket]);
      assert.ok(r.ok, JSON.stringify(r));
      if (!r.ok) return;
      assert.ok(r.matched.some((m) => m.table === 'nat' && m.line === 14), JSON.stringify(r));
      assert.ok(!r.path.includes('filter/INPUT'), JSON.stringify(r));
    });

    it('stays quiet on the near misses', function () {
      for (const name of ['clean-other-port', 'clean-docker0-side', 'clean-redirect', 'clean-uncertain-dnat'])
        assert.deepStrictEqual(only(analyse(fixture(`IPT404-container-bypass/${name}.rules`)), 'IPT404'), [], name);
    });
  });
});

describe('IPT310 managed-chain', function () {
  it('reports once per file, on the first managed chain, with a few others as related information', function () {
    const a = analyse(fixture('IPT310-managed-chain/docker-and-fail2ban.rules'));
    const found = only(a, 'IPT310');
    assert.strictEqual(found.length, 1);
    assert.match(found[0].message, /DOCKER-USER/);
    assert.match(found[0].message, /fail2ban/);
    assert.deepStrictEqual(
      found[0].related.map((r) => r.message),
      ['f2b-sshd: managed by fail2ban', 'DOCKER-ISOLATION-STAGE-1: managed by Docker'],
    );
    assert.strictEqual(found[0].fixes.length, 0);
  });

  it('does not take look-alike chains for a tool\'s', function () {
    assert.deepStrictEqual(only(analyse(fixture('IPT310-managed-chain/clean-own-chains.rules')), 'IPT310'), []);
  });
});

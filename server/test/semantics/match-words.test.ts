// Engine.matchWords: the packets a list of iptables match words selects, in the engine's
// packet space, for checks and fixes that talk about "the packets of -i lo".

import * as assert from 'assert';
import { buildRuleset } from '../../src/model/ruleset';
import { Engine } from '../../src/semantics/engine';
import { parseDump } from '../../src/syntax/dump';

describe('match words as packet sets', function () {
  const ruleset = buildRuleset(parseDump('*filter\n:INPUT DROP [0:0]\n-A INPUT -i eth0 -p tcp --dport 22 -j ACCEPT\nCOMMIT\n'));
  const engine = new Engine(ruleset, { interfaces: [{ name: 'docker0', wildcard: false }] });
  const { bdd } = engine.spaces.get('ipv4')!.space;

  it('selects the same packets as the same words in a rule', function () {
    const rule = ruleset.tables[0].chains.get('INPUT')!.rules[0];
    const facts = engine.analyseTable(ruleset.tables[0]);
    const inRule = facts.chains.get('INPUT')!.rules.find((r) => r.rule === rule)!.match.set;
    assert.strictEqual(engine.matchWords('ipv4', 'filter', ['-i', 'eth0', '-p', 'tcp', '--dport', '22']).set, inRule);
  });

  it('tells interfaces apart that the ruleset never names, when the engine was told of them', function () {
    const lo = engine.matchWords('ipv4', 'filter', ['-i', 'lo']).set;
    const docker = engine.matchWords('ipv4', 'filter', ['-i', 'docker0']).set;
    const eth = engine.matchWords('ipv4', 'filter', ['-i', 'eth0']).set;
    assert.ok(!bdd.intersects(lo, docker) && !bdd.intersects(docker, eth) && !bdd.intersects(lo, eth));
  });

  it('says which words it could not read', function () {
    assert.throws(() => engine.matchWords('ipv4', 'filter', ['--dport', '22']), /not a valid match/);
  });

  it('marks words it does not model as uncertain', function () {
    assert.strictEqual(engine.matchWords('ipv4', 'filter', ['-m', 'recent', '--rcheck']).certain, false);
  });
});

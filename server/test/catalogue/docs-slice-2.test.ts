// Hover documentation of the stateful, host and special-purpose match modules (docs slice 2):
// every module and option carries its own text, each module shows an example, and the
// examples themselves are rules the linter accepts.
import * as assert from 'assert';
import { analyse } from '../../src/analysis';
import { allMatches, MatchModule } from '../../src/catalogue';

const SLICE = [
  'conntrack', 'state', 'connmark', 'mark', 'connbytes', 'connlabel', 'connlimit', 'limit', 'hashlimit',
  'recent', 'quota', 'statistic', 'time', 'string', 'u32', 'owner', 'addrtype', 'pkttype', 'mac',
  'iprange', 'physdev', 'policy', 'set', 'socket', 'cgroup', 'cpu', 'devgroup', 'realm', 'rpfilter',
  'cluster', 'bpf', 'nfacct', 'osf', 'rateest', 'helper', 'ipvs',
];

function modules(): MatchModule[] {
  return SLICE.flatMap((name) => {
    const found = allMatches().filter((m) => m.name === name);
    assert.ok(found.length > 0, `match module ${name} is not in the catalogue`);
    return found;
  });
}

const words = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;
const EXAMPLE = /```iptables\n([\s\S]+?)\n```/;

describe('catalogue: hover docs of the match modules (slice 2)', function () {
  it('documents every module of the slice, with an example rule', function () {
    for (const m of modules()) {
      assert.ok(m.doc && m.doc.trim() !== '', `${m.name} has no doc`);
      assert.match(m.doc, EXAMPLE, `${m.name}: the doc has no \`\`\`iptables example`);
      const n = words(m.doc);
      assert.ok(n >= 60 && n <= 200, `${m.name}: the doc has ${n} words (60 to 200 expected)`);
    }
  });

  it('documents every option of the slice', function () {
    for (const m of modules()) {
      for (const o of m.options) {
        assert.ok(o.doc && o.doc.trim() !== '', `${m.name} ${o.names[0]} has no doc`);
        assert.ok(!o.doc.includes('\n'), `${m.name} ${o.names[0]}: an option doc is one short paragraph`);
      }
    }
  });

  it('does not repeat the summary as documentation', function () {
    const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    for (const m of modules()) {
      const summary = norm(m.summary);
      assert.notStrictEqual(norm(m.doc ?? ''), summary, `${m.name}: the doc is the summary`);
      assert.ok(!norm(m.doc ?? '').startsWith(summary), `${m.name}: the doc starts with the summary`);
      for (const o of m.options) assert.notStrictEqual(norm(o.doc ?? ''), summary, `${m.name} ${o.names[0]}: the doc is the module summary`);
    }
  });

  it('gives examples the linter accepts', function () {
    for (const m of modules()) {
      const body = EXAMPLE.exec(m.doc ?? '')![1];
      const text = `${body.startsWith('*') ? '' : '*filter\n'}${body}\nCOMMIT\n`;
      const family = m.families.includes('ipv4') ? 'ipv4' : 'ipv6';
      const problems = analyse(text, { family, semantics: false }).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      assert.deepStrictEqual(
        problems.map((f) => `${f.name}: ${f.message}`),
        [],
        `${m.name}: the example does not pass the linter`,
      );
    }
  });
});

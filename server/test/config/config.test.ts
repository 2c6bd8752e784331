// The project configuration (.iptables-lint.json, --config, iptablesLint.mustAllow) and
// the suppression comments, through the analysis facade every front end uses.

import * as assert from 'assert';
import { analyse } from '../../src/analysis';
import { codeOf } from '../../src/checks/registry';
import { DEFAULT_CONFIG, parseConfigFile, parseMustAllow, resolveConfig } from '../../src/config/config';

const HEADER = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n';
/** Line 6 can never match: line 5 drops all tcp before it. */
const DEAD = `${HEADER}-A INPUT -p tcp -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n`;

function codes(text: string, config = DEFAULT_CONFIG): string[] {
  return analyse(text, { config }).findings.map((f) => f.code);
}

describe('mustAllow entries', function () {
  it('reads protocol/port with an optional source network', function () {
    assert.deepStrictEqual(parseMustAllow('tcp/22'), { text: 'tcp/22', protocol: 'tcp', port: 22 });
    assert.deepStrictEqual(parseMustAllow(' UDP/51820 '), { text: 'UDP/51820', protocol: 'udp', port: 51820 });
    const from = parseMustAllow('tcp/22 from 10.1.2.3/8');
    assert.ok(typeof from !== 'string');
    assert.deepStrictEqual(from.from, { family: 'ipv4', address: 0x0a000000n, prefix: 8 });
    const v6 = parseMustAllow('tcp/443 from 2001:db8::/32');
    assert.ok(typeof v6 !== 'string' && v6.from?.family === 'ipv6' && v6.from.prefix === 32);
  });

  it('explains what is wrong with a bad entry', function () {
    assert.match(parseMustAllow('ssh') as string, /not a service: write it as protocol\/port/);
    assert.match(parseMustAllow('tcp/70000') as string, /out of range/);
    assert.match(parseMustAllow('icmp/8') as string, /not a service/);
    assert.match(parseMustAllow('tcp/22 from 10.0.0.0/33') as string, /prefix length outside 0-32/);
    assert.match(parseMustAllow('tcp/22 from 10.0.0.x') as string, /not an address/);
  });
});

describe('.iptables-lint.json', function () {
  it('reads disabled checks by code or name, severities and mustAllow', function () {
    const { config, problems } = parseConfigFile('{"disable": ["IPT203", "unused-chain"], "severity": {"IPT201": "warning", "rules-after-catch-all": "off"}, "mustAllow": ["tcp/2222"]}', codeOf);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual([...config.disabled].sort(), ['IPT203', 'IPT204', 'IPT206']);
    assert.deepStrictEqual(config.severity, { IPT201: 'warning' });
    assert.deepStrictEqual(config.mustAllow.map((m) => m.text), ['tcp/2222']);
  });

  it('points at each problem and keeps the rest of the file', function () {
    const text = '{\n  "disable": ["IPT999", "IPT203"],\n  "severity": {"IPT201": "loud"},\n  "mustAllow": ["ssh"],\n  "colour": true\n}';
    const { config, problems } = parseConfigFile(text, codeOf);
    const at = (p: { start: number; end: number }) => text.slice(p.start, p.end);
    assert.deepStrictEqual(
      problems.map((p) => [at(p), p.message.split(':')[0]]),
      [
        ['"colour"', 'unknown setting "colour" (known'],
        ['"IPT999"', '"IPT999" is not the code or name of an iptables-lint check'],
        ['"loud"', 'the severity of IPT201 must be "error", "warning", "info", "hint" or "off"'],
        ['"ssh"', "'ssh' is not a service"],
      ],
    );
    assert.deepStrictEqual(config.disabled, ['IPT203']);
    assert.deepStrictEqual(config.mustAllow, DEFAULT_CONFIG.mustAllow, 'an unreadable list keeps the default');
  });

  it('reports a JSON syntax error where the parser stopped', function () {
    const text = '{"disable": ["IPT203"] "mustAllow": []}';
    const { config, problems } = parseConfigFile(text, codeOf);
    assert.strictEqual(problems.length, 1);
    assert.strictEqual(problems[0].message, 'not valid JSON: comma expected');
    assert.strictEqual(text.slice(problems[0].start, problems[0].end), '"mustAllow"');
    assert.strictEqual(config, DEFAULT_CONFIG);
  });

  it('accepts comments and trailing commas, as VS Code\'s own settings files do', function () {
    const { config, problems } = parseConfigFile('{\n  // noisy on our routers\n  "disable": ["IPT203",],\n}', codeOf);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(config.disabled, ['IPT203']);
  });

  it('the file replaces the settings\' mustAllow, and keeps it when silent', function () {
    const settings = resolveConfig({ mustAllow: ['tcp/2222'] }, codeOf).config;
    assert.deepStrictEqual(parseConfigFile('{"mustAllow": ["udp/53"]}', codeOf, settings).config.mustAllow.map((m) => m.text), ['udp/53']);
    assert.deepStrictEqual(parseConfigFile('{"disable": []}', codeOf, settings).config.mustAllow.map((m) => m.text), ['tcp/2222']);
  });
});

describe('configuration applied to findings', function () {
  it('drops disabled checks and sets severities', function () {
    assert.ok(codes(DEAD).includes('IPT201'));
    const { config } = parseConfigFile('{"disable": ["unreachable-rule"]}', codeOf);
    assert.ok(!codes(DEAD, config).includes('IPT201'));
    const severe = parseConfigFile('{"severity": {"IPT201": "error"}}', codeOf).config;
    assert.strictEqual(analyse(DEAD, { config: severe }).findings.find((f) => f.code === 'IPT201')?.severity, 'error');
  });
});

describe('suppression comments', function () {
  const dead = (comment: string) => `${HEADER}-A INPUT -p tcp -j DROP\n${comment}\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n`;

  it('disable-next-line hides that line\'s finding, by code or by name, and nothing else', function () {
    assert.deepStrictEqual(codes(dead('# iptables-lint disable-next-line=IPT201')), []);
    assert.deepStrictEqual(codes(dead('# iptables-lint disable-next-line unreachable-rule -- kept for the audit')), []);
    assert.deepStrictEqual(codes(dead('# iptables-lint disable-next-line')), []);
  });

  it('skips blank and comment lines to find the next line', function () {
    assert.deepStrictEqual(codes(dead('# iptables-lint disable-next-line=IPT201\n\n# why: see ticket 42')), []);
  });

  it('disable applies to the rest of the file only', function () {
    const text = `${HEADER}-A INPUT -p tcp -j DROP\n-A INPUT -p tcp --dport 80 -j ACCEPT\n# iptables-lint disable=IPT201\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n`;
    const found = analyse(text).findings.filter((f) => f.code === 'IPT201');
    assert.strictEqual(found.length, 1);
    assert.strictEqual(text.slice(found[0].span.start, found[0].span.end), '-A INPUT -p tcp --dport 80 -j ACCEPT');
  });

  it('reports a suppression that suppresses nothing, with a fix that deletes it', function () {
    const text = `${HEADER}# iptables-lint disable-next-line=IPT201\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n`;
    const unused = analyse(text).findings.filter((f) => f.code === 'IPT390');
    assert.strictEqual(unused.length, 1);
    assert.strictEqual(unused[0].message, 'This suppression is not needed: IPT201 reports anything on the next line');
    assert.deepStrictEqual(unused[0].tags, ['unnecessary']);
    const fix = unused[0].fixes[0];
    const fixed = text.slice(0, fix.edits[0].span.start) + fix.edits[0].text + text.slice(fix.edits[0].span.end);
    assert.strictEqual(fixed, `${HEADER}-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n`);
    assert.ok(!codes(fixed).includes('IPT390'));
  });

  it('names the codes of a directive that are not needed', function () {
    const unused = analyse(dead('# iptables-lint disable-next-line=IPT201,IPT203')).findings;
    assert.deepStrictEqual(unused.map((f) => [f.code, f.message]), [['IPT390', 'IPT203 reports nothing here: that code is not needed in this suppression']]);
  });

  it('reports a word that names no check, where it is', function () {
    const text = dead('# iptables-lint disable-next-line=IPT2O1');
    const bad = analyse(text).findings.find((f) => f.code === 'IPT391')!;
    assert.strictEqual(text.slice(bad.span.start, bad.span.end), 'IPT2O1');
    assert.ok(analyse(text).findings.some((f) => f.code === 'IPT201'), 'the finding is still reported');
  });

  it('does not call a suppression unused before the semantic checks ran', function () {
    assert.deepStrictEqual(analyse(dead('# iptables-lint disable-next-line=IPT201'), { semantics: false }).findings, []);
  });

  it('ignores an indented directive in a rules file (restore reads # only in the first column)', function () {
    assert.deepStrictEqual(codes(dead('  # iptables-lint disable-next-line=IPT123')), ['IPT123']);
  });

  it('reports an unused directive that suppresses every check', function () {
    const text = `${HEADER}# iptables-lint disable-next-line\n-A INPUT -p tcp --dport 22 -j DROP\nCOMMIT\n`;
    assert.deepStrictEqual(analyse(text).findings.map((f) => f.message), ['This suppression is not needed: no check reports anything on the next line']);
  });
});

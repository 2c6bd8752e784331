// The fixes of syntax and load problems (IPT1xx), one case each: which fixes a problem
// offers (title, safety, preferred, effect), the text a fix gives, and that the result has
// no syntax or load error left. The results are then loaded into the real kernel (as root).

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyse } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { applyEdits } from '../../src/checks/edits';
import { kernelUnavailable, loadAll } from '../support/kernel';

const HEAD = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n';
const rules = (...lines: string[]) => `${HEAD}${lines.join('\n')}\nCOMMIT\n`;

interface Case {
  readonly name: string;
  readonly text: string;
  readonly family?: Family;
  readonly code: string;
  /** Every fix the finding offers: title, then 'safe'/'unsafe', '*' for preferred, and the effect. */
  readonly offers: readonly string[];
  /** The fix to apply (its title) and the text it must give; absent when nothing is offered. */
  readonly apply?: string;
  readonly gives?: string;
  /** The result may keep errors of these codes (a case about one of several choices). */
  readonly leaves?: readonly string[];
}

const CASES: Case[] = [
  {
    name: '--dport without -p: tcp or udp, the reader chooses',
    text: rules('-A INPUT --dport 53 -j ACCEPT'),
    code: 'IPT102',
    offers: ["Add '-p tcp' before --dport unsafe load", "Add '-p udp' before --dport unsafe load"],
    apply: "Add '-p udp' before --dport",
    gives: rules('-A INPUT -p udp --dport 53 -j ACCEPT'),
  },
  {
    name: '! --syn without -p: -p tcp goes before the !',
    text: rules('-A INPUT ! --syn -j ACCEPT'),
    code: 'IPT102',
    offers: ["Add '-p tcp' before --syn safe * load"],
    apply: "Add '-p tcp' before --syn",
    gives: rules('-A INPUT -p tcp ! --syn -j ACCEPT'),
  },
  {
    name: 'option before -p: -p moves in front of it',
    text: rules('-A INPUT -s 10.0.0.0/8 --dport 22 -m comment --comment ssh -p tcp -j ACCEPT'),
    code: 'IPT102',
    offers: ["Move '-p tcp' in front of --dport safe * load"],
    apply: "Move '-p tcp' in front of --dport",
    gives: rules('-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -m comment --comment ssh -j ACCEPT'),
  },
  {
    name: 'a module option without its -m',
    text: rules('-A INPUT --ctstate RELATED,ESTABLISHED -j ACCEPT'),
    code: 'IPT102',
    offers: ["Add '-m conntrack' before --ctstate safe * load"],
    apply: "Add '-m conntrack' before --ctstate",
    gives: rules('-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'),
  },
  {
    name: 'no -m fix when the module would still miss its required options',
    text: rules('-A INPUT --name blocked -j DROP'),
    code: 'IPT102',
    offers: [],
  },
  {
    name: 'a match that needs a protocol',
    text: rules('-A INPUT -m multiport --dports 22,80 -j ACCEPT'),
    code: 'IPT112',
    offers: ["Add '-p tcp' before -m multiport unsafe load", "Add '-p udp' before -m multiport unsafe load"],
    apply: "Add '-p tcp' before -m multiport",
    gives: rules('-A INPUT -p tcp -m multiport --dports 22,80 -j ACCEPT'),
  },
  {
    name: 'ICMPv6 types without -p',
    family: 'ipv6',
    text: rules('-A INPUT --icmpv6-type echo-request -j ACCEPT'),
    code: 'IPT102',
    offers: ["Add '-p icmpv6' before --icmpv6-type safe * load"],
    apply: "Add '-p icmpv6' before --icmpv6-type",
    gives: rules('-A INPUT -p icmpv6 --icmpv6-type echo-request -j ACCEPT'),
  },
  {
    name: 'tcp-reset without -p tcp: narrow the rule or change the answer',
    text: rules('-A INPUT -s 192.0.2.0/24 -j REJECT --reject-with tcp-reset'),
    code: 'IPT112',
    offers: ["Add '-p tcp' to the rule unsafe load", 'Reject with icmp-port-unreachable instead unsafe load'],
    apply: 'Reject with icmp-port-unreachable instead',
    gives: rules('-A INPUT -s 192.0.2.0/24 -j REJECT --reject-with icmp-port-unreachable'),
  },
  {
    name: 'missing COMMIT at the end of a file without a final newline',
    text: `${HEAD}-A INPUT -i lo -j ACCEPT`,
    code: 'IPT120',
    offers: ['Add COMMIT after line 5 safe * load'],
    apply: 'Add COMMIT after line 5',
    gives: `${HEAD}-A INPUT -i lo -j ACCEPT\nCOMMIT\n`,
  },
  {
    name: 'missing COMMIT before the next table: after the last rule, before the comments about the next table',
    text: `${HEAD}-A INPUT -i lo -j ACCEPT\n\n# NAT\n*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n`,
    code: 'IPT120',
    offers: ['Add COMMIT after line 5 safe * load'],
    apply: 'Add COMMIT after line 5',
    gives: `${HEAD}-A INPUT -i lo -j ACCEPT\nCOMMIT\n\n# NAT\n*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n`,
  },
  {
    name: 'CRLF line endings',
    text: rules('-A INPUT -i lo -j ACCEPT').replace(/\n/g, '\r\n'),
    code: 'IPT125',
    offers: ['Convert the file to Unix (LF) line endings safe * load'],
    apply: 'Convert the file to Unix (LF) line endings',
    gives: rules('-A INPUT -i lo -j ACCEPT'),
  },
  {
    name: 'a doubled COMMIT',
    text: `${rules('-A INPUT -i lo -j ACCEPT')}COMMIT\n`,
    code: 'IPT137',
    offers: ['Remove the extra COMMIT safe * load'],
    apply: 'Remove the extra COMMIT',
    gives: rules('-A INPUT -i lo -j ACCEPT'),
  },
  {
    name: 'a line of spaces',
    text: rules('-A INPUT -i lo -j ACCEPT', '   ', '-A INPUT -j DROP'),
    code: 'IPT129',
    offers: ['Remove the spaces from this blank line safe * load'],
    apply: 'Remove the spaces from this blank line',
    gives: rules('-A INPUT -i lo -j ACCEPT', '', '-A INPUT -j DROP'),
  },
  {
    name: 'an indented comment',
    text: rules('  # loopback', '-A INPUT -i lo -j ACCEPT'),
    code: 'IPT123',
    offers: ['Move the comment to the first column safe * load'],
    apply: 'Move the comment to the first column',
    gives: rules('# loopback', '-A INPUT -i lo -j ACCEPT'),
  },
  {
    name: 'a comment after a rule',
    text: rules('-A INPUT -i lo -j ACCEPT   # loopback, "always"'),
    code: 'IPT123',
    offers: ['Move the comment to its own line above the rule safe * load'],
    apply: 'Move the comment to its own line above the rule',
    gives: rules('# loopback, "always"', '-A INPUT -i lo -j ACCEPT'),
  },
  {
    name: 'an unquoted comment of several words',
    text: rules('-A INPUT -p tcp --dport 22 -m comment --comment allow ssh from anywhere -j ACCEPT'),
    code: 'IPT123',
    offers: ['Quote the comment: "allow ssh from anywhere" safe * load'],
    apply: 'Quote the comment: "allow ssh from anywhere"',
    gives: rules('-A INPUT -p tcp --dport 22 -m comment --comment "allow ssh from anywhere" -j ACCEPT'),
  },
  {
    name: '-g with a verdict',
    text: rules('-A INPUT -s 10.0.0.0/8 --goto ACCEPT'),
    code: 'IPT136',
    offers: ['Use --jump ACCEPT safe * load'],
    apply: 'Use --jump ACCEPT',
    gives: rules('-A INPUT -s 10.0.0.0/8 --jump ACCEPT'),
  },
  {
    name: "-t naming the block's own table",
    text: rules('-A INPUT -t filter -i lo -j ACCEPT'),
    code: 'IPT128',
    offers: ["Remove '-t filter' safe * load"],
    apply: "Remove '-t filter'",
    gives: rules('-A INPUT -i lo -j ACCEPT'),
  },
  {
    name: '-t naming another table: no fix (the rule is in the wrong block)',
    text: rules('-A INPUT -t nat -j ACCEPT'),
    code: 'IPT128',
    offers: [],
  },
  {
    name: 'a listing option in a rule',
    text: rules('-A INPUT -i lo -j ACCEPT --line-numbers'),
    code: 'IPT133',
    offers: ['Remove --line-numbers safe * load'],
    apply: 'Remove --line-numbers',
    gives: rules('-A INPUT -i lo -j ACCEPT'),
  },
  {
    name: 'a chain declared twice in a row',
    text: rules(':LOGDROP - [0:0]', ':LOGDROP - [0:0]', '-A LOGDROP -j DROP', '-A INPUT -s 192.0.2.0/24 -j LOGDROP'),
    code: 'IPT118',
    offers: ['Remove the second declaration of LOGDROP safe * load'],
    apply: 'Remove the second declaration of LOGDROP',
    gives: rules(':LOGDROP - [0:0]', '-A LOGDROP -j DROP', '-A INPUT -s 192.0.2.0/24 -j LOGDROP'),
  },
  {
    name: 'a chain declared again after rules: no fix (nft would flush it)',
    text: rules(':LOGDROP - [0:0]', '-A LOGDROP -j DROP', ':LOGDROP - [0:0]', '-A INPUT -s 192.0.2.0/24 -j LOGDROP'),
    code: 'IPT118',
    offers: [],
  },
  {
    name: 'rules added to a chain that is never declared',
    text: rules('-A INPUT -p tcp --dport 22 -j SSH', '-A SSH -s 10.0.0.0/8 -j ACCEPT'),
    code: 'IPT105',
    offers: ["Declare the chain SSH (':SSH - [0:0]') safe * load"],
    apply: "Declare the chain SSH (':SSH - [0:0]')",
    gives: `${HEAD}:SSH - [0:0]\n-A INPUT -p tcp --dport 22 -j SSH\n-A SSH -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n`,
  },
  {
    name: 'a jump to an undeclared chain that has rules: declaring it comes first, the look-alike second',
    text: rules(':SSH_IN - [0:0]', '-A SSH_IN -j ACCEPT', '-A INPUT -p tcp --dport 22 -j SSH_INN', '-A SSH_INN -s 10.0.0.0/8 -j ACCEPT'),
    code: 'IPT104',
    offers: ["Declare the chain SSH_INN (':SSH_INN - [0:0]') safe * load", "Change to 'SSH_IN' safe load"],
    apply: "Declare the chain SSH_INN (':SSH_INN - [0:0]')",
    gives: `${HEAD}:SSH_IN - [0:0]\n:SSH_INN - [0:0]\n-A SSH_IN -j ACCEPT\n-A INPUT -p tcp --dport 22 -j SSH_INN\n-A SSH_INN -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n`,
  },
  {
    name: 'a misspelt target',
    text: rules('-A INPUT -p tcp --dport 23 -j REJCT'),
    code: 'IPT104',
    offers: ["Change to 'REJECT' safe * load"],
    apply: "Change to 'REJECT'",
    gives: rules('-A INPUT -p tcp --dport 23 -j REJECT'),
  },
  {
    name: 'an octal-looking address: the rewrite keeps what iptables reads',
    text: rules('-A INPUT -s 192.168.001.010/32 -j ACCEPT'),
    code: 'IPT139',
    offers: ["Write '192.168.1.8' unsafe none"],
    apply: "Write '192.168.1.8'",
    gives: rules('-A INPUT -s 192.168.1.8/32 -j ACCEPT'),
  },
  {
    name: 'legacy negation',
    text: rules('-A INPUT -s ! 10.0.0.0/8 -j DROP'),
    code: 'IPT124',
    offers: ["Rewrite as '! -s 10.0.0.0/8' safe * load"],
    apply: "Rewrite as '! -s 10.0.0.0/8'",
    gives: rules('-A INPUT ! -s 10.0.0.0/8 -j DROP'),
  },
];

describe('fixes of syntax and load problems', function () {
  this.timeout(120000);
  const loaded: Array<{ name: string; text: string; family: Family }> = [];

  for (const c of CASES) {
    it(c.name, function () {
      const before = analyse(c.text, { family: c.family ?? 'ipv4' });
      const findings = before.findings.filter((f) => f.code === c.code);
      assert.ok(findings.length > 0, `no ${c.code} in ${JSON.stringify(before.findings.map((f) => `${f.code} ${f.message}`))}`);
      const fixes = findings.flatMap((f) => f.fixes);
      const offers = [...new Set(fixes.map((f) => `${f.title} ${f.safety}${f.preferred ? ' *' : ''} ${f.effect.kind}`))];
      assert.deepStrictEqual(offers, c.offers);
      if (!c.apply) return;
      const fix = fixes.find((f) => f.title === c.apply)!;
      const text = applyEdits(c.text, fix.edits);
      assert.strictEqual(text, c.gives);
      const after = analyse(text, { family: c.family ?? 'ipv4' });
      const errors = after.findings.filter((f) => f.severity === 'error' && /^IPT1/.test(f.code) && !(c.leaves ?? []).includes(f.code));
      assert.deepStrictEqual(errors.map((f) => `${f.code} ${f.message}`), []);
      loaded.push({ name: c.name, text, family: c.family ?? 'ipv4' });
    });
  }

  it('the fixed files load in the real kernel (both backends)', function () {
    const why = kernelUnavailable();
    if (why) {
      console.log(`    skipped: ${why}`);
      return this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-syntax-fixes-'));
    const files = loaded.map((l, i) => ({ ...l, path: path.join(dir, `${i}.rules`) }));
    for (const f of files) fs.writeFileSync(f.path, f.text);
    const verdicts = loadAll(files);
    fs.rmSync(dir, { recursive: true, force: true });
    const refused = files.flatMap((f) => (verdicts.get(f.path) ?? []).filter((v) => v.refused).map((v) => `${f.name} (${v.backend}): ${v.message.split('\n')[0]}`));
    assert.ok(files.length >= 20, `only ${files.length} fixed files`);
    assert.deepStrictEqual(refused, []);
  });
});

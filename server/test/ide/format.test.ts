import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyse, Analysis, detectFileKind, familyFromPath } from '../../src/analysis';
import { Family } from '../../src/catalogue/types';
import { FormatEdit, formatEdits } from '../../src/ide/format';
import { NotPrintable, printRule } from '../../src/syntax/printer';
import { corpusDir, listFiles } from '../support/paths';

function apply(text: string, edits: readonly FormatEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
  return out;
}

function format(text: string, family?: Family): string {
  return apply(text, formatEdits(analyse(text, { family, semantics: false })));
}

/** What each line means: a rule line by what iptables-save prints for it, any other line by its text. */
function meanings(a: Analysis): string[] {
  return a.tree.lines.map((node) => {
    if (node.kind !== 'rule') return `${node.kind}: ${a.tree.text.slice(node.span.start, node.span.end)}`;
    const block = a.tree.blocks.find((b) => b.rules.includes(a.tree.lines.indexOf(node)))!;
    try {
      return `rule: ${printRule(node.rule, { family: block.family, table: block.table }).join(' | ')}`;
    } catch (e) {
      if (!(e instanceof NotPrintable)) throw e;
      return `unprintable rule: ${a.tree.text.slice(node.span.start, node.span.end)}`;
    }
  });
}

/** Finding codes per line, to show formatting neither adds nor removes a problem. */
function findingsPerLine(a: Analysis): string[] {
  return a.findings.map((f) => `${a.tree.index.lineOf(f.span.start) + 1} ${f.code}`).sort();
}

describe('ide/format', function () {
  it('rewrites rules into the form iptables-save prints', function () {
    const text = [
      '*filter',
      ':INPUT DROP [0:0]',
      '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      '-A INPUT   -p tcp --dport 22 -s 192.0.2.7 -j ACCEPT   ',
      '-A INPUT ! -i lo -s 127.0.0.0/8 -j REJECT',
      'COMMIT',
      '',
    ].join('\n');
    assert.strictEqual(
      format(text),
      [
        '*filter',
        ':INPUT DROP [0:0]',
        '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        '-A INPUT -s 192.0.2.7/32 -p tcp -m tcp --dport 22 -j ACCEPT',
        '-A INPUT -s 127.0.0.0/8 ! -i lo -j REJECT --reject-with icmp-port-unreachable',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('keeps counters, comments, blank lines and chain lines exactly as written', function () {
    const text = ['# my firewall', '*filter', ':INPUT  DROP [10:2000]', '', '# ssh', '[7:420]   -A INPUT -p tcp --dport 22 -j ACCEPT', 'COMMIT', ''].join('\n');
    assert.strictEqual(format(text), text.replace('[7:420]   -A INPUT -p tcp --dport 22', '[7:420] -A INPUT -p tcp -m tcp --dport 22'));
  });

  it('is idempotent: formatting a formatted file changes nothing', function () {
    const text = ['*filter', ':INPUT DROP [0:0]', '-A INPUT -p udp --sport 53 -m state --state ESTABLISHED -j ACCEPT', '-A INPUT -m multiport -p tcp --dports 80,443 -j ACCEPT', 'COMMIT', ''].join('\n');
    const once = format(text);
    assert.notStrictEqual(once, text);
    assert.deepStrictEqual(formatEdits(analyse(once, { semantics: false })), []);
  });

  it('leaves alone a rule with a warning or an error, even one the printer could print', function () {
    const warned = '-A INPUT -s 010.0.0.1 -j ACCEPT'; // octal-looking address: a warning
    const broken = '-A INPUT -p tcp --dportt 80 -j ACCEPT'; // unknown option: an error
    const text = ['*filter', ':INPUT DROP [0:0]', warned, broken, 'COMMIT', ''].join('\n');
    const a = analyse(text, { semantics: false });
    assert.ok(a.findings.some((f) => f.severity === 'warning' && a.tree.index.lineOf(f.span.start) === 2), 'the snippet has its warning');
    assert.deepStrictEqual(formatEdits(a), []);
  });

  it('leaves alone rules it cannot print or that would become several rules', function () {
    const text = [
      '*filter',
      ':INPUT DROP [0:0]',
      '-A INPUT -s 192.0.2.1,192.0.2.2 -p tcp --dport 22 -j ACCEPT',
      '-A INPUT -m nosuchmodule --foo 1 -j ACCEPT',
      'COMMIT',
      '',
    ].join('\n');
    assert.deepStrictEqual(formatEdits(analyse(text, { semantics: false })), []);
  });

  it('formats only the lines that touch the range of a range formatting', function () {
    const text = ['*filter', ':INPUT DROP [0:0]', '-A INPUT -p tcp --dport 22 -j ACCEPT', '-A INPUT -p tcp --dport 80 -j ACCEPT', 'COMMIT', ''].join('\n');
    const a = analyse(text, { semantics: false });
    const third = a.tree.lines[3].span;
    const edits = formatEdits(a, { start: third.start + 3, end: third.start + 5 });
    assert.deepStrictEqual(edits.map((e) => e.text), ['-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT']);
  });

  describe('on the real-world corpus', function () {
    const dir = corpusDir('real-world');
    if (!dir) {
      it('skipped: ../shared/corpus/real-world is not present');
      return;
    }
    it('changes no rule\'s meaning, finds the same problems afterwards, and is idempotent', function () {
      this.timeout(120_000); // every corpus file is analysed twice
      let formatted = 0;
      for (const file of listFiles(dir)) {
        const text = fs.readFileSync(file, 'utf8');
        if (detectFileKind(text, file) !== 'dump') continue;
        const family = familyFromPath(file);
        const before = analyse(text, { family, semantics: false });
        const edits = formatEdits(before);
        formatted += edits.length;
        const after = analyse(apply(text, edits), { family, semantics: false });
        const name = path.relative(dir, file);
        assert.deepStrictEqual(meanings(after), meanings(before), `${name}: a rule changed meaning`);
        assert.deepStrictEqual(findingsPerLine(after), findingsPerLine(before), `${name}: the findings changed`);
        assert.deepStrictEqual(formatEdits(after), [], `${name}: formatting twice changes more`);
        for (const e of edits) assert.ok(before.tree.lines.some((l) => l.kind === 'rule' && l.span.start === e.span.start && l.span.end === e.span.end), `${name}: an edit outside a rule line`);
      }
      assert.ok(formatted > 0, 'the corpus has rules that are not in canonical form');
    });
  });
});

import * as assert from 'assert';
import { CompletionEntry, CompletionList, completionsAt } from '../../src/ide/completion';
import { analyseMarked } from './cursor';

interface Asked {
  readonly list: CompletionList;
  /** Labels in the order VS Code shows them (by sortText). */
  readonly labels: string[];
  readonly text: string;
  entry(label: string): CompletionEntry;
}

function complete(marked: string, trigger?: string): Asked {
  const { analysis, offset, text } = analyseMarked(marked);
  const list = completionsAt(analysis, offset, trigger);
  assert.ok(list, `no completion in ${marked}`);
  const sorted = [...list.items].sort((a, b) => a.sortText.localeCompare(b.sortText) || a.label.localeCompare(b.label));
  return {
    list,
    labels: sorted.map((e) => e.label),
    text,
    entry(label: string) {
      const e = list.items.find((i) => i.label === label);
      assert.ok(e, `no '${label}' in ${sorted.map((i) => i.label).join(' ')}`);
      return e;
    },
  };
}

function nothing(marked: string, trigger?: string): void {
  const { analysis, offset } = analyseMarked(marked);
  const list = completionsAt(analysis, offset, trigger);
  assert.ok(!list || list.items.length === 0, `expected no completion, got ${list?.items.map((i) => i.label).join(' ')}`);
}

const FILTER = (rule: string) => `*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:SSH - [0:0]\n:WEB - [0:0]\n-A INPUT -i eth0 -p tcp --dport 22 -j SSH\n${rule}\nCOMMIT\n`;

describe('ide/completion', function () {
  it('offers table names after *, with what each is for', function () {
    const c = complete('*<|>');
    assert.deepStrictEqual(c.labels, ['filter', 'nat', 'mangle', 'raw', 'security']);
    assert.match(c.entry('nat').documentation!, /POSTROUTING/);
    const partial = complete('*na<|>');
    assert.strictEqual(partial.text.slice(partial.list.span.start, partial.list.span.end), 'na', 'replaces the partial name');
  });

  it('offers chains to declare (built-in ones not declared yet, used user chains) and policies', function () {
    const c = complete('*filter\n:INPUT DROP [0:0]\n:<|>\n-A INPUT -j LOGDROP\nCOMMIT\n');
    assert.deepStrictEqual(c.labels, ['FORWARD', 'OUTPUT', 'LOGDROP']);
    assert.strictEqual(c.entry('LOGDROP').insertText, 'LOGDROP - [0:0]');
    assert.deepStrictEqual(complete('*filter\n:INPUT <|>\nCOMMIT\n').labels, ['ACCEPT', 'DROP']);
    assert.deepStrictEqual(complete('*filter\n:MINE <|>\nCOMMIT\n').labels, ['-']);
  });

  it('offers commands, COMMIT and the snippets of the table at the start of a rule line', function () {
    const c = complete(FILTER('<|>'));
    for (const label of ['-A', '-I', '-N', '-P', ':', 'COMMIT', 'accept loopback', 'accept replies (RELATED,ESTABLISHED)', 'allow a TCP service', 'port forward: accept forwarded connections']) assert.ok(c.labels.includes(label), label);
    assert.ok(!c.labels.includes('port forward (DNAT)'), 'the DNAT half belongs to the nat table');
    assert.ok(c.entry('allow a TCP service').snippet);
    const nat = complete('*nat\n<|>\nCOMMIT\n');
    assert.ok(nat.labels.includes('port forward (DNAT)') && nat.labels.includes('masquerade (share the uplink)'));
    assert.match(nat.entry('port forward (DNAT)').insertText!, /^-A PREROUTING .* -j DNAT --to-destination \$\{3:192\.168\.1\.10\}:\$\{4:80\}$/);
  });

  it('offers the chains of the table after -A', function () {
    assert.deepStrictEqual(complete(FILTER('-A <|>')).labels, ['INPUT', 'FORWARD', 'OUTPUT', 'SSH', 'WEB']);
    assert.deepStrictEqual(complete('*nat\n-A <|>\nCOMMIT\n').labels, ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
  });

  it('offers verdicts, the user chains and the targets valid in this table first after -j', function () {
    const c = complete(FILTER('-A INPUT -p tcp -j <|>'));
    assert.deepStrictEqual(c.labels.slice(0, 6), ['ACCEPT', 'DROP', 'RETURN', 'QUEUE', 'SSH', 'WEB']);
    assert.ok(c.labels.indexOf('REJECT') < c.labels.indexOf('DNAT'), 'REJECT works in filter, DNAT does not');
    assert.match(c.entry('DNAT').detail!, /only in the nat table/);
    assert.match(c.entry('REJECT').documentation!, /-j REJECT/);
    const own = complete(FILTER('-A SSH -j <|>'));
    assert.ok(!own.labels.includes('SSH'), 'a chain does not jump to itself');
    assert.deepStrictEqual(complete(FILTER('-A INPUT -g <|>')).labels, ['SSH', 'WEB'], '-g takes user chains only');
  });

  it('offers the options of the modules loaded so far', function () {
    const tcp = complete(FILTER('-A INPUT -p tcp <|>'));
    assert.deepStrictEqual(tcp.labels.slice(0, 5), ['--sport', '--dport', '--tcp-option', '--tcp-flags', '--syn']);
    assert.match(tcp.entry('--dport').detail!, /tcp match \(loaded by -p tcp\)/);
    assert.ok(!tcp.labels.includes('-p'), '-p is given already');
    const ct = complete(FILTER('-A INPUT -m conntrack <|>'));
    assert.strictEqual(ct.labels[0], '--ctstate');
    assert.ok(ct.entry('--ctstate').retrigger && ct.entry('--ctstate').insertText === '--ctstate ', 'opens the value list after inserting');
    const again = complete(FILTER('-A INPUT -m conntrack --ctstate NEW <|>'));
    assert.ok(!again.labels.includes('--ctstate'), 'not repeatable');
    assert.ok(again.labels.includes('--ctstatus'));
    const udp = complete(FILTER('-A INPUT -p udp -m udp --dport 53 -<|>'));
    assert.ok(udp.labels.includes('--sport') && !udp.labels.includes('--dport'));
    assert.ok(!udp.labels.includes('--syn'), 'no tcp options after -p udp');
  });

  it('offers the target options after -j, and only negatable options after !', function () {
    const reject = complete(FILTER('-A INPUT -j REJECT <|>'));
    assert.strictEqual(reject.labels[0], '--reject-with', 'the target\'s options first');
    assert.ok(!reject.labels.includes('-j'), 'the target is given already');
    const neg = complete(FILTER('-A INPUT -p tcp ! <|>'));
    assert.ok(neg.labels.includes('--dport') && neg.labels.includes('-s'));
    assert.ok(!neg.labels.includes('-j') && !neg.labels.includes('-m'), '-j and -m cannot be negated');
  });

  it('leaves out -i in OUTPUT and -o in INPUT, which iptables refuses', function () {
    assert.ok(!complete(FILTER('-A OUTPUT -<|>')).labels.includes('-i'));
    assert.ok(!complete(FILTER('-A INPUT -<|>')).labels.includes('-o'));
  });

  it('offers module names with their summary after -m', function () {
    const c = complete(FILTER('-A INPUT -m <|>'));
    assert.deepStrictEqual(c.labels.slice(0, 3), ['conntrack', 'multiport', 'comment']);
    assert.match(c.entry('limit').detail!, /token bucket/);
    assert.ok(!c.labels.includes('icmp6'), 'no IPv6 modules in an IPv4 file');
    const v6 = complete('# Generated by ip6tables-save\n*filter\n-A INPUT -m <|>\nCOMMIT\n');
    assert.ok(v6.labels.includes('icmp6') && !v6.labels.includes('icmp'));
  });

  it('offers values: states (continuing a list), ICMP types, protocols, interfaces, reject types, log levels', function () {
    const states = complete(FILTER('-A INPUT -m conntrack --ctstate RELATED,<|>'));
    assert.ok(!states.labels.includes('RELATED') && states.labels.includes('ESTABLISHED'));
    assert.strictEqual(states.list.span.start, states.text.indexOf('RELATED,') + 'RELATED,'.length, 'replaces only after the comma');
    const icmp = complete(FILTER('-A INPUT -p icmp --icmp-type <|>'));
    assert.ok(icmp.labels.includes('echo-request'));
    assert.strictEqual(icmp.entry('echo-request').detail, 'ICMP type 8');
    assert.deepStrictEqual(complete(FILTER('-A INPUT -p <|>')).labels.slice(0, 3), ['tcp', 'udp', 'icmp']);
    assert.deepStrictEqual(complete(FILTER('-A INPUT -o <|>')).labels, ['lo', 'eth0'], 'interfaces named in the file');
    assert.ok(complete(FILTER('-A INPUT -p tcp -j REJECT --reject-with <|>')).labels.includes('tcp-reset'));
    assert.strictEqual(complete(FILTER('-A INPUT -j LOG --log-level <|>')).entry('info').detail, 'level 6 (info)');
    assert.deepStrictEqual(complete(FILTER('-P INPUT <|>')).labels, ['ACCEPT', 'DROP']);
    assert.match(complete(FILTER('-A INPUT -p tcp --dport <|>')).entry('3306').detail!, /MySQL/);
  });

  it('opens by itself after a space only where a value goes', function () {
    assert.ok(complete(FILTER('-A INPUT -j <|>'), ' ').labels.includes('ACCEPT'));
    nothing(FILTER('-A INPUT -p tcp <|>'), ' ');
    nothing(FILTER('-A INPUT -s 10.0.0.0/8 <|>'), ' ');
  });

  it('offers nothing in comments, after COMMIT, or where a free-form value goes', function () {
    nothing('# a comment <|>\n*filter\nCOMMIT\n');
    nothing(FILTER('-A INPUT -s <|>'));
  });

  it('outside any table offers the table headers and a skeleton', function () {
    const c = complete('<|>');
    assert.deepStrictEqual(c.labels.slice(0, 5), ['*filter', '*nat', '*mangle', '*raw', '*security']);
    assert.match(c.entry('filter table for a host').insertText!, /^\*filter\n[\s\S]*\nCOMMIT$/);
  });
});

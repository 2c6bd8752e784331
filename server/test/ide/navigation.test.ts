import * as assert from 'assert';
import { analyse, Analysis } from '../../src/analysis';
import { chainNameRefusal, chainSymbols, definitionAt, highlightsAt, matchesQuery, prepareRenameAt, referencesAt, renameAt } from '../../src/ide/navigation';
import { Span } from '../../src/syntax/text';

const FILE = [
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':SSH - [0:0]',
  ':LOGDROP - [0:0]',
  '-A INPUT -i lo -j ACCEPT',
  '-A INPUT -p tcp --dport 22 -j SSH',
  '-I INPUT 2 -p tcp --dport 2222 -g SSH',
  '-A SSH -s 192.0.2.0/24 -j ACCEPT',
  '-A SSH -j LOGDROP',
  '-A LOGDROP -j LOG --log-prefix "dropped: "',
  '-A LOGDROP -j DROP',
  'COMMIT',
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':POSTROUTING ACCEPT [0:0]',
  ':SSH - [0:0]',
  '-A PREROUTING -p tcp --dport 22 -j SSH',
  '-A SSH -j RETURN',
  'COMMIT',
  '',
].join('\n');

const analysis = analyse(FILE, { semantics: false });

/** Offset of the `nth` occurrence of `needle`, plus `shift`. */
function offsetOf(needle: string, nth = 0, shift = 0, text = FILE): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at !== -1, `'${needle}' #${nth} is not in the text`);
  return at + shift;
}

/** "line:column" (1-based line) of a span's start, readable in assertion failures. */
function where(span: Span, a: Analysis = analysis): string {
  const p = a.tree.index.position(span.start);
  return `${p.line + 1}:${p.character}`;
}

function applyEdits(text: string, edits: readonly { span: Span; text: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
  return out;
}

describe('ide/navigation', function () {
  describe('go to definition', function () {
    it('goes from -j CHAIN to the :CHAIN declaration of the same table', function () {
      const decl = definitionAt(analysis, offsetOf('-j SSH', 0, 4));
      assert.ok(decl);
      assert.strictEqual(where(decl.span), '5:1');
      assert.strictEqual(FILE.slice(decl.span.start, decl.span.end), 'SSH');
    });

    it('goes from -g CHAIN and from -A CHAIN too', function () {
      assert.strictEqual(where(definitionAt(analysis, offsetOf('-g SSH', 0, 3))!.span), '5:1');
      assert.strictEqual(where(definitionAt(analysis, offsetOf('-A LOGDROP', 0, 5))!.span), '6:1');
      assert.strictEqual(where(definitionAt(analysis, offsetOf('-A INPUT', 0, 3))!.span), '2:1');
    });

    it('keeps chains of different tables apart: SSH in *nat goes to the *nat declaration', function () {
      const decl = definitionAt(analysis, offsetOf('-j SSH', 1, 4));
      assert.strictEqual(where(decl!.span), '18:1');
    });

    it('goes to -N CHAIN when that is what creates the chain', function () {
      const text = ['*filter', ':INPUT ACCEPT [0:0]', '-N WEB', '-A INPUT -p tcp --dport 80 -j WEB', '-A WEB -j ACCEPT', 'COMMIT', ''].join('\n');
      const a = analyse(text, { semantics: false });
      const decl = definitionAt(a, offsetOf('-j WEB', 0, 3, text));
      assert.strictEqual(where(decl!.span, a), '3:3');
    });

    it('finds nothing on a verdict, a target extension or an option', function () {
      assert.strictEqual(definitionAt(analysis, offsetOf('-j ACCEPT', 0, 4)), undefined);
      assert.strictEqual(definitionAt(analysis, offsetOf('-j LOG ', 0, 4)), undefined);
      assert.strictEqual(definitionAt(analysis, offsetOf('--dport 22', 0, 3)), undefined);
    });
  });

  describe('references and highlights', function () {
    it('lists every place the chain is named in its table, declaration included when asked', function () {
      const refs = referencesAt(analysis, offsetOf(':SSH', 0, 2), true);
      assert.deepStrictEqual(refs.map((r) => `${where(r.span)} ${r.role}`), ['5:1 declaration', '8:30 jump', '9:34 goto', '10:3 command', '11:3 command']);
      const withoutDeclaration = referencesAt(analysis, offsetOf(':SSH', 0, 2), false);
      assert.deepStrictEqual(withoutDeclaration.map((r) => r.role), ['jump', 'goto', 'command', 'command']);
    });

    it('highlights the declaration as a write and the jumps as reads', function () {
      const kinds = highlightsAt(analysis, offsetOf('-j LOGDROP', 0, 4)).map((h) => `${where(h.span)} ${h.kind}`);
      assert.deepStrictEqual(kinds, ['6:1 write', '11:10 read', '12:3 text', '13:3 text']);
    });
  });

  describe('rename', function () {
    it('renames a user chain in every place of its table and nowhere else', function () {
      const result = renameAt(analysis, offsetOf('-j SSH', 0, 5), 'SSH_IN');
      assert.ok(result.ok);
      const renamed = applyEdits(FILE, result.edits);
      const filter = renamed.slice(0, renamed.indexOf('*nat'));
      const nat = renamed.slice(renamed.indexOf('*nat'));
      assert.deepStrictEqual(filter.match(/\bSSH\w*/g), ['SSH_IN', 'SSH_IN', 'SSH_IN', 'SSH_IN', 'SSH_IN']);
      assert.strictEqual(nat, FILE.slice(FILE.indexOf('*nat')), 'the *nat chain SSH is another chain');
      // The renamed file reads the same, with no new problem.
      assert.deepStrictEqual(analyse(renamed, { semantics: false }).findings.map((f) => f.message), analysis.findings.map((f) => f.message));
    });

    it('renames -N, -X, -E and -j in a file that uses commands', function () {
      const text = ['*filter', ':INPUT ACCEPT [0:0]', '-N OLD', '-A INPUT -j OLD', '-F OLD', '-X OLD', '-N OLD', '-E OLD NEWER', 'COMMIT', ''].join('\n');
      const a = analyse(text, { semantics: false });
      const result = renameAt(a, offsetOf('-j OLD', 0, 3, text), 'FRESH');
      assert.ok(result.ok);
      assert.strictEqual(applyEdits(text, result.edits), text.replace(/\bOLD\b/g, 'FRESH'));
    });

    it('renames a quoted chain name by replacing the whole quoted word', function () {
      const text = ['*filter', ':INPUT ACCEPT [0:0]', ':"Q" - [0:0]', '-A INPUT -j "Q"', 'COMMIT', ''].join('\n');
      const a = analyse(text, { semantics: false });
      const result = renameAt(a, offsetOf('-j "Q"', 0, 4, text), 'PLAIN');
      assert.ok(result.ok);
      assert.strictEqual(applyEdits(text, result.edits), text.replace(/"Q"/g, 'PLAIN'));
    });

    it('prepareRename offers the chain name under the cursor', function () {
      const check = prepareRenameAt(analysis, offsetOf('-A LOGDROP', 0, 6));
      assert.deepStrictEqual(check.ok && { name: check.name, at: where(check.span) }, { name: 'LOGDROP', at: '12:3' });
    });

    it('refuses to rename a built-in chain or something that is not a chain', function () {
      const builtin = prepareRenameAt(analysis, offsetOf('-A INPUT', 0, 4));
      assert.deepStrictEqual(builtin, { ok: false, message: 'INPUT is a built-in chain of the filter table: its name is fixed' });
      const option = prepareRenameAt(analysis, offsetOf('--dport', 0, 3));
      assert.ok(!option.ok);
      assert.match(option.message, /Only a user-defined chain can be renamed/);
    });

    it('refuses the names iptables refuses, saying why', function () {
      const refusal = (name: string) => {
        const r = renameAt(analysis, offsetOf(':SSH', 0, 2), name);
        return r.ok ? 'accepted' : r.message;
      };
      assert.strictEqual(refusal('A'.repeat(28)), 'accepted');
      assert.strictEqual(refusal('A'.repeat(29)), `'${'A'.repeat(29)}' is too long for a chain name: iptables allows at most 28 characters (it has 29)`);
      assert.match(refusal('-SSH'), /cannot start with '-'/);
      assert.match(refusal('!SSH'), /cannot start with '!'/);
      assert.match(refusal('MY SSH'), /white space/);
      assert.match(refusal(''), /cannot be empty/);
      assert.strictEqual(refusal('DROP'), 'DROP is a built-in verdict, not a possible chain name');
      assert.strictEqual(refusal('FORWARD'), 'FORWARD is a built-in chain of the filter table');
      assert.match(refusal('LOG'), /clash with a target/);
      assert.strictEqual(refusal('LOGDROP'), 'The filter table already has a chain named LOGDROP (line 6)');
    });

    it('accepts a name that only another table uses', function () {
      assert.strictEqual(chainNameRefusal(analysis.tree, 1, 'LOGDROP'), undefined);
      assert.strictEqual(chainNameRefusal(analysis.tree, 0, 'PREROUTING'), undefined, 'PREROUTING is not a chain of *filter');
    });
  });

  describe('workspace symbols', function () {
    it('lists the declared chains of each table with their table', function () {
      const symbols = chainSymbols(analysis).map((s) => `*${s.table} ${s.name}${s.builtin ? ' (built-in)' : ''}`);
      assert.deepStrictEqual(symbols, [
        '*filter INPUT (built-in)',
        '*filter FORWARD (built-in)',
        '*filter OUTPUT (built-in)',
        '*filter SSH',
        '*filter LOGDROP',
        '*nat PREROUTING (built-in)',
        '*nat POSTROUTING (built-in)',
        '*nat SSH',
      ]);
    });

    it('matches a query by its letters in order, in any case', function () {
      assert.ok(matchesQuery('LOGDROP', 'ldr'));
      assert.ok(matchesQuery('LOGDROP', ''));
      assert.ok(!matchesQuery('LOGDROP', 'drl'));
    });
  });
});

import * as assert from 'assert';
import { splitRestoreWords, subSpan } from '../../src/syntax/words';

const split = (line: string) => splitRestoreWords(line, 0, line.length);
const texts = (line: string) => split(line).words.map((w) => w.text);

describe('splitting a rule line into words (as iptables-restore does)', function () {
  it('splits on spaces and tabs, collapsing runs', function () {
    assert.deepStrictEqual(texts('-A  INPUT\t-j ACCEPT'), ['-A', 'INPUT', '-j', 'ACCEPT']);
  });

  it('unquotes and unescapes the way iptables-save writes comments', function () {
    assert.deepStrictEqual(texts('--comment "a \\"b\\" c\\\\d" -j X'), ['--comment', 'a "b" c\\d', '-j', 'X']);
  });

  it('ends a word at a closing quote, so "abc"def is two words', function () {
    assert.deepStrictEqual(texts('"abc"def'), ['abc', 'def']);
  });

  it('keeps an empty quoted argument', function () {
    assert.deepStrictEqual(texts('--comment ""'), ['--comment', '']);
  });

  it('treats a backslash outside quotes as an ordinary character', function () {
    assert.deepStrictEqual(texts('a\\b'), ['a\\b']);
  });

  it('runs an unterminated quote to the end of the line and says where it opened', function () {
    const r = split('--comment "ssh -j ACCEPT');
    assert.deepStrictEqual(r.words.map((w) => w.text), ['--comment', 'ssh -j ACCEPT']);
    assert.strictEqual(r.unterminatedQuote, 10);
  });

  it('maps every character of a value back to the document, escapes included', function () {
    const line = 'x "a\\"b"';
    const w = split(line).words[1];
    assert.deepStrictEqual(w.span, { start: 2, end: 8 });
    // the `b` after the escaped quote sits at offset 6
    assert.deepStrictEqual(subSpan(w, 2, 3), { start: 6, end: 7 });
    assert.strictEqual(line.slice(subSpan(w, 0, 1).start, subSpan(w, 0, 1).end), 'a');
  });
});

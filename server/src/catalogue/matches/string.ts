import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ValueGrammar, ValueResult } from '../types';
import { enumOf, fail, ok, uint } from '../values';
import { findOption as opt } from '../parsed';

/** The kernel's limit on the pattern length, in bytes. */
const MAX_PATTERN = 128;

const isPrintable = (b: number): boolean => b >= 0x20 && b <= 0x7e;

/**
 * How iptables-save prints a pattern: as --string in double quotes (escaping `"` and `\`)
 * when every byte is printable ASCII, else as --hex-string with every byte in hex.
 */
export function printPattern(bytes: Uint8Array): { option: '--string' | '--hex-string'; text: string } {
  if (bytes.every(isPrintable)) return { option: '--string', text: `"${Buffer.from(bytes).toString('latin1').replace(/["\\]/g, (c) => '\\' + c)}"` };
  return { option: '--hex-string', text: `"|${Buffer.from(bytes).toString('hex')}|"` };
}

function patternResult(bytes: Uint8Array): ValueResult {
  if (bytes.length === 0) return fail('The pattern is empty: the kernel needs at least one byte to search for');
  if (bytes.length > MAX_PATTERN) return fail(`The pattern is too long: ${bytes.length} bytes, the kernel allows at most ${MAX_PATTERN}`);
  return ok(bytes, printPattern(bytes).text);
}

/** --string: the text as bytes (UTF-8). Value: Uint8Array. */
const plainPattern: ValueGrammar = {
  name: 'string',
  parse(text) {
    return patternResult(new Uint8Array(Buffer.from(text, 'utf8')));
  },
};

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * --hex-string: literal characters mixed with `|..|` blocks of hex byte pairs (`|0d 0a|`,
 * one space allowed after a pair), `\x` outside a block taking x literally. Follows the
 * quirks of iptables' reader: right after a `|` the next character is taken without
 * looking at it again, so `||` yields a literal `|`. Value: Uint8Array.
 */
const hexPattern: ValueGrammar = {
  name: 'hex string (|41 42|, mixed with text)',
  parse(text) {
    if (text === '') return fail('The pattern is empty: the kernel needs at least one byte to search for');
    const out: number[] = [];
    let inHex = false;
    let i = 0;
    while (i < text.length) {
      let literal = false;
      if (text[i] === '\\' && !inHex) literal = true;
      else if (text[i] === '\\') return fail('A backslash cannot appear inside a |hex| block', { at: [i, i + 1] });
      else if (text[i] === '|') {
        inHex = !inHex;
        if (inHex) while (text[i + 1] === ' ') i++;
        if (i + 1 >= text.length) break;
        i++;
      }
      if (literal) {
        if (i + 1 >= text.length) return fail('A backslash at the end of the pattern escapes nothing', { at: [i, i + 1] });
        out.push(...Buffer.from(text[i + 1], 'utf8'));
        i += 2;
      } else if (inHex) {
        if (i + 1 >= text.length) return fail('Odd number of hex digits in a |hex| block', { at: [i, text.length] });
        if (i + 2 >= text.length) return fail("A |hex| block must be closed with '|'", { at: [i, text.length] });
        if (!isHex(text[i]) || !isHex(text[i + 1])) return fail(`'${text.slice(i, i + 2)}' is not a hex byte: write two hex digits per byte, e.g. |0d0a| or |0d 0a|`, { at: [i, i + 2] });
        out.push(parseInt(text.slice(i, i + 2), 16));
        i += text[i + 2] === ' ' ? 3 : 2;
      } else {
        out.push(...Buffer.from(text[i], 'utf8'));
        i++;
      }
    }
    return patternResult(new Uint8Array(out));
  },
};

export const string: MatchModule = {
  kind: 'match',
  name: 'string',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'A byte pattern anywhere in the packet (payload inspection)',
  doc: `Searches the packet for a byte pattern, written as text or as hex. Use it to catch a known signature in unencrypted traffic, such as a DNS query for one name or a specific HTTP request line.

\`\`\`iptables
-A FORWARD -p udp --dport 53 -m string --algo bm --hex-string "|07|example|03|com|00|" -j DROP
\`\`\`

- It looks at one packet at a time. A pattern split over two TCP segments is not found, and anyone who wants to dodge the rule can split it on purpose.
- Encrypted traffic (HTTPS, DNS over TLS) hides the content; you only see the bytes as they travel.
- \`--algo bm\` is fast but can miss a pattern that straddles two internal fragments of a large packet; \`kmp\` finds it.
- Offsets in \`--from\` and \`--to\` count from the start of the IP header, not the payload.`,
  options: [
    { names: ['--string'], args: [plainPattern], negatable: true, doc: 'Text to search for, up to 128 bytes, compared byte for byte (case-sensitive unless `--icase`). Quote it if it contains spaces.' },
    { names: ['--hex-string'], args: [hexPattern], negatable: true, doc: 'Pattern with raw bytes in hex between pipes, mixed with plain text, e.g. `"|0d 0a|Host: "`. Use it for bytes that are not printable.' },
    // Value: 'bm' (Boyer-Moore) | 'kmp' (Knuth-Morris-Pratt).
    { names: ['--algo'], args: [enumOf('search algorithm', ['bm', 'kmp'])], doc: 'Search algorithm: `bm` (Boyer-Moore, fast) or `kmp` (Knuth-Morris-Pratt). bm can miss a pattern that crosses an internal fragment boundary of the packet; kmp does not.' },
    // Values: byte offsets into the packet.
    { names: ['--from'], args: [uint('offset', 0, 65535)], doc: 'Offset where the search starts, in bytes from the start of the IP header (default 0).' },
    { names: ['--to'], args: [uint('offset', 0, 65535)], doc: 'Offset where the search ends, in bytes from the start of the IP header (default: the end of the packet). A small window keeps the search cheap.' },
    { names: ['--icase'], args: [], doc: 'Ignores the difference between upper and lower case while searching.' },
  ],
  check(ext) {
    const out: ExtensionProblem[] = [];
    const plain = opt(ext, '--string');
    const hex = opt(ext, '--hex-string');
    if (!plain && !hex) out.push({ kind: 'missing-required-option', message: '-m string needs a pattern: --string TEXT or --hex-string "|hex|"' });
    if (plain && hex) out.push({ kind: 'conflicting-options', message: '--string and --hex-string exclude each other: one pattern per -m string (mix text and |hex| in --hex-string)', option: plain.index > hex.index ? plain : hex });
    if (!opt(ext, '--algo')) out.push({ kind: 'missing-required-option', message: '-m string needs --algo bm or --algo kmp' });
    const from = opt(ext, '--from');
    const to = opt(ext, '--to');
    if (from && to && (from.values[0] as number) > (to.values[0] as number))
      out.push({ kind: 'invalid-value', message: `--from ${from.canonical[0]} is after --to ${to.canonical[0]}: the kernel refuses an empty search window`, option: to });
    return out;
  },
  print(ext) {
    const out: string[] = [];
    const pattern = opt(ext, '--string') ?? opt(ext, '--hex-string');
    if (pattern) {
      const printed = printPattern(pattern.values[0] as Uint8Array);
      out.push(...(pattern.negated ? ['!'] : []), printed.option, printed.text);
    }
    const algo = opt(ext, '--algo');
    if (algo) out.push('--algo', algo.canonical[0]);
    const from = opt(ext, '--from');
    if (from && from.values[0] !== 0) out.push('--from', from.canonical[0]);
    const to = opt(ext, '--to');
    if (to && to.values[0] !== 65535) out.push('--to', to.canonical[0]);
    if (opt(ext, '--icase')) out.push('--icase');
    return out;
  },
};

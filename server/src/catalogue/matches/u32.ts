import { BOTH_FAMILIES, MatchModule, ValueGrammar, ValueProblem } from '../types';
import { fail, ok } from '../values';

export type U32Op = '&' | '<<' | '>>' | '@';

/** Value of --u32: tests that must all hold (`&&`). */
export interface U32Test {
  /** First element: read 4 bytes at this offset; then each operator applied in turn. */
  readonly location: ReadonlyArray<{ readonly op?: U32Op; readonly number: number }>;
  /** The result must fall in one of these ranges. */
  readonly ranges: ReadonlyArray<{ readonly min: number; readonly max: number }>;
}

/** Limits of the kernel's u32 structure. */
const MAX_TESTS = 10;
const MAX_RANGES = 10;
const MAX_NUMBERS = 10;

const hex = (n: number): string => '0x' + n.toString(16);

class U32Error extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** Reads the whole program; throws U32Error with the offending position. */
function parseProgram(text: string): U32Test[] {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const number = (): number => {
    skip();
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text.slice(i));
    const value = m ? Number(BigInt(/^0[0-7]/.test(m[1]) ? '0o' + m[1].slice(1) : m[1])) : NaN;
    if (!m || value > 0xffffffff) throw new U32Error(`expected a number from 0 to 0xffffffff at position ${i}`, i);
    i += m[1].length;
    return value;
  };
  const tests: U32Test[] = [];
  for (;;) {
    skip();
    if (i >= text.length) throw new U32Error(tests.length ? "'&&' must be followed by another test" : 'the u32 program is empty: write location=value, e.g. "0>>22&0x3C@12>>26&0x3C@0=0x0"', i);
    if (tests.length === MAX_TESTS) throw new U32Error(`too many tests: at most ${MAX_TESTS} joined with '&&'`, i);
    if (text[i] === '=') throw new U32Error(`a location (byte offset) is missing before '=' at position ${i}`, i);
    const location: Array<{ op?: U32Op; number: number }> = [{ number: number() }];
    for (;;) {
      skip();
      if (i >= text.length) throw new U32Error("the test ends without '=value'", i);
      if (text[i] === '=') break;
      const op = (['<<', '>>', '&', '@'] as const).find((o) => text.startsWith(o, i));
      if (!op) throw new U32Error(`expected '=' or an operator (&, <<, >>, @) at position ${i}`, i);
      if (location.length === MAX_NUMBERS) throw new U32Error(`too many operators in one location: at most ${MAX_NUMBERS - 1}`, i);
      i += op.length;
      skip();
      const start = i;
      const n = number();
      if ((op === '<<' || op === '>>') && n > 31) throw new U32Error(`a shift by ${n} is refused by the kernel: shift by 0 to 31 bits`, start);
      location.push({ op, number: n });
    }
    i++; // '='
    const ranges: Array<{ min: number; max: number }> = [];
    for (;;) {
      if (ranges.length === MAX_RANGES) throw new U32Error(`too many values after '=': at most ${MAX_RANGES}`, i);
      const min = number();
      skip();
      let max = min;
      if (text[i] === ':') {
        i++;
        max = number();
        skip();
      }
      ranges.push({ min, max });
      if (text[i] !== ',') break;
      i++;
    }
    tests.push({ location, ranges });
    if (i >= text.length) return tests;
    if (!text.startsWith('&&', i)) throw new U32Error(`expected ',' or '&&' at position ${i}`, i);
    i += 2;
  }
}

/** How iptables-save writes the program back: hex numbers, no spaces, in double quotes. */
function formatProgram(tests: readonly U32Test[]): string {
  const body = tests
    .map((t) => {
      const loc = t.location.map((e) => (e.op ?? '') + hex(e.number)).join('');
      const values = t.ranges.map((r) => (r.min === r.max ? hex(r.min) : `${hex(r.min)}:${hex(r.max)}`)).join(',');
      return `${loc}=${values}`;
    })
    .join('&&');
  return `"${body}"`;
}

/** Value: U32Test[]. */
const u32Program: ValueGrammar = {
  name: 'u32 tests (location=value[&&...])',
  parse(text) {
    let tests: U32Test[];
    try {
      tests = parseProgram(text);
    } catch (e) {
      if (!(e instanceof U32Error)) throw e;
      return fail(e.message, { at: [Math.min(e.at, text.length), Math.min(e.at + 1, text.length)] });
    }
    const reversed = tests.flatMap((t) => t.ranges).find((r) => r.min > r.max);
    const warning: ValueProblem | undefined = reversed ? { message: `the range ${hex(reversed.min)}:${hex(reversed.max)} is reversed and matches no value` } : undefined;
    return ok(tests, formatProgram(tests), warning);
  },
};

export const u32: MatchModule = {
  kind: 'match',
  name: 'u32',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Tests on 32-bit words read at computed offsets of the packet',
  doc: `Reads 32-bit words from the packet at offsets you choose, masks and shifts them, and compares the result with values or ranges. It can test any header field that no other module offers, and can follow header lengths to reach the payload.

\`\`\`iptables
# drop IPv4 packets that carry IP options (header length above 5 words)
-A INPUT -m u32 --u32 "0>>24&0xF=6:15" -j DROP
\`\`\`

- Offsets count from the start of the IP header. The IPv4 header length varies, so reach the TCP or UDP header with \`@\` and the header length (\`0>>22&0x3C@...\`), not with a fixed 20.
- Each read takes four bytes, big-endian: mask and shift down to the field you want.
- A read beyond the end of the packet makes the test fail quietly instead of reporting an error.
- Fragments after the first have no transport header: test the fragment offset first if you look past the IP header.
- Quote the expression: it contains \`&\` and \`>\`, which a shell would interpret.`,
  options: [{ names: ['--u32'], args: [u32Program], negatable: true, doc: 'Tests joined with `&&`, each `location=value`, where the value is a list of numbers or `from:to` ranges separated by commas. A location is a byte offset read as a 32-bit word, then `&mask`, `<<n`, `>>n`, or `@` to move to the offset computed so far and read from there.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m u32 needs --u32 "location=value"' }] : [];
  },
};

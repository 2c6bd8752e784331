import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { findOption as find } from '../parsed';

/** XT_BPF_MAX_NUM_INSTR. */
const MAX_INSTRUCTIONS = 64;
/** BPF_MEMWORDS: scratch memory slots. */
const MEM_WORDS = 16;

export interface BpfInstruction {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

/** Classic BPF opcodes the kernel accepts (net/core/filter.c). */
const VALID_CODES = new Set([
  // ALU, K and X forms
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4, 0xac,
  // loads
  0x00, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x60, 0x80, 0x01, 0x61, 0x81, 0xb1,
  // stores
  0x02, 0x03,
  // jumps
  0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d,
  // return, misc
  0x06, 0x16, 0x07, 0x87,
]);
const JA = 0x05;
const isJump = (code: number) => (code & 0x07) === 0x05;
const isReturn = (code: number) => code === 0x06 || code === 0x16;

/** Parses `%u` as C's sscanf does: decimal digits, wrapping modulo 2^bits; a sign is allowed. */
function scanUnsigned(word: string, bits: number): number | undefined {
  const m = /^([+-]?)(\d+)/.exec(word);
  if (!m) return undefined;
  const mod = 2n ** BigInt(bits);
  let v = BigInt(m[2]) % mod;
  if (m[1] === '-') v = (mod - v) % mod;
  return Number(v);
}

/** Why the kernel would refuse the program, or undefined (bpf_check_classic, simplified). */
function kernelProblem(prog: readonly BpfInstruction[]): string | undefined {
  // Scratch slots known to be written on every path to each instruction (jumps go forward only).
  const stored: (number | undefined)[] = new Array(prog.length + 1).fill(undefined);
  stored[0] = 0;
  for (let pc = 0; pc < prog.length; pc++) {
    const { code, jt, jf, k } = prog[pc];
    const n = pc + 1;
    if (!VALID_CODES.has(code)) return `instruction ${n} has an unknown opcode ${code}`;
    if ((code === 0x34 || code === 0x94) && k === 0) return `instruction ${n} divides by the constant 0`;
    if ((code === 0x64 || code === 0x74) && k >= 32) return `instruction ${n} shifts by ${k} bits (at most 31)`;
    const memAccess = code === 0x60 || code === 0x61 || code === 0x02 || code === 0x03;
    if (memAccess && k >= MEM_WORDS) return `instruction ${n} uses scratch slot ${k}, but there are only ${MEM_WORDS}`;
    let known = stored[pc] ?? 0;
    if ((code === 0x60 || code === 0x61) && !(known & (1 << k))) return `instruction ${n} reads scratch slot ${k} before it is stored on every path`;
    if (code === 0x02 || code === 0x03) known |= 1 << k;
    const targets: number[] = [];
    if (code === JA) {
      if (k >= prog.length - n) return `instruction ${n} jumps past the end of the program`;
      targets.push(n + k);
    } else if (isJump(code)) {
      if (n + jt >= prog.length || n + jf >= prog.length) return `instruction ${n} jumps past the end of the program`;
      targets.push(n + jt, n + jf);
    } else if (!isReturn(code)) targets.push(n);
    for (const t of targets) stored[t] = stored[t] === undefined ? known : (stored[t]! & known);
  }
  if (!isReturn(prog[prog.length - 1].code)) return 'the last instruction must be a return (opcode 6 or 22)';
  return undefined;
}

/**
 * `N,code jt jf k,...` as nfbpf_compile or tcpdump -ddd print it: the instruction count,
 * then one comma-separated instruction of four decimal numbers. iptables reads them with
 * sscanf (so out-of-range numbers wrap and extra words are ignored); the kernel then
 * checks the program. Value: BpfInstruction[].
 */
const bytecode: ValueGrammar = {
  name: 'BPF program (N,code jt jf k,...)',
  parse(text) {
    const comma = text.indexOf(',');
    const countText = comma === -1 ? text : text.slice(0, comma);
    const count = /^\s*\d+$/.test(countText) ? Number(countText.trim()) : undefined;
    if (comma === -1 || count === undefined) return fail(`'${countText}' is not an instruction count: the program starts with the number of instructions, then a comma`, { at: [0, countText.length] });
    if (count === 0) return fail('A BPF program needs at least one instruction');
    if (count > MAX_INSTRUCTIONS) return fail(`The program has ${count} instructions: at most ${MAX_INSTRUCTIONS} are allowed`);
    const parts = text.slice(comma + 1).split(',');
    // A trailing comma is harmless.
    if (parts.length > 1 && parts[parts.length - 1].trim() === '') parts.pop();
    const words = parts.map((p) => p.trim().split(/\s+/).filter((w) => w !== ''));
    const prog: BpfInstruction[] = [];
    for (const [i, w] of words.entries()) {
      const fields = [scanUnsigned(w[0] ?? '', 16), scanUnsigned(w[1] ?? '', 8), scanUnsigned(w[2] ?? '', 8), scanUnsigned(w[3] ?? '', 32)];
      if (fields.some((f) => f === undefined)) return fail(`Instruction ${i + 1} ('${w.join(' ')}') needs four decimal numbers: code jt jf k`);
      const [code, jt, jf, k] = fields as number[];
      prog.push({ code, jt, jf, k });
    }
    if (prog.length !== count)
      return fail(`The program announces ${count} instruction${count === 1 ? '' : 's'} but has ${prog.length}: the first number must be the instruction count`);
    const problem = kernelProblem(prog);
    if (problem) return fail(`The kernel would refuse this BPF program: ${problem}`);
    return ok(prog, `"${count},${prog.map((p) => `${p.code} ${p.jt} ${p.jf} ${p.k}`).join(',')}"`);
  },
};

/** A path to an eBPF program pinned in the bpf filesystem (checked when the rule is loaded). Value: the path. */
const pinnedPath: ValueGrammar = {
  name: 'path of a pinned eBPF object',
  parse(text) {
    return text.length === 0 ? fail('Empty path') : ok(text, text);
  },
};

export const bpf: MatchModule = {
  kind: 'match',
  name: 'bpf',
  families: BOTH_FAMILIES,
  summary: 'Runs a BPF program on the packet (classic bytecode or a pinned eBPF object)',
  doc: `Runs a small BPF program on the packet and matches when it returns non-zero. You give either classic BPF bytecode, as printed by \`tcpdump -ddd\` or nfbpf_compile, or the path of an eBPF program pinned in the bpf filesystem. Use it for tests that no other module offers.

\`\`\`iptables
# load the TTL byte; match when it is below 2
-A INPUT -m bpf --bytecode "4,48 0 0 8,53 1 0 2,6 0 0 1,6 0 0 0" -j DROP
\`\`\`

- The program sees the packet from the IP header on, with no Ethernet header. Generate it for a device of link type RAW (a tun device), or every offset is 14 bytes off.
- The whole program is one argument: in a rules file, put it in double quotes.
- Classic programs have at most 64 instructions, and the kernel checks them when the rule loads. A pinned eBPF program must exist at that moment too.`,
  options: [
    { names: ['--bytecode'], args: [bytecode], doc: 'Classic BPF program in decimal: the instruction count, then one `code jt jf k` group per instruction, all separated by commas.' },
    { names: ['--object-pinned'], args: [pinnedPath], doc: 'Path of an eBPF program pinned in the bpf filesystem, usually under /sys/fs/bpf. It must exist when the rule is loaded.' },
  ],
  check(ext) {
    const code = find(ext, '--bytecode');
    const pinned = find(ext, '--object-pinned');
    if (!code && !pinned) return [{ kind: 'missing-required-option', message: '-m bpf needs --bytecode "N,code jt jf k,..." or --object-pinned PATH' }];
    if (code && pinned) return [{ kind: 'conflicting-options', message: '--bytecode and --object-pinned exclude each other: give the program one way', option: code.index > pinned.index ? code : pinned }];
    return [];
  },
};

import { BOTH_FAMILIES, ParsedOption, TargetSpec } from '../types';
import { uint } from '../values';
import { bits32, hex, formatXMark, setMark, xmark } from '../grammars/mark-xmark';
import { exactlyOne, xmarkOf } from './mark';

const SET_MODES = ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'];
const MODES = [...SET_MODES, '--save-mark', '--restore-mark'];
const ALL = 0xffffffff;

const shiftBits = uint('number of bits', 0, 31);

export const CONNMARK: TargetSpec = {
  kind: 'target',
  name: 'CONNMARK',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Set the connection mark, or copy marks between the packet and its connection',
  doc: `CONNMARK works on the connection mark: a 32-bit number conntrack keeps with the connection, so it lasts for all its packets in both directions. It sets that mark, or copies bits between it and the packet mark (fwmark). The packet goes on to the next rule.

It works in any table. Restoring the packet mark belongs in mangle PREROUTING and OUTPUT, where routing can still use it.

\`\`\`iptables
*mangle
-A PREROUTING -j CONNMARK --restore-mark
-A PREROUTING -m mark ! --mark 0 -j ACCEPT
-A PREROUTING -i eth1 -j MARK --set-mark 0x1
-A PREROUTING -i eth2 -j MARK --set-mark 0x2
-A PREROUTING -j CONNMARK --save-mark
COMMIT
\`\`\`

- Mark first, save after: \`--save-mark\` copies whatever the packet mark is at that moment.
- Like the packet mark, the connection mark never leaves the host.
- Use masks when other software uses mark bits too.`,
  options: [
    { names: ['--set-xmark'], args: [xmark], doc: `\`value[/mask]\`: clears the \`mask\` bits of the connection mark (all 32 when left out), then flips the \`value\` bits. iptables-save prints every set operation in this form.` },
    { names: ['--save-mark'], args: [], doc: `Copies the packet mark into the connection mark. \`--nfmask\` chooses the packet bits to copy, \`--ctmask\` the connection bits to replace.` },
    { names: ['--restore-mark'], args: [], doc: `Copies the connection mark into the packet mark, typically as the first rule in PREROUTING and OUTPUT. \`--ctmask\` chooses the connection bits to copy, \`--nfmask\` the packet bits to replace.` },
    { names: ['--and-mark'], args: [bits32('mark bits')], doc: `Keeps only the connection-mark bits that are also set in this number.` },
    { names: ['--or-mark'], args: [bits32('mark bits')], doc: `Sets the bits of this number in the connection mark.` },
    { names: ['--xor-mark'], args: [bits32('mark bits')], doc: `Flips the bits of this number in the connection mark.` },
    { names: ['--set-mark'], args: [setMark], doc: `\`value[/mask]\`: sets the connection-mark bits under \`mask\` to \`value\`; without a mask the whole connection mark becomes \`value\`.` },
    { names: ['--nfmask'], args: [bits32('mask')], doc: `Which packet-mark bits take part: the bits copied by \`--save-mark\`, the bits replaced by \`--restore-mark\`. Default: all 32.` },
    { names: ['--ctmask'], args: [bits32('mask')], doc: `Which connection-mark bits take part: the bits replaced by \`--save-mark\`, the bits copied by \`--restore-mark\`. Default: all 32.` },
    { names: ['--mask'], args: [bits32('mask')], doc: `Sets \`--nfmask\` and \`--ctmask\` to the same value, so only these bits are copied and replaced.` },
    { names: ['--left-shift-mark'], args: [shiftBits], doc: `Shifts the copied bits left by this many places (0 to 31) before storing them, to move a field to another part of the mark.` },
    { names: ['--right-shift-mark'], args: [shiftBits], doc: `Shifts the copied bits right by this many places (0 to 31) before storing them, to move a field to another part of the mark.` },
  ],
  check(ext) {
    const problems = exactlyOne(ext, MODES, 'CONNMARK', 'e.g. --set-mark 0x1, --save-mark or --restore-mark');
    const get = (n: string) => ext.options.find((o) => o.spec.names[0] === n);
    const mask = get('--mask');
    for (const other of [get('--nfmask'), get('--ctmask')])
      if (mask && other) {
        const later = mask.index > other.index ? mask : other;
        problems.push({ kind: 'conflicting-options', message: `--mask sets both --nfmask and --ctmask: give either --mask or the two separate masks`, option: later });
      }
    const mode = ext.options.find((o) => MODES.includes(o.spec.names[0]));
    const nfmask = get('--nfmask');
    if (mode && SET_MODES.includes(mode.spec.names[0]) && nfmask)
      problems.push({ kind: 'suspicious-value', message: `--nfmask has no effect with ${mode.written}: it only applies to --save-mark and --restore-mark`, option: nfmask });
    const shifts = ext.options.filter((o) => o.spec.names[0].endsWith('-shift-mark')).sort((a, b) => a.index - b.index);
    if (shifts.length > 1)
      problems.push({ kind: 'suspicious-value', message: `Only the last shift counts: ${shifts[0].written} is overridden by ${shifts[shifts.length - 1].written}`, option: shifts[0] });
    return problems;
  },
  // iptables-save prints the operation as the kernel keeps it: --set-xmark with its final
  // mask, or --save-mark/--restore-mark with both masks, then a non-zero shift.
  print(ext) {
    const ordered = [...ext.options].sort((a, b) => a.index - b.index);
    const mode = ordered.find((o) => MODES.includes(o.spec.names[0]));
    if (!mode) return [];
    const out: string[] = [];
    const value = (o: ParsedOption | undefined) => (o ? (o.values[0] as number) : undefined);
    const get = (n: string) => ordered.find((o) => o.spec.names[0] === n);
    if (SET_MODES.includes(mode.spec.names[0])) {
      // The mask is what was set last: the mode's own mask, or a later --ctmask/--mask.
      let m = xmarkOf(mode)!;
      for (const o of ordered)
        if (o.index > mode.index && (o.spec.names[0] === '--ctmask' || o.spec.names[0] === '--mask')) m = { ...m, mask: value(o)! };
      out.push('--set-xmark', formatXMark(m));
    } else {
      const nf = value(get('--nfmask')) ?? value(get('--mask')) ?? ALL;
      const ct = value(get('--ctmask')) ?? value(get('--mask')) ?? ALL;
      out.push(mode.spec.names[0], '--nfmask', hex(nf), '--ctmask', hex(ct));
    }
    const shifts = ordered.filter((o) => o.spec.names[0].endsWith('-shift-mark'));
    const shift = shifts[shifts.length - 1];
    if (shift && value(shift)) out.push(shift.spec.names[0], String(value(shift)));
    return out;
  },
};

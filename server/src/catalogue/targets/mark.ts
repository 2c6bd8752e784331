import { BOTH_FAMILIES, ExtensionProblem, ParsedExtension, ParsedOption, TargetSpec } from '../types';
import { andMark, bits32, formatXMark, orMark, setMark, XMark, xmark, xorMark } from '../grammars/mark-xmark';

/** The operation an option stands for, as the kernel's "clear mask, XOR value". */
export function xmarkOf(o: ParsedOption): XMark | undefined {
  const v = o.values[0];
  if (v === undefined) return undefined;
  switch (o.spec.names[0]) {
    case '--and-mark':
      return andMark(v as number);
    case '--or-mark':
      return orMark(v as number);
    case '--xor-mark':
      return xorMark(v as number);
    default:
      return v as XMark;
  }
}

/** Options of which exactly one must be given (`what` names the target in messages). */
export function exactlyOne(ext: ParsedExtension, names: readonly string[], what: string, hint: string): ExtensionProblem[] {
  const used = ext.options.filter((o) => names.includes(o.spec.names[0])).sort((a, b) => a.index - b.index);
  if (used.length === 0) return [{ kind: 'missing-required-option', message: `${what} needs one of ${names.join(', ')} (${hint})` }];
  return used.slice(1).map((o) => ({
    kind: 'conflicting-options',
    message: `${o.written} cannot be combined with ${used[0].written}: ${what} takes one operation per rule`,
    option: o,
  }));
}

const MODES = ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'];

export const MARK: TargetSpec = {
  kind: 'target',
  name: 'MARK',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Set or change the packet mark (fwmark), for policy routing, tc or later rules',
  options: [
    { names: ['--set-xmark'], args: [xmark] },
    { names: ['--set-mark'], args: [setMark] },
    { names: ['--and-mark'], args: [bits32('mark bits')] },
    { names: ['--or-mark'], args: [bits32('mark bits')] },
    { names: ['--xor-mark'], args: [bits32('mark bits')] },
  ],
  check: (ext) => exactlyOne(ext, MODES, 'MARK', 'e.g. --set-mark 0x1'),
  // Every form is printed as the --set-xmark operation it amounts to.
  print(ext) {
    const o = ext.options.find((x) => MODES.includes(x.spec.names[0]));
    const m = o && xmarkOf(o);
    return m ? ['--set-xmark', formatXMark(m)] : [];
  },
};

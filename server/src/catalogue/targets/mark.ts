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
  doc: `MARK sets the packet's firewall mark (fwmark), a 32-bit number that exists only inside this host while the packet passes through. The packet itself is not changed and goes on to the next rule.

Other parts of the host read the mark: policy routing (\`ip rule add fwmark ...\`), tc filters, and later rules with \`-m mark\`. To steer routing, set it in mangle PREROUTING for arriving traffic, or mangle OUTPUT for traffic the host sends.

\`\`\`iptables
*mangle
-A PREROUTING -i eth1 -s 192.168.2.0/24 -j MARK --set-mark 0x2/0xff
COMMIT
\`\`\`

- The mark never leaves the machine: the next router does not see it.
- It belongs to one packet. To mark a whole connection, use CONNMARK \`--save-mark\` and \`--restore-mark\`.
- POSTROUTING is too late to change the route.
- VPN clients, Docker or Kubernetes use mark bits too: change only your own bits with a mask.`,
  options: [
    { names: ['--set-xmark'], args: [xmark], doc: `\`value[/mask]\`: clears the bits of \`mask\` (all 32 when left out), then flips the bits of \`value\`. iptables-save prints every MARK rule in this form.` },
    { names: ['--set-mark'], args: [setMark], doc: `\`value[/mask]\`: sets the bits under \`mask\` to \`value\` and leaves the others alone. Without a mask the whole mark becomes \`value\`.` },
    { names: ['--and-mark'], args: [bits32('mark bits')], doc: `Keeps only the mark bits that are also set in this number; the others become 0.` },
    { names: ['--or-mark'], args: [bits32('mark bits')], doc: `Sets the bits of this number in the mark, leaving the other bits as they are.` },
    { names: ['--xor-mark'], args: [bits32('mark bits')], doc: `Flips the bits of this number in the mark.` },
  ],
  check: (ext) => exactlyOne(ext, MODES, 'MARK', 'e.g. --set-mark 0x1'),
  // Every form is printed as the --set-xmark operation it amounts to.
  print(ext) {
    const o = ext.options.find((x) => MODES.includes(x.spec.names[0]));
    const m = o && xmarkOf(o);
    return m ? ['--set-xmark', formatXMark(m)] : [];
  },
};

import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ValueGrammar } from '../types';
import { fail, ok, uint } from '../values';
import { findOption, portRangeFor, printSkippingFullRanges } from '../grammars/header';

/** TCP flag names with their bits, in the order iptables prints them. */
export const TCP_FLAGS: ReadonlyArray<readonly [string, number]> = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
  ['ALL', 0x3f],
  ['NONE', 0],
];

/** Prints a flag set as libxt_tcp's print_tcpf does (ALL comes out as the six names). */
export function formatTcpFlags(bits: number): string {
  const names: string[] = [];
  let rest = bits;
  while (rest) {
    const entry = TCP_FLAGS.find(([, bit]) => (rest & bit) !== 0)!;
    names.push(entry[0]);
    rest &= ~entry[1];
  }
  return names.length ? names.join(',') : 'NONE';
}

/** A comma-separated set of TCP flags (any case; empty entries are skipped as iptables does). Value: the flag bits. */
export const tcpFlagSet: ValueGrammar = {
  name: 'TCP flags (SYN,ACK,FIN,RST,URG,PSH,ALL,NONE)',
  choices: TCP_FLAGS.map(([n]) => n),
  parse(text) {
    let bits = 0;
    let offset = 0;
    for (const part of text.split(',')) {
      if (part === '') {
        offset += 1;
        continue;
      }
      const entry = TCP_FLAGS.find(([n]) => n === part.toUpperCase());
      if (!entry) return fail(`Unknown TCP flag '${part}': use SYN, ACK, FIN, RST, URG, PSH, ALL or NONE`, { at: [offset, offset + part.length] });
      bits |= entry[1];
      offset += part.length + 1;
    }
    return ok(bits, formatTcpFlags(bits));
  },
};

const SYN_MASK = 0x01 | 0x02 | 0x04 | 0x10; // FIN,SYN,RST,ACK

// libxt_tcp looks service names up for tcp only. Value: { min, max } port range.
const tcpPorts = portRangeFor('tcp');

export const tcp: MatchModule = {
  kind: 'match',
  name: 'tcp',
  families: BOTH_FAMILIES,
  protocols: ['tcp'],
  summary: 'TCP ports, flags and options',
  doc: `Tests fields of the TCP header: ports, flags and options. iptables loads it by itself when a TCP option follows \`-p tcp\`; iptables-save always writes the \`-m tcp\` explicitly.

\`\`\`iptables
-A INPUT -p tcp --dport 22 -j ACCEPT
-A INPUT -p tcp ! --syn -m conntrack --ctstate NEW -j DROP
\`\`\`

- \`--dport\` without \`-p tcp\` before it fails with *unknown option*.
- \`--syn\` matches only the opening packet of a connection. \`! --syn\` means "any other TCP packet", which is not the same as "established": use conntrack for that.
- \`--tcp-flags SYN,ACK SYN\` looks at two flags only, so SYN+FIN and SYN+RST probes match too. \`--syn\` also checks FIN and RST.
- Fragments after the first carry no TCP header: a port test never matches them.`,
  options: [
    // In the order iptables-save prints them (--syn comes out as --tcp-flags).
    { names: ['--sport', '--source-port'], args: [tcpPorts], negatable: true, doc: 'The source port, or a range `first:last` (an open end means 0 or 65535). A service name such as `ssh` is looked up in /etc/services when the rule is loaded.' },
    { names: ['--dport', '--destination-port'], args: [tcpPorts], negatable: true, doc: 'The destination port, or a range `first:last` (an open end means 0 or 65535). Service names work too; iptables-save prints the number.' },
    // Value: option number.
    { names: ['--tcp-option'], args: [uint('TCP option number', 1, 255)], negatable: true, doc: 'True when the header carries the TCP option with this kind number: 2 is MSS, 3 window scale, 4 SACK permitted, 8 timestamps.' },
    // Values: flag bits examined, flag bits that must be set among them.
    { names: ['--tcp-flags'], args: [tcpFlagSet, tcpFlagSet], negatable: true, doc: 'Two comma-separated lists: the flags to look at, then the ones among them that must be set (the others looked at must be clear). `ALL` stands for the six flags, `NONE` for none.' },
    { names: ['--syn'], args: [], negatable: true, doc: 'The first packet of a TCP handshake: SYN set, ACK, RST and FIN clear. It is short for `--tcp-flags FIN,SYN,RST,ACK SYN`, the form iptables-save writes.' },
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    const syn = findOption(ext, '--syn');
    const flags = findOption(ext, '--tcp-flags');
    if (syn && flags) problems.push({ kind: 'conflicting-options', message: '--syn is shorthand for --tcp-flags FIN,SYN,RST,ACK SYN: use only one of them', option: flags.index > syn.index ? flags : syn });
    const [mask, cmp] = (flags?.values ?? []) as [number | undefined, number | undefined];
    // The kernel compares (flags & mask) with the second set, so a flag outside the mask can never be equal.
    if (flags && mask !== undefined && cmp !== undefined && (cmp & ~mask) !== 0)
      problems.push({
        kind: 'suspicious-value',
        message: `--tcp-flags ${flags.canonical[0]} ${flags.canonical[1]}: ${formatTcpFlags(cmp & ~mask)} is not among the examined flags, so the test ${flags.negated ? 'is always true' : 'never matches'}; add it to the first list or drop it from the second`,
        option: flags,
      });
    return problems;
  },
  print(ext) {
    const syn = findOption(ext, '--syn');
    const flags = findOption(ext, '--tcp-flags');
    const rest = { ...ext, options: ext.options.filter((o) => o !== syn && o !== flags) };
    const out = printSkippingFullRanges(tcp, rest, { '--sport': 65535, '--dport': 65535 });
    if (syn) out.push(...(syn.negated ? ['!'] : []), '--tcp-flags', formatTcpFlags(SYN_MASK), 'SYN');
    // The second set is printed as given, even with flags outside the mask.
    else if (flags && (flags.values[0] !== 0 || flags.negated)) out.push(...(flags.negated ? ['!'] : []), '--tcp-flags', flags.canonical[0], flags.canonical[1]);
    return out;
  },
};

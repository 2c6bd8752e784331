import { BOTH_FAMILIES, MatchModule, ParsedExtension, ParsedOption } from '../types';
import { fail, ok, portRange, PortRangeValue, uint } from '../values';
import { ValueGrammar } from '../types';

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

/** A comma-separated set of TCP flags (case-insensitive, as iptables reads them). */
export const tcpFlagSet: ValueGrammar = {
  name: 'TCP flags (SYN,ACK,FIN,RST,URG,PSH,ALL,NONE)',
  choices: TCP_FLAGS.map(([n]) => n),
  parse(text) {
    let bits = 0;
    let offset = 0;
    for (const part of text.split(',')) {
      const entry = TCP_FLAGS.find(([n]) => n === part.toUpperCase());
      if (!entry) return fail(`Unknown TCP flag '${part}': use SYN, ACK, FIN, RST, URG, PSH, ALL or NONE`, { at: [offset, offset + part.length] });
      bits |= entry[1];
      offset += part.length + 1;
    }
    return ok(bits, formatTcpFlags(bits));
  },
};

const SYN_MASK = 0x01 | 0x02 | 0x04 | 0x10; // FIN,SYN,RST,ACK

const option = (ext: ParsedExtension, name: string): ParsedOption | undefined => ext.options.find((o) => o.spec.names[0] === name);

function printPorts(o: ParsedOption | undefined, name: string): string[] {
  if (!o || o.values[0] === undefined) return o ? [...(o.negated ? ['!'] : []), name, o.canonical[0]] : [];
  const v = o.values[0] as PortRangeValue;
  const full = v.min === 0 && v.max === 65535;
  if (full && !o.negated) return [];
  return [...(o.negated ? ['!'] : []), name, full ? '0:65535' : o.canonical[0]];
}

export const tcp: MatchModule = {
  kind: 'match',
  name: 'tcp',
  families: BOTH_FAMILIES,
  protocols: ['tcp'],
  summary: 'TCP ports, flags and options',
  options: [
    { names: ['--sport', '--source-port'], args: [portRange], negatable: true },
    { names: ['--dport', '--destination-port'], args: [portRange], negatable: true },
    { names: ['--tcp-flags'], args: [tcpFlagSet, tcpFlagSet], negatable: true },
    { names: ['--syn'], args: [], negatable: true },
    { names: ['--tcp-option'], args: [uint('TCP option number', 1, 255)], negatable: true },
  ],
  check(ext) {
    const syn = option(ext, '--syn');
    const flags = option(ext, '--tcp-flags');
    if (syn && flags) return [{ kind: 'conflicting-options', message: '--syn is shorthand for --tcp-flags FIN,SYN,RST,ACK SYN: use only one of them', option: flags.index > syn.index ? flags : syn }];
    return [];
  },
  print(ext) {
    const out = [...printPorts(option(ext, '--sport'), '--sport'), ...printPorts(option(ext, '--dport'), '--dport')];
    const opt = option(ext, '--tcp-option');
    if (opt) out.push(...(opt.negated ? ['!'] : []), '--tcp-option', opt.canonical[0]);
    const syn = option(ext, '--syn');
    const flags = option(ext, '--tcp-flags');
    if (syn) out.push(...(syn.negated ? ['!'] : []), '--tcp-flags', formatTcpFlags(SYN_MASK), 'SYN');
    else if (flags) {
      const [mask, cmp] = flags.values as [number | undefined, number | undefined];
      const cmpText = mask !== undefined && cmp !== undefined ? formatTcpFlags(cmp & mask) : flags.canonical[1];
      if (mask !== 0 || flags.negated) out.push(...(flags.negated ? ['!'] : []), '--tcp-flags', flags.canonical[0], cmpText);
    }
    return out;
  },
};

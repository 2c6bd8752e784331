import { ExtensionProblem, MatchModule, OptionSpec, ParsedOption, ValueGrammar } from '../types';
import { HostValue, parseMaskedAddress, uint } from '../values';
import { formatAddress, parseIPv6 } from '../addresses';

/**
 * `address[/mask]` of a segment. Value: HostValue (the address as compared, i.e. masked).
 * iptables-save prints the address as written, not masked, and always with a prefix.
 */
const sid: ValueGrammar = {
  name: 'address[/mask]',
  parse(text) {
    const r = parseMaskedAddress(text, 'ipv6');
    if (!r.ok || (r.value as HostValue).hostname) return r;
    const m = (r.value as HostValue).addresses[0];
    const written = parseIPv6(text.split('/')[0])!;
    const mask = m.prefix !== undefined ? String(m.prefix) : formatAddress('ipv6', m.mask);
    return { ...r, canonical: `${formatAddress('ipv6', written)}/${mask}` };
  },
};

/** Comparisons on one header field; iptables stores one number per field, shared by -eq/-gt/-lt. */
const FIELDS = ['hdr-len', 'segs-left', 'last-entry'] as const;
const field = (o: ParsedOption): string | undefined => FIELDS.find((f) => o.spec.names[0].startsWith(`--srh-${f}-`));

const byte = uint('value', 0, 255);
const compare = (f: string): OptionSpec[] => ['eq', 'gt', 'lt'].map((op) => ({ names: [`--srh-${f}-${op}`], args: [byte], negatable: true }));

export const srh: MatchModule = {
  kind: 'match',
  name: 'srh',
  families: ['ipv6'],
  summary: 'Fields of the IPv6 Segment Routing header (SRv6)',
  options: [
    // Values: numbers (next header 0-255; lengths and indexes 0-255; tag 0-65535).
    { names: ['--srh-next-hdr'], args: [uint('next header', 0, 255)], negatable: true },
    ...FIELDS.flatMap(compare),
    { names: ['--srh-tag'], args: [uint('tag', 0, 65535)], negatable: true },
    { names: ['--srh-psid'], args: [sid], negatable: true },
    { names: ['--srh-nsid'], args: [sid], negatable: true },
    { names: ['--srh-lsid'], args: [sid], negatable: true },
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    for (const f of FIELDS) {
      const same = ext.options.filter((o) => field(o) === f).sort((a, b) => a.index - b.index);
      if (same.length < 2) continue;
      const last = same[same.length - 1];
      problems.push({
        kind: 'suspicious-value',
        message: `${same.map((o) => o.written).join(' and ')} share one stored value in iptables, so ${same.length === 2 ? 'both' : 'all'} compare with ${last.canonical[0]} (the last value given): keep a single comparison`,
        option: last,
      });
    }
    return problems;
  },
  // Each comparison is printed with the value its field ended up with.
  print(ext) {
    const out: string[] = [];
    for (const spec of srh.options) {
      for (const o of ext.options) {
        if (o.spec !== spec) continue;
        const f = field(o);
        const last = f ? ext.options.filter((x) => field(x) === f).sort((a, b) => b.index - a.index)[0] : o;
        out.push(...(o.negated ? ['!'] : []), spec.names[0], last.canonical[0]);
      }
    }
    return out;
  },
};

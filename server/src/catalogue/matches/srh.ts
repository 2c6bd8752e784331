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
/** Hover text: what each field holds, and how each comparison reads. */
const FIELD_DOCS: Readonly<Record<(typeof FIELDS)[number], string>> = {
  'hdr-len': 'the Hdr Ext Len field (the header size in 8-byte units, the first 8 bytes not counted)',
  'segs-left': 'the Segments Left field (how many segments the packet still has to visit)',
  'last-entry': 'the Last Entry field (the index of the last segment in the list: the number of segments minus one)',
};
const OP_DOCS: Readonly<Record<string, string>> = { eq: 'equals', gt: 'is greater than', lt: 'is less than' };
const compare = (f: (typeof FIELDS)[number]): OptionSpec[] =>
  ['eq', 'gt', 'lt'].map((op) => ({ names: [`--srh-${f}-${op}`], args: [byte], negatable: true, doc: `True when ${FIELD_DOCS[f]} ${OP_DOCS[op]} this number.` }));

export const srh: MatchModule = {
  kind: 'match',
  name: 'srh',
  families: ['ipv6'],
  summary: 'Fields of the IPv6 Segment Routing header (SRv6)',
  doc: `Tests the Segment Routing header of SRv6 (routing type 4): the list of segments a packet is steered through, and the counters that track its progress. Use it on SRv6 routers to filter by the path a packet claims to follow.

\`\`\`iptables
-A FORWARD -m srh ! --srh-lsid 2001:db8::/32 -j DROP
\`\`\`

- The -eq, -gt and -lt tests of one field share one stored number: two comparisons on the same field both use the last value given. Load \`-m srh\` twice for a range.
- \`--srh-psid\` never matches on the first segment, and \`--srh-nsid\` never on the last, because there is no previous or next segment there.
- Lengths and counters are the raw header fields: the header length counts 8-byte units after the first 8 bytes.`,
  options: [
    // Values: numbers (next header 0-255; lengths and indexes 0-255; tag 0-65535).
    { names: ['--srh-next-hdr'], args: [uint('next header', 0, 255)], negatable: true, doc: 'The Next Header field: the protocol number of what follows the SRH (41 for an encapsulated IPv6 packet, 4 for IPv4, 6 for TCP ...).' },
    ...FIELDS.flatMap(compare),
    { names: ['--srh-tag'], args: [uint('tag', 0, 65535)], negatable: true, doc: 'The Tag field, a 16-bit label that marks packets as members of a class or group.' },
    { names: ['--srh-psid'], args: [sid], negatable: true, doc: 'The previous segment, the one the packet has just visited, as `address[/prefix]`.' },
    { names: ['--srh-nsid'], args: [sid], negatable: true, doc: 'The next segment, where the packet goes after the current one, as `address[/prefix]`.' },
    { names: ['--srh-lsid'], args: [sid], negatable: true, doc: 'The last segment of the path, the final destination in the SR domain, as `address[/prefix]`.' },
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

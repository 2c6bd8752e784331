import { BOTH_FAMILIES, ExtensionProblem, Family, ParsedExtension, ParsedOption, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';
import { maskPrefix, parseIPv6 } from '../addresses';
import { cNumber, findOption } from '../grammars/mangle-targets';

/**
 * inet_aton's reading of an IPv4 mask: one to four parts in C syntax, the last part
 * filling the remaining bytes (`255.255` is 255.0.0.255). undefined when it is no address.
 */
function inetAton(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const nums = parts.map((p) => (/^\s|\s$/.test(p) ? undefined : parseCUnsigned(p)));
  if (nums.some((n) => n === undefined)) return undefined;
  const last = nums.length - 1;
  let value = 0n;
  for (let i = 0; i < last; i++) {
    if (nums[i]! > 255n) return undefined;
    value |= nums[i]! << BigInt(24 - 8 * i);
  }
  const room = 32 - 8 * last;
  if (nums[last]! >= 1n << BigInt(room)) return undefined;
  return value | nums[last]!;
}

/**
 * A prefix length (0-32 / 0-128) or a netmask, as --hmark-src-prefix takes it. Value: the
 * prefix length. A mask that is not a prefix (or an IPv4 number above 32, which iptables
 * reads as an address) makes iptables use every address bit; that is accepted with a warning.
 */
const hmarkPrefix: ValueGrammar = {
  name: 'prefix length or netmask',
  parse(text, ctx) {
    const bits = ctx.family === 'ipv4' ? 32 : 128;
    const n = parseCUnsigned(text);
    if (n !== undefined && n <= BigInt(bits)) return ok(Number(n), String(n));
    const mask = ctx.family === 'ipv4' ? inetAton(text) : parseIPv6(text);
    if (mask === undefined) return fail(`'${text}' is neither a prefix length (0 to ${bits}) nor a netmask`);
    const prefix = maskPrefix(ctx.family, mask);
    if (prefix !== undefined) return ok(prefix, String(prefix));
    return ok(bits, String(bits), {
      message: `'${text}' is a netmask that is not a prefix: iptables then hashes all ${bits} address bits. Write a prefix length from 0 to ${bits}`,
      kind: 'suspicious-value',
    });
  },
};

/** Tuple members in the order iptables tries them; a member may be abbreviated, any case. */
const TUPLE_MEMBERS = ['ct', 'src', 'dst', 'sport', 'dport', 'proto', 'spi'] as const;
type TupleMember = (typeof TUPLE_MEMBERS)[number];

/** `src,dst,sport,...`. Value: the members, spelt out, without repeats (TupleMember[]). */
const hmarkTuple: ValueGrammar = {
  name: 'tuple (src,dst,sport,dport,spi,proto,ct)',
  choices: [...TUPLE_MEMBERS],
  parse(text) {
    const members: TupleMember[] = [];
    let offset = 0;
    for (const part of text.split(',')) {
      const m = part === '' ? undefined : TUPLE_MEMBERS.find((name) => name.startsWith(part.toLowerCase()));
      if (!m)
        return fail(part === '' ? `Empty member in tuple '${text}': write members separated by single commas, e.g. src,dst,sport,dport,proto` : `'${part}' is not a tuple member: use src, dst, sport, dport, spi, proto or ct`, {
          at: [offset, offset + part.length],
        });
      if (!members.includes(m)) members.push(m);
      offset += part.length + 1;
    }
    return ok(members, members.join(','));
  },
};

/** The packet field each tuple member selects, as the explicit option that does the same. */
const MEMBER_OPTION: Readonly<Record<Exclude<TupleMember, 'ct'>, string>> = {
  src: '--hmark-src-prefix',
  dst: '--hmark-dst-prefix',
  sport: '--hmark-sport-mask',
  dport: '--hmark-dport-mask',
  proto: '--hmark-proto-mask',
  spi: '--hmark-spi-mask',
};

/** The value a tuple member puts into its option: every bit. */
const fullValue = (opt: string, family: Family): number =>
  opt.endsWith('-prefix') ? (family === 'ipv4' ? 32 : 128) : opt === '--hmark-spi-mask' ? 0xffffffff : 0xffff;

const u16 = (name: string) => cNumber(name, 0, 0xffff, 4);
const u32hex = (name: string) => cNumber(name, 0, 0xffffffff, 8);

/** Options that choose what goes into the hash; one of them (or the tuple) is required. */
const SELECTORS = ['--hmark-src-prefix', '--hmark-dst-prefix', '--hmark-sport-mask', '--hmark-dport-mask', '--hmark-spi-mask', '--hmark-sport', '--hmark-dport', '--hmark-spi', '--hmark-proto-mask'];

/** Each field's effective value: a tuple member overrides an explicit option written before it. */
function effective(ext: ParsedExtension, family: Family): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of ext.options) {
    const name = o.spec.names[0];
    if (name === '--hmark-tuple') {
      for (const m of (o.values[0] as TupleMember[] | undefined) ?? []) if (m !== 'ct') out.set(MEMBER_OPTION[m], fullValue(MEMBER_OPTION[m], family));
    } else if (o.values[0] !== undefined) out.set(name, o.values[0] as number);
  }
  return out;
}

const tupleHas = (tuple: ParsedOption | undefined, m: TupleMember): boolean => ((tuple?.values[0] as TupleMember[] | undefined) ?? []).includes(m);

export const HMARK: TargetSpec = {
  kind: 'target',
  name: 'HMARK',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Set the packet mark to a hash of addresses/ports/protocol, modulo N plus an offset',
  doc: `HMARK sets the packet mark to a hash of the fields you choose (addresses, ports, protocol), brought into a range: from \`--hmark-offset\` to offset + \`--hmark-mod\` - 1. Both directions of a flow get the same mark, because HMARK orders addresses and ports before hashing. The packet goes on to the next rule.

It works in any table. Use mangle PREROUTING when the mark steers routing (\`ip rule add fwmark ...\`), e.g. to spread flows over several links or servers.

\`\`\`iptables
*mangle
-A PREROUTING -i eth0 -j HMARK --hmark-tuple src,dst,sport,dport,proto --hmark-mod 4 --hmark-offset 100 --hmark-rnd 0x2f3a4b5c
COMMIT
\`\`\`

This gives the marks 100 to 103.

- HMARK replaces the whole 32-bit mark: marks set earlier are lost.
- Machines that must agree on the hash need the same \`--hmark-rnd\`.
- An ICMP error is hashed by the packet it reports on, so it follows its flow.`,
  // In the order iptables-save prints them (the tuple is printed as the options it sets).
  options: [
    { names: ['--hmark-src-prefix'], args: [hmarkPrefix], doc: `Hashes only the first N bits of the source address (a prefix length or a netmask), so a whole subnet gets one mark. Default: the full address.` },
    { names: ['--hmark-dst-prefix'], args: [hmarkPrefix], doc: `Hashes only the first N bits of the destination address (a prefix length or a netmask). Default: the full address.` },
    // Masks and values: numbers.
    { names: ['--hmark-sport-mask'], args: [u16('source port mask')], doc: `16-bit mask applied to the source port before hashing: 0 leaves the port out, \`0xffff\` uses all of it.` },
    { names: ['--hmark-dport-mask'], args: [u16('destination port mask')], doc: `16-bit mask applied to the destination port before hashing: 0 leaves the port out, \`0xffff\` uses all of it.` },
    { names: ['--hmark-spi-mask'], args: [u32hex('SPI mask')], doc: `32-bit mask applied to the IPsec SPI (ESP, AH) before hashing. It cannot be combined with port masks.` },
    { names: ['--hmark-sport'], args: [u16('source port value')], doc: `16-bit value ORed into the masked source port before hashing; rarely needed.` },
    { names: ['--hmark-dport'], args: [u16('destination port value')], doc: `16-bit value ORed into the masked destination port before hashing; rarely needed.` },
    { names: ['--hmark-spi'], args: [u32hex('SPI value')], doc: `32-bit value ORed into the masked SPI before hashing; rarely needed.` },
    { names: ['--hmark-proto-mask'], args: [cNumber('protocol mask', 0, 0xffff, 2)], doc: `Mask applied to the protocol number before hashing; 0 leaves the protocol out.` },
    { names: ['--hmark-rnd'], args: [u32hex('random seed')], doc: `Seed of the hash, any 32-bit number. Machines that must produce the same marks need the same seed.` },
    { names: ['--hmark-mod'], args: [cNumber('modulus', 1, 0xffffffff)], doc: `How many different marks to produce (1 or more): the hash is brought into 0 to N-1 before the offset is added.` },
    { names: ['--hmark-offset'], args: [cNumber('offset', 0, 0xffffffff)], doc: `Added to the reduced hash, so the marks run from this number to this number + mod - 1. Default 0.` },
    { names: ['--hmark-tuple'], args: [hmarkTuple], doc: `Comma-separated fields to hash: \`src\`, \`dst\`, \`sport\`, \`dport\`, \`proto\`, \`spi\`, and \`ct\` to take them from the conntrack entry, so a connection keeps its mark across NAT.` },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    const has = (name: string) => findOption(ext, name) !== undefined;
    if (!has('--hmark-mod')) problems.push({ kind: 'missing-required-option', message: '-j HMARK needs --hmark-mod N: the number of different marks to produce' });
    if (!has('--hmark-rnd')) problems.push({ kind: 'missing-required-option', message: '-j HMARK needs --hmark-rnd VALUE: a seed for the hash (any 32-bit number)' });
    const tuple = findOption(ext, '--hmark-tuple');
    if (!tuple && !SELECTORS.some(has))
      problems.push({ kind: 'missing-required-option', message: '-j HMARK needs to know what to hash: add --hmark-tuple, e.g. --hmark-tuple src,dst,sport,dport,proto' });
    // A tuple member and the explicit option for the same field.
    for (const [member, name] of Object.entries(MEMBER_OPTION)) {
      const explicit = findOption(ext, name);
      if (!tuple || !explicit || !tupleHas(tuple, member as TupleMember)) continue;
      if (explicit.index > tuple.index)
        problems.push({ kind: 'conflicting-options', message: `${explicit.written} cannot come after --hmark-tuple ${member}, which already sets it: remove '${member}' from the tuple or drop ${explicit.written}`, option: explicit });
      else problems.push({ kind: 'suspicious-value', message: `--hmark-tuple ${member} overrides the earlier ${explicit.written} with the full field: remove one of them`, option: explicit });
    }
    const fields = effective(ext, rule.family);
    if (fields.has('--hmark-spi-mask') && (fields.has('--hmark-sport-mask') || fields.has('--hmark-dport-mask'))) {
      const culprit = findOption(ext, '--hmark-spi-mask') ?? tuple;
      problems.push({ kind: 'conflicting-options', message: 'An SPI mask (--hmark-spi-mask or tuple spi) cannot be combined with port masks (sport/dport): SPI is for ESP/AH, ports for TCP/UDP; use one or the other', option: culprit });
    }
    const spi = findOption(ext, '--hmark-spi');
    const port = findOption(ext, '--hmark-sport') ?? findOption(ext, '--hmark-dport');
    if (spi && port) problems.push({ kind: 'conflicting-options', message: `The kernel refuses --hmark-spi together with ${port.written}: SPI is for ESP/AH, ports for TCP/UDP; keep one of them`, option: spi });
    return problems;
  },
  print(ext, rule) {
    const fields = effective(ext, rule.family);
    const out: string[] = [];
    for (const spec of HMARK.options) {
      const name = spec.names[0];
      const v = fields.get(name);
      if (v === undefined) continue;
      // Each option's own grammar knows how iptables-save formats the number.
      const r = spec.args[0].parse(String(v), { family: rule.family });
      out.push(name, r.ok ? r.canonical : String(v));
    }
    if (tupleHas(findOption(ext, '--hmark-tuple'), 'ct')) out.push('--hmark-tuple', 'ct');
    return out;
  },
};

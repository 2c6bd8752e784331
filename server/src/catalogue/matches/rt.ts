import { ExtensionProblem, MatchModule, ValueGrammar } from '../types';
import { fail, ok, uintRange } from '../values';
import { formatIPv6, parseIPv6 } from '../addresses';
import { findOption, printSkippingFullRanges, uintWarn } from '../grammars/header';

/** The kernel keeps at most 16 type-0 addresses. */
const MAX_ADDRS = 16;

/** Comma-separated IPv6 addresses, numeric only (no masks, no host names). Value: bigint[]. */
const addressList: ValueGrammar = {
  name: 'address[,address...]',
  parse(text) {
    const out: bigint[] = [];
    let offset = 0;
    for (const part of text.split(',')) {
      const a = parseIPv6(part);
      if (a === undefined)
        return fail(`'${part}' is not an IPv6 address${part.includes('/') ? ' (no mask allowed here)' : ''}`, { at: [offset, offset + part.length] });
      out.push(a);
      offset += part.length + 1;
    }
    if (out.length > MAX_ADDRS) return fail(`Too many addresses: at most ${MAX_ADDRS}, this list has ${out.length}`);
    return ok(out, out.map(formatIPv6).join(','));
  },
};

export const rt: MatchModule = {
  kind: 'match',
  name: 'rt',
  families: ['ipv6'],
  summary: 'Fields of the IPv6 Routing header: type, segments left, length, type-0 addresses',
  doc: `Tests the IPv6 Routing header: its type, the number of segments left, its length, and for the old type 0 its address list. Its usual job is to drop type 0 headers, deprecated since 2007 (RFC 5095) because they let an attacker bounce traffic between hosts.

\`\`\`iptables
-A INPUT -m rt --rt-type 0 -j DROP
-A FORWARD -m rt --rt-type 0 -j DROP
\`\`\`

- The \`--rt-0-*\` options need \`--rt-type 0\` written before them, and \`--rt-0-not-strict\` needs \`--rt-0-addrs\` before it.
- Type 2 belongs to Mobile IPv6 and type 4 to Segment Routing; \`-m srh\` tests the fields of the latter.
- Without options, the module matches any packet with a Routing header.`,
  options: [
    // Value: routing type; iptables takes 32 bits but the header field has 8.
    {
      names: ['--rt-type'],
      args: [uintWarn('routing type', 0xffffffff, (v) => (v > 255 ? `Routing header types go from 0 to 255: --rt-type ${v} never matches` : undefined))],
      negatable: true,
      doc: 'The routing type: 0 (deprecated source routing), 2 (Mobile IPv6), 3 (RPL) or 4 (Segment Routing).',
    },
    // Value: { min, max } segments-left range.
    { names: ['--rt-segsleft'], args: [uintRange('segments left', 0, 0xffffffff)], negatable: true, doc: 'The Segments Left field, the number of listed stops still to visit, or a range `first:last`.' },
    // Value: header length.
    { names: ['--rt-len'], args: [uintWarn('header length', 0xffffffff)], negatable: true, doc: 'The length of the whole header in bytes, a multiple of 8.' },
    { names: ['--rt-0-res'], args: [], doc: 'Type 0 only: matches when the reserved field is zero.' },
    { names: ['--rt-0-addrs'], args: [addressList], doc: 'Type 0 only: up to 16 plain IPv6 addresses, separated by commas, without masks. By default the header must hold exactly this list, in this order.' },
    { names: ['--rt-0-not-strict'], args: [], doc: 'Relaxes `--rt-0-addrs`: the listed addresses must appear in that order, but other addresses may stand between and after them.' },
  ],
  check(ext) {
    // ip6tables checks these while reading the options, so the order matters.
    const problems: ExtensionProblem[] = [];
    const type = findOption(ext, '--rt-type');
    const type0 = type && !type.negated && type.values[0] === 0 ? type : undefined;
    for (const name of ['--rt-0-res', '--rt-0-addrs']) {
      const o = findOption(ext, name);
      if (o && !(type0 && type0.index < o.index))
        problems.push({ kind: 'missing-required-option', message: `${o.written} only applies to type 0 routing headers: put --rt-type 0 before it`, option: o });
    }
    const strict = findOption(ext, '--rt-0-not-strict');
    const addrs = findOption(ext, '--rt-0-addrs');
    if (strict && !(addrs && addrs.index < strict.index))
      problems.push({ kind: 'missing-required-option', message: `${strict.written} relaxes the --rt-0-addrs list: put --rt-0-addrs before it`, option: strict });
    return problems;
  },
  print: (ext) => printSkippingFullRanges(rt, ext, { '--rt-segsleft': 0xffffffff }),
};

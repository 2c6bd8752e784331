import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail, ok, uint } from '../values';
import { familyBits, maskPrefix, parseIPv6 } from '../addresses';
import { parseUInt } from '../numbers';
import { parseInetAton } from '../grammars/xt-host';
import { findOption as opt } from '../parsed';

/**
 * A prefix length, or a network mask written as an address (`255.255.255.0`, `ffff::`).
 * A number too large for a prefix is read as an address too (IPv4 `33` is 0.0.0.33), and a
 * mask with holes becomes a full-length one, as iptables does. Value: the prefix length.
 */
export const prefixOrMask: ValueGrammar = {
  name: 'prefix length or mask',
  parse(text, ctx) {
    const bits = familyBits(ctx.family);
    const n = parseUInt(text, 0, bits);
    if (n !== undefined) return ok(n, String(n));
    const mask = ctx.family === 'ipv4' ? parseInetAton(text) : parseIPv6(text);
    if (mask === undefined) return fail(`'${text}' is neither a prefix length (0 to ${bits}) nor a network mask`);
    const prefix = maskPrefix(ctx.family, mask);
    if (prefix !== undefined) return ok(prefix, String(prefix));
    return ok(bits, String(bits), { message: `'${text}' is not a prefix length (0 to ${bits}) nor a contiguous mask: iptables silently uses ${bits} instead` });
  },
};

export const connlimit: MatchModule = {
  kind: 'match',
  name: 'connlimit',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Number of connections open from one address (or address block)',
  doc: `Counts the connections currently open from one address (or one address block) and matches when that count is above, or up to, a limit. Use it to stop a single client from opening hundreds of connections to a web or SSH server.

\`\`\`iptables
-A INPUT -p tcp --syn --dport 80 -m connlimit --connlimit-above 20 --connlimit-mask 32 -j REJECT --reject-with tcp-reset
\`\`\`

- Test only connection requests (\`--syn\` or \`--ctstate NEW\`). Otherwise, once a client is over the limit, packets of its already open connections are rejected too and those connections stall.
- By default each full address (/32 or /128) is counted alone. Clients behind one NAT share an address and therefore a limit; an IPv6 host can use a whole /64, so set \`--connlimit-mask 64\` there.
- The counts come from connection tracking: connections exempted with \`-j CT --notrack\` are not counted.`,
  options: [
    // Value: connection count. `! --connlimit-upto N` means --connlimit-above N and the reverse.
    { names: ['--connlimit-upto'], args: [uint('connection count', 0, 0xffffffff)], negatable: true, doc: 'Matches while the group has at most this many connections. Pair it with ACCEPT and a rejecting rule after it.' },
    { names: ['--connlimit-above'], args: [uint('connection count', 0, 0xffffffff)], negatable: true, doc: 'Matches when the group has more than this many connections. Pair it with REJECT or DROP.' },
    { names: ['--connlimit-mask'], args: [prefixOrMask], doc: 'Prefix length used to group addresses: 32 (IPv4) or 128 (IPv6) counts each address alone, 24 counts a whole /24 together. A dotted mask such as 255.255.255.0 works too.' },
    { names: ['--connlimit-saddr'], args: [], doc: 'Groups connections by source address, which is the default: it limits what each client opens.' },
    { names: ['--connlimit-daddr'], args: [], doc: 'Groups connections by destination address instead: it limits how many connections go to each server.' },
  ],
  check(ext) {
    const upto = opt(ext, '--connlimit-upto');
    const above = opt(ext, '--connlimit-above');
    const saddr = opt(ext, '--connlimit-saddr');
    const daddr = opt(ext, '--connlimit-daddr');
    if (!upto && !above) return [{ kind: 'missing-required-option', message: '-m connlimit needs --connlimit-above N (or --connlimit-upto N)' }];
    const out = [];
    if (upto && above) out.push({ kind: 'conflicting-options', message: '--connlimit-upto and --connlimit-above exclude each other: keep one', option: upto.index > above.index ? upto : above });
    if (saddr && daddr) out.push({ kind: 'conflicting-options', message: '--connlimit-saddr and --connlimit-daddr exclude each other: count per source or per destination, not both', option: saddr.index > daddr.index ? saddr : daddr });
    return out;
  },
  print(ext, rule) {
    // iptables-save always writes the limit, the mask and the address direction.
    const upto = opt(ext, '--connlimit-upto');
    const above = opt(ext, '--connlimit-above');
    const limit = (above ?? upto)!;
    const isAbove = (limit === above) !== limit.negated;
    const mask = opt(ext, '--connlimit-mask');
    return [
      isAbove ? '--connlimit-above' : '--connlimit-upto',
      limit.canonical[0],
      '--connlimit-mask',
      mask ? mask.canonical[0] : String(familyBits(rule.family)),
      opt(ext, '--connlimit-daddr') ? '--connlimit-daddr' : '--connlimit-saddr',
    ];
  },
};

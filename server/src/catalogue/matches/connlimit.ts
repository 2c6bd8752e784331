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
  options: [
    // Value: connection count. `! --connlimit-upto N` means --connlimit-above N and the reverse.
    { names: ['--connlimit-upto'], args: [uint('connection count', 0, 0xffffffff)], negatable: true },
    { names: ['--connlimit-above'], args: [uint('connection count', 0, 0xffffffff)], negatable: true },
    { names: ['--connlimit-mask'], args: [prefixOrMask] },
    { names: ['--connlimit-saddr'], args: [] },
    { names: ['--connlimit-daddr'], args: [] },
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

import { ExtensionProblem, ParsedExtension, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { formatAddress, maskedAddress, parseHostMask } from '../grammars/xt-host';

export interface NptPrefix {
  readonly address?: bigint;
  readonly hostname?: string;
  readonly prefix: number;
}

/**
 * An IPv6 prefix `address/len` for network prefix translation. iptables passes what it
 * reads; the kernel refuses prefixes longer than /64 and addresses with bits set beyond
 * the prefix. Value: NptPrefix.
 */
export const nptPrefix: ValueGrammar = {
  name: 'prefix/length',
  parse(text, ctx) {
    const r = parseHostMask(text, ctx.family);
    if (!r.ok) return r;
    const { address, hostname, prefix, holes, bare } = r.value;
    const maskAt: [number, number] = [text.indexOf('/') + 1, text.length];
    if (bare) return fail(`'${text}' has no prefix length: write it as prefix/length, e.g. ${address !== undefined ? formatAddress('ipv6', address) : text}/64`);
    if (holes) return fail('The mask has holes: use a prefix length up to 64', { at: maskAt });
    if (prefix > 64) return fail(`/${prefix} is too long: the kernel translates prefixes of at most 64 bits`, { at: maskAt });
    if (address === undefined) return ok({ hostname, prefix } satisfies NptPrefix, text, r.warning);
    const net = maskedAddress('ipv6', address, prefix);
    if (net !== address)
      return fail(`${formatAddress('ipv6', address)} has bits set beyond the /${prefix} prefix, which the kernel refuses: write ${formatAddress('ipv6', net)}/${prefix}`, {
        at: [0, text.indexOf('/')],
        suggestion: formatAddress('ipv6', net),
      });
    const warning =
      r.warning ??
      (prefix === 0 ? { message: 'A /0 prefix translates nothing, and iptables-save leaves it out, so the saved rule cannot be loaded again', at: maskAt } : undefined);
    return ok({ address, prefix } satisfies NptPrefix, `${formatAddress('ipv6', address)}/${prefix}`, warning);
  },
};

/** Both prefixes are required. */
export function checkNpt(ext: ParsedExtension): ExtensionProblem[] {
  const missing = ['--src-pfx', '--dst-pfx'].filter((n) => !ext.options.some((o) => o.spec.names[0] === n));
  if (missing.length === 0) return [];
  return [{ kind: 'missing-required-option', message: `${ext.name} needs both --src-pfx and --dst-pfx (missing: ${missing.join(', ')})` }];
}

/** iptables-save leaves out a prefix of length 0. */
export function printNpt(ext: ParsedExtension): string[] {
  const out: string[] = [];
  for (const name of ['--src-pfx', '--dst-pfx']) {
    const o = ext.options.find((x) => x.spec.names[0] === name);
    if (o && (o.values[0] as NptPrefix).prefix !== 0) out.push(name, o.canonical[0]);
  }
  return out;
}

export const DNPT: TargetSpec = {
  kind: 'target',
  name: 'DNPT',
  families: ['ipv6'],
  terminating: false,
  // Checked with both backends: mangle PREROUTING and OUTPUT only.
  tables: ['mangle'],
  hooks: ['PREROUTING', 'OUTPUT'],
  summary: 'Stateless IPv6 prefix translation of the destination address (RFC 6296); undo with SNPT',
  doc: `DNPT swaps the prefix of an IPv6 destination address for another one, without keeping any connection state (NPTv6, RFC 6296). SNPT does the opposite on the way out; you need both. The packet goes on to the next rule.

It works only in the mangle table, in PREROUTING and OUTPUT.

\`\`\`iptables
*mangle
-A PREROUTING -i eth0 -d 2001:db8:1::/64 -j DNPT --src-pfx 2001:db8:1::/64 --dst-pfx fd00:1::/64
-A POSTROUTING -o eth0 -s fd00:1::/64 -j SNPT --src-pfx fd00:1::/64 --dst-pfx 2001:db8:1::/64
COMMIT
\`\`\`

- To keep checksums valid, the kernel also changes one 16-bit word after the prefix: addresses do not keep every other bit.
- Exempt the translated traffic from conntrack (\`CT --notrack\` in raw), or conntrack does not recognise the replies.
- The router may need \`net.ipv6.conf.all.proxy_ndp=1\` to answer neighbour discovery for the outside prefix.`,
  options: [
    { names: ['--src-pfx'], args: [nptPrefix], doc: `The prefix the destination address carries on arrival, usually your public one, as \`prefix/length\` (64 bits at most).` },
    { names: ['--dst-pfx'], args: [nptPrefix], doc: `The prefix that replaces it, usually your internal one, normally of the same length.` },
  ],
  check: checkNpt,
  print: printNpt,
};

import { BOTH_FAMILIES, TargetSpec, ValueGrammar } from '../types';
import { ok } from '../values';
import { formatAddress, maskedAddress, parseHostMask } from '../grammars/xt-host';

export interface NetmapValue {
  readonly family: 'ipv4' | 'ipv6';
  /** Network address (host bits cleared); undefined for a host name. */
  readonly address?: bigint;
  readonly hostname?: string;
  readonly prefix: number;
}

/**
 * `address[/len|/mask]`: iptables clears the host bits without a word, and takes a mask
 * with holes as a full one. Value: NetmapValue.
 */
const netmapTo: ValueGrammar = {
  name: 'address[/mask]',
  parse(text, ctx) {
    const r = parseHostMask(text, ctx.family);
    if (!r.ok) return r;
    const { family, address, hostname, prefix, holes } = r.value;
    let warning = r.warning;
    if (holes) warning ??= { message: `A mask with holes cannot map a network: iptables uses /${prefix} instead`, at: [text.indexOf('/') + 1, text.length] };
    if (address === undefined) return ok({ family, hostname, prefix } satisfies NetmapValue, text, warning);
    const net = maskedAddress(family, address, prefix);
    return ok({ family, address: net, prefix } satisfies NetmapValue, `${formatAddress(family, net)}/${prefix}`, warning);
  },
};

export const NETMAP: TargetSpec = {
  kind: 'target',
  name: 'NETMAP',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: any chain of the nat table, no other table.
  tables: ['nat'],
  summary: 'Map a whole network onto another one, address by address (1:1 NAT)',
  doc: `NETMAP maps one network onto another, address by address: the network part changes, the host part stays. In PREROUTING and OUTPUT it rewrites the destination, in POSTROUTING and INPUT the source. Conntrack takes care of the rest of the connection and of the replies. The chain ends for the packet.

It works only in the nat table, in any of its chains.

\`\`\`iptables
*nat
-A PREROUTING -d 10.20.0.0/24 -j NETMAP --to 192.168.1.0/24
-A POSTROUTING -s 192.168.1.0/24 -j NETMAP --to 10.20.0.0/24
COMMIT
\`\`\`

Here 10.20.0.7 reaches 192.168.1.7, and 192.168.1.7 shows up outside as 10.20.0.7.

- Match a network of the same size as \`--to\`: the prefix of \`--to\` decides which bits change, so a larger match folds several addresses onto one.
- Connections started from each side need their own rule, as above.`,
  options: [
    { names: ['--to'], args: [netmapTo], doc: `The network to map to, as \`address/prefix\`: the bits under the prefix come from this address, the others from the packet. Host bits you write here are ignored.` },
  ],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: 'NETMAP needs --to NETWORK/PREFIX (the network to map to)' }] : [];
  },
};

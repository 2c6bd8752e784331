import { TargetSpec } from '../types';
import { checkNpt, nptPrefix, printNpt } from './dnpt';

export const SNPT: TargetSpec = {
  kind: 'target',
  name: 'SNPT',
  families: ['ipv6'],
  terminating: false,
  // Checked with both backends: mangle INPUT and POSTROUTING only.
  tables: ['mangle'],
  hooks: ['INPUT', 'POSTROUTING'],
  summary: 'Stateless IPv6 prefix translation of the source address (RFC 6296); undo with DNPT',
  doc: `SNPT swaps the prefix of an IPv6 source address for another one, so inside hosts leave with your public prefix, without any connection state (NPTv6, RFC 6296). DNPT undoes it for the packets coming back; you need both. The packet goes on to the next rule.

It works only in the mangle table, in POSTROUTING and INPUT.

\`\`\`iptables
*mangle
-A POSTROUTING -o eth0 -s fd00:1::/64 -j SNPT --src-pfx fd00:1::/64 --dst-pfx 2001:db8:1::/64
-A PREROUTING -i eth0 -d 2001:db8:1::/64 -j DNPT --src-pfx 2001:db8:1::/64 --dst-pfx fd00:1::/64
COMMIT
\`\`\`

- To keep checksums valid, the kernel also changes one 16-bit word after the prefix: addresses do not keep every other bit.
- Exempt the translated traffic from conntrack (\`CT --notrack\` in raw), or conntrack does not recognise the replies.
- The router may need \`net.ipv6.conf.all.proxy_ndp=1\` to answer neighbour discovery for the outside prefix.`,
  options: [
    { names: ['--src-pfx'], args: [nptPrefix], doc: `The prefix the source address carries now, usually your internal one such as \`fd00:1::/64\` (64 bits at most).` },
    { names: ['--dst-pfx'], args: [nptPrefix], doc: `The prefix the packet leaves with, usually your public one, normally of the same length.` },
  ],
  check: checkNpt,
  print: printNpt,
};

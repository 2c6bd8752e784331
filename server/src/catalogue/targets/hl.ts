import { hopTarget } from './ttl';

export const HL = hopTarget('HL', 'hl', 'ipv6', 'hop limit', {
  doc: `HL changes the hop limit of IPv6 packets, IPv6's version of the TTL: it sets a value, or lowers or raises it by a step. The packet goes on to the next rule.

It works only in the mangle table, in any chain.

\`\`\`iptables
*mangle
-A PREROUTING -i eth0 -j HL --hl-inc 1
COMMIT
\`\`\`

On a router this cancels the decrement of forwarding, so the router no longer shows up in traceroute.

- Raising the hop limit lets packets caught in a routing loop circle longer: never raise it on traffic you send into other networks.
- Leave neighbour discovery alone: its ICMPv6 packets must carry hop limit 255, or the receiver ignores them.
- A fixed value such as \`--hl-set 64\` hides that packets were routed, which some providers look for.`,
  set: `Sets the hop limit to this value, 0 to 255.`,
  dec: `Lowers the hop limit by this many, 1 to 255; the kernel stops at 0 instead of wrapping around.`,
  inc: `Raises the hop limit by this many, 1 to 255; the kernel stops at 255.`,
});

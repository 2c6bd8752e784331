import { hopCountMatch } from './ttl';

export const hl = hopCountMatch(
  'hl',
  'ipv6',
  'hop limit',
  'The hop limit field of the IPv6 header',
  `Tests the hop limit of an IPv6 packet, the hop counter that every router lowers by one. Its main use is to check that neighbour discovery messages come from the local link: a genuine one arrives with hop limit 255, since no router has touched it.

\`\`\`iptables
-A INPUT -p ipv6-icmp --icmpv6-type router-advertisement -m hl ! --hl-eq 255 -j DROP
\`\`\`

- Give exactly one comparison per module: \`--hl-gt 2 --hl-lt 10\` is refused. Load \`-m hl\` twice for a range.
- Comparisons are strict: \`--hl-gt 64\` does not match 64.
- Only \`--hl-eq\` can be negated.
- On a router, FORWARD and POSTROUTING see the hop limit already lowered; PREROUTING sees it as received.`,
);

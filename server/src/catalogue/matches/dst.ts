import { optionsHeaderMatch } from './hbh';

export const dst = optionsHeaderMatch(
  'dst',
  'ipv6',
  'Length and options of the IPv6 Destination Options header',
  `Tests the Destination Options header of an IPv6 packet, which carries options meant for the receiver only, such as the home address option of Mobile IPv6. Without options, the module matches any packet that has the header.

\`\`\`iptables
-A FORWARD -m dst -j DROP
\`\`\`

- \`--dst-opts\` compares from the first option of the header, in order, padding included (types 0 and 1). List every option up to the one you care about.
- \`--dst-len\` counts the whole header in bytes, a multiple of 8.
- A packet may carry two of these headers, one before a routing header and one after it: the match examines the first.
- \`-p\` cannot select this header, since it names the upper-layer protocol found after the extension headers.`,
);

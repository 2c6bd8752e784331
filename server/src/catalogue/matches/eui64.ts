import { MatchModule } from '../types';

export const eui64: MatchModule = {
  kind: 'match',
  name: 'eui64',
  families: ['ipv6'],
  // The kernel needs the Ethernet source address, which only received packets have.
  hooks: ['PREROUTING', 'INPUT', 'FORWARD'],
  summary: 'Source address whose interface identifier is the EUI-64 of the sender MAC',
  doc: `Checks that the source address of an IPv6 packet is built from the sender's MAC address, as classic stateless autoconfiguration (SLAAC with EUI-64) builds it. Use it on a LAN to accept only hosts whose address matches their network card, a cheap guard against address spoofing.

\`\`\`iptables
-A INPUT -i eth0 -s 2001:db8:1::/64 -m eui64 -j ACCEPT
\`\`\`

- It compares with the MAC address of the last hop, so it only works for hosts on the same link: routed packets carry a router's MAC.
- Many systems now use privacy or stable-private addresses (RFC 4941, RFC 7217), which do not come from the MAC and never match.
- It needs an Ethernet header, so only PREROUTING, INPUT and FORWARD accept it.`,
  options: [],
};

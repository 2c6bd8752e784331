import { BOTH_FAMILIES, MatchModule } from '../types';
import { enumOf } from '../values';

export const pkttype: MatchModule = {
  kind: 'match',
  name: 'pkttype',
  families: BOTH_FAMILIES,
  summary: 'The link-layer packet type: unicast, broadcast, multicast or otherhost',
  doc: `Matches the link-layer class of a packet: unicast (sent to this host's MAC), broadcast, multicast, or otherhost (meant for another MAC, seen in promiscuous mode). Use it to drop or log broadcast and multicast noise without listing addresses.

\`\`\`iptables
-A INPUT -m pkttype --pkt-type broadcast -j DROP
-A INPUT -i eth0 -m pkttype --pkt-type multicast -j DROP
\`\`\`

- The class comes from the Ethernet destination, not from the IP address. A packet to a subnet's broadcast IP that was sent to this host's MAC counts as unicast.
- IPv6 has no broadcast; neighbour discovery and router advertisements travel as multicast. Dropping multicast in ip6tables cuts the host off the network.
- Service discovery (mDNS, SSDP) also uses multicast: dropping it hides printers and media devices.`,
  options: [
    {
      names: ['--pkt-type'],
      // Any case; host, bcast and mcast are accepted as other spellings. Value: the type name.
      args: [enumOf('packet type', ['unicast', 'broadcast', 'multicast', 'otherhost'], { caseInsensitive: true, aliases: { host: 'unicast', bcast: 'broadcast', mcast: 'multicast' } })],
      negatable: true,
      doc: '`unicast` (addressed to this host\'s MAC), `broadcast`, `multicast`, or `otherhost` (addressed to another machine\'s MAC, seen when the interface listens promiscuously).',
    },
  ],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m pkttype needs --pkt-type (unicast, broadcast, multicast or otherhost)' }] : [];
  },
};

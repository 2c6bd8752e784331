import { MatchModule } from '../types';

export const eui64: MatchModule = {
  kind: 'match',
  name: 'eui64',
  families: ['ipv6'],
  // The kernel needs the Ethernet source address, which only received packets have.
  hooks: ['PREROUTING', 'INPUT', 'FORWARD'],
  summary: 'Source address whose interface identifier is the EUI-64 of the sender MAC',
  options: [],
};

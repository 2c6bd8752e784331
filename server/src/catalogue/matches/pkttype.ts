import { BOTH_FAMILIES, MatchModule } from '../types';
import { enumOf } from '../values';

export const pkttype: MatchModule = {
  kind: 'match',
  name: 'pkttype',
  families: BOTH_FAMILIES,
  summary: 'The link-layer packet type: unicast, broadcast, multicast or otherhost',
  options: [
    {
      names: ['--pkt-type'],
      // Any case; host, bcast and mcast are accepted as other spellings. Value: the type name.
      args: [enumOf('packet type', ['unicast', 'broadcast', 'multicast', 'otherhost'], { caseInsensitive: true, aliases: { host: 'unicast', bcast: 'broadcast', mcast: 'multicast' } })],
      negatable: true,
    },
  ],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m pkttype needs --pkt-type (unicast, broadcast, multicast or otherhost)' }] : [];
  },
};

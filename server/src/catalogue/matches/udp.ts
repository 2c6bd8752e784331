import { BOTH_FAMILIES, MatchModule } from '../types';
import { portRangeFor, printSkippingFullRanges } from '../grammars/header';

// libxt_udp asks the services database without a protocol, so `--dport ssh` works here too.
const udpPorts = portRangeFor(undefined);

export const udp: MatchModule = {
  kind: 'match',
  name: 'udp',
  families: BOTH_FAMILIES,
  protocols: ['udp'],
  summary: 'UDP source and destination ports',
  options: [
    // Value: { min, max } port range.
    { names: ['--sport', '--source-port'], args: [udpPorts], negatable: true },
    { names: ['--dport', '--destination-port'], args: [udpPorts], negatable: true },
  ],
  print(ext) {
    return printSkippingFullRanges(udp, ext, { '--sport': 65535, '--dport': 65535 });
  },
};

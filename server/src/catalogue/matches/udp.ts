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
  doc: `Tests the source and destination ports of a UDP datagram. iptables loads it by itself when a port option follows \`-p udp\`.

\`\`\`iptables
-A INPUT -p udp --dport 53 -j ACCEPT
-A INPUT -p udp --dport 60000:61000 -j ACCEPT
\`\`\`

- Without \`-p udp\` before it, \`--dport\` is an *unknown option*.
- Services such as DNS use TCP as well: a single \`-p udp\` rule is not enough, add a \`-p tcp\` one.
- UDP has no connection. Let replies in with conntrack (\`--ctstate ESTABLISHED\`) rather than with a rule on the source port, which anyone can forge.
- Later fragments of a large datagram carry no port and never match.`,
  options: [
    // Value: { min, max } port range.
    { names: ['--sport', '--source-port'], args: [udpPorts], negatable: true, doc: 'The source port, or a range `first:last` (an open end means 0 or 65535). Service names from /etc/services work too; iptables-save prints the number.' },
    { names: ['--dport', '--destination-port'], args: [udpPorts], negatable: true, doc: 'The destination port, or a range `first:last` (an open end means 0 or 65535). Service names from /etc/services work too; iptables-save prints the number.' },
  ],
  print(ext) {
    return printSkippingFullRanges(udp, ext, { '--sport': 65535, '--dport': 65535 });
  },
};

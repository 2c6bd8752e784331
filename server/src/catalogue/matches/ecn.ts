import { BOTH_FAMILIES, MatchModule } from '../types';
import { uint } from '../values';
import { requireOneOf } from '../grammars/header';

const TCP_OPTIONS = ['--ecn-tcp-ece', '--ecn-tcp-cwr'];

export const ecn: MatchModule = {
  kind: 'match',
  name: 'ecn',
  families: BOTH_FAMILIES,
  summary: 'ECN bits of the IP header and the TCP ECE/CWR flags',
  doc: `Tests Explicit Congestion Notification: the two ECN bits of the IP header, set by routers when they are congested, and the TCP flags ECE and CWR that carry that signal back to the sender. Use it to count or log congestion marks, or to find a middlebox that mangles them.

\`\`\`iptables
-A FORWARD -m ecn --ecn-ip-ect 3 -m comment --comment "CE-marked packets"
-A INPUT -p tcp -m ecn --ecn-tcp-ece -j LOG --log-prefix "ECE: "
\`\`\`

- \`--ecn-tcp-ece\` and \`--ecn-tcp-cwr\` need \`-p tcp\`: the kernel refuses them otherwise.
- A SYN with both ECE and CWR set offers to use ECN; it is not a congestion signal.
- The ECN bits share a byte with DSCP. \`-m dscp\` ignores them, but \`-m tos\` with the default mask 0xff compares them.`,
  options: [
    { names: ['--ecn-tcp-ece'], args: [], negatable: true, doc: 'True when the TCP ECE (ECN-Echo) flag is set: the receiver reports congestion to the sender or, on a SYN, offers ECN.' },
    { names: ['--ecn-tcp-cwr'], args: [], negatable: true, doc: 'True when the TCP CWR flag is set: the sender confirms that it slowed down after an ECE.' },
    // Value: the 2-bit ECN codepoint of the IP header.
    { names: ['--ecn-ip-ect'], args: [uint('ECN codepoint', 0, 3)], negatable: true, doc: 'The 2-bit ECN field of the IP header: 0 not ECN-capable, 1 ECT(1), 2 ECT(0), 3 congestion experienced (CE).' },
  ],
  check(ext, rule) {
    const problems = requireOneOf(ext, 'ecn', ['--ecn-tcp-ece', '--ecn-tcp-cwr', '--ecn-ip-ect'], '--ecn-ip-ect 3');
    const tcpOpt = ext.options.find((o) => TCP_OPTIONS.includes(o.spec.names[0]));
    // The kernel refuses the TCP flag tests unless the rule matches TCP (and not ! -p tcp).
    if (tcpOpt && (rule.protocol !== 'tcp' || rule.protocolNegated))
      problems.push({ kind: 'protocol-required', message: `${tcpOpt.written} tests a TCP header flag: the rule needs -p tcp`, option: tcpOpt });
    return problems;
  },
};

import { BOTH_FAMILIES, MatchModule } from '../types';
import { uint } from '../values';
import { requireOneOf } from '../grammars/header';

const TCP_OPTIONS = ['--ecn-tcp-ece', '--ecn-tcp-cwr'];

export const ecn: MatchModule = {
  kind: 'match',
  name: 'ecn',
  families: BOTH_FAMILIES,
  summary: 'ECN bits of the IP header and the TCP ECE/CWR flags',
  options: [
    { names: ['--ecn-tcp-ece'], args: [], negatable: true },
    { names: ['--ecn-tcp-cwr'], args: [], negatable: true },
    // Value: the 2-bit ECN codepoint of the IP header.
    { names: ['--ecn-ip-ect'], args: [uint('ECN codepoint', 0, 3)], negatable: true },
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

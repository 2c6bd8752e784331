import { ExtensionProblem, ParsedExtension, TargetSpec } from '../types';
import { cNumber, exclusive, flag, isTcpRule, requireOne } from '../grammars/mangle-targets';

interface EcnState {
  /** Which fields are written, and the values they get. */
  ece?: number;
  cwr?: number;
  ect?: number;
}

/**
 * What the options leave in the target, in the order written: --ecn-tcp-remove sets
 * both TCP bits to 0 and forgets an --ecn-ip-ect given before it, as iptables does.
 */
function ecnState(ext: ParsedExtension): EcnState {
  const s: EcnState = {};
  for (const o of ext.options) {
    const v = o.values[0] as number;
    switch (o.spec.names[0]) {
      case '--ecn-tcp-remove':
        s.ece = 0;
        s.cwr = 0;
        delete s.ect;
        break;
      case '--ecn-tcp-ece':
        s.ece = v;
        break;
      case '--ecn-tcp-cwr':
        s.cwr = v;
        break;
      case '--ecn-ip-ect':
        s.ect = v;
        break;
    }
  }
  return s;
}

const TCP_OPTIONS = ['--ecn-tcp-remove', '--ecn-tcp-ece', '--ecn-tcp-cwr'];

export const ECN: TargetSpec = {
  kind: 'target',
  name: 'ECN',
  families: ['ipv4'],
  terminating: false,
  // The kernel registers ECN for the mangle table only (any of its chains).
  tables: ['mangle'],
  summary: 'Clear (or set) the ECN bits of TCP packets, to work around ECN black holes',
  doc: `ECN rewrites the Explicit Congestion Notification bits of IPv4 packets. Its usual job, \`--ecn-tcp-remove\`, clears the ECN flags of the TCP header, so a connection gets set up without ECN. The packet goes on to the next rule.

It works only in the mangle table, for IPv4, and its TCP options need \`-p tcp\`.

\`\`\`iptables
*mangle
-A POSTROUTING -o eth0 -p tcp -d 203.0.113.0/24 -j ECN --ecn-tcp-remove
COMMIT
\`\`\`

- It works around old routers or firewalls that drop packets with ECN bits set. Such black holes are rare today: remove the rule once the far end is fixed.
- Clearing the flags on the SYN is enough to switch ECN off for that connection.
- For connections the host opens itself, the sysctl \`net.ipv4.tcp_ecn\` is simpler.`,
  options: [
    flag('--ecn-tcp-remove', { doc: `Clears the ECE and CWR flags of the TCP header; needs \`-p tcp\`.` }),
    // Undocumented expert options; values are the bit values to write.
    { names: ['--ecn-tcp-ece'], args: [cNumber('ECE bit', 0, 1)], doc: `Sets the TCP ECE flag to 0 or 1 (an expert option; needs \`-p tcp\`).` },
    { names: ['--ecn-tcp-cwr'], args: [cNumber('CWR bit', 0, 1)], doc: `Sets the TCP CWR flag to 0 or 1 (an expert option; needs \`-p tcp\`).` },
    { names: ['--ecn-ip-ect'], args: [cNumber('ECT code point', 0, 3)], doc: `Writes the two ECN bits of the IPv4 header: 0 for not ECN-capable, 1 or 2 for ECN-capable, 3 for congestion experienced.` },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [
      ...requireOne(ext, [...TCP_OPTIONS, '--ecn-ip-ect'], '-j ECN needs an action, normally --ecn-tcp-remove (with -p tcp)'),
      ...exclusive(ext, ['--ecn-tcp-remove', '--ecn-tcp-ece'], '--ecn-tcp-remove already clears the ECE bit'),
      ...exclusive(ext, ['--ecn-tcp-remove', '--ecn-tcp-cwr'], '--ecn-tcp-remove already clears the CWR bit'),
    ];
    const tcpOption = ext.options.find((o) => TCP_OPTIONS.includes(o.spec.names[0]));
    if (tcpOption && !isTcpRule(rule))
      problems.push({ kind: 'protocol-required', message: `${tcpOption.written} changes TCP header bits: the kernel accepts it only in a rule with -p tcp`, option: tcpOption });
    const ect = ext.options.find((o) => o.spec.names[0] === '--ecn-ip-ect');
    const remove = ext.options.find((o) => o.spec.names[0] === '--ecn-tcp-remove');
    if (ect && remove && ect.index < remove.index)
      problems.push({ kind: 'suspicious-value', message: '--ecn-ip-ect has no effect before --ecn-tcp-remove, which resets it: put --ecn-ip-ect after it', option: ect });
    return problems;
  },
  print(ext) {
    const s = ecnState(ext);
    if (s.ece === 0 && s.cwr === 0 && s.ect === undefined) return ['--ecn-tcp-remove'];
    const out: string[] = [];
    if (s.ece !== undefined) out.push('--ecn-tcp-ece', String(s.ece));
    if (s.cwr !== undefined) out.push('--ecn-tcp-cwr', String(s.cwr));
    if (s.ect !== undefined) out.push('--ecn-ip-ect', String(s.ect));
    return out;
  },
};

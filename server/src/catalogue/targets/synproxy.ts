import { BOTH_FAMILIES, ExtensionProblem, TargetSpec } from '../types';
import { findOption, flag, truncatedNumber } from '../grammars/mangle-targets';

export const SYNPROXY: TargetSpec = {
  kind: 'target',
  name: 'SYNPROXY',
  families: BOTH_FAMILIES,
  // Takes SYNs (answered with a syncookie) and the ACKs that complete a handshake (it
  // opens the connection to the server itself); every other packet goes on to the next rule.
  terminating: 'some',
  protocols: ['tcp'],
  // The kernel accepts it in any table, but only where packets reach the local stack or are forwarded.
  hooks: ['INPUT', 'FORWARD'],
  summary: 'Answer TCP handshakes with syncookies and open the connection to the server only when the client completes it',
  doc: `SYNPROXY shields a TCP server from SYN floods. It answers each SYN itself with a syncookie, and opens the real connection to the server only when the client's ACK proves the cookie. SYNs and handshake ACKs stop here (answered, or dropped); other TCP packets go on to the next rule.

It works in INPUT (a local server) or FORWARD (a server behind this host), and needs three parts: SYNs untracked in raw, the SYNPROXY rule, and a DROP for what stays INVALID.

\`\`\`iptables
*raw
-A PREROUTING -i eth0 -p tcp --dport 80 --syn -j CT --notrack
COMMIT
*filter
-A INPUT -i eth0 -p tcp --dport 80 -m conntrack --ctstate INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460
-A INPUT -i eth0 -p tcp --dport 80 -m conntrack --ctstate INVALID -j DROP
COMMIT
\`\`\`

- Set \`net.netfilter.nf_conntrack_tcp_loose=0\`, or stray ACKs count as ESTABLISHED and slip past SYNPROXY.
- The options must match what the server announces: look at its SYN-ACK with tcpdump.
- Since Linux 4.4 the kernel's own syncookies cope with most floods.`,
  // In the order iptables-save prints them.
  options: [
    flag('--sack-perm', { doc: `Announces selective acknowledgement to the client; give it only when the server supports SACK.` }),
    flag('--timestamp', { doc: `Announces TCP timestamps to the client. Without it, SACK and window scaling cannot be passed on either.` }),
    // Values: numbers (iptables reads 32 bits and keeps 8 / 16, see truncatedNumber).
    { names: ['--wscale'], args: [truncatedNumber('window scale', 8)], doc: `Window scale announced to the client (0 to 14); copy the value the server announces.` },
    { names: ['--mss'], args: [truncatedNumber('MSS', 16)], doc: `Maximum segment size announced to the client, in bytes; copy the server's value (1460 on plain Ethernet).` },
    flag('--ecn', { doc: `Announces ECN support to the client; give it only when the server supports ECN.` }),
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    const wscale = findOption(ext, '--wscale');
    const shift = wscale?.values[0] as number | undefined;
    if (wscale && shift !== undefined && shift > 14)
      problems.push({ kind: 'suspicious-value', message: `TCP window scaling goes up to 14 (RFC 7323): --wscale ${shift} is larger than any server can use; copy the value the server announces`, option: wscale });
    return problems;
  },
};

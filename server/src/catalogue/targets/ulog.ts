import { TargetSpec } from '../types';
import { text, uint } from '../values';

export const ULOG: TargetSpec = {
  kind: 'target',
  name: 'ULOG',
  families: ['ipv4'],
  terminating: false,
  summary: 'Removed: the old IPv4-only user-space logging target; use NFLOG',
  doc: `ULOG was the IPv4-only way to send packets to a user-space logger. Linux 3.17 removed it: current kernels refuse any rule that uses it, and the whole restore fails.

Use NFLOG instead. It does the same job for IPv4 and IPv6, and ulogd2 reads it with its NFLOG input. Like ULOG, it does not decide: the packet goes on to the next rule.

\`\`\`iptables
-A INPUT -p tcp --dport 23 -j NFLOG --nflog-group 1 --nflog-prefix "telnet"
-A INPUT -p tcp --dport 23 -j DROP
\`\`\`

The options translate one to one: \`--ulog-nlgroup\` becomes \`--nflog-group\`, \`--ulog-prefix\` becomes \`--nflog-prefix\`, \`--ulog-cprange\` becomes \`--nflog-size\`, and \`--ulog-qthreshold\` becomes \`--nflog-threshold\`.`,
  // Options kept so that a rule using them parses and gets the one clear message below.
  options: [
    { names: ['--ulog-nlgroup'], args: [uint('netlink group', 1, 32)], doc: `Netlink group (1 to 32) that got the copies. With NFLOG, write \`--nflog-group\`.` },
    { names: ['--ulog-prefix'], args: [text('prefix', 31)], doc: `Label sent with each packet (up to 31 characters). With NFLOG, write \`--nflog-prefix\`.` },
    { names: ['--ulog-cprange'], args: [uint('size in bytes', 0, 0xffffffff)], doc: `Bytes of each packet to copy, 0 for the whole packet. With NFLOG, write \`--nflog-size\`.` },
    { names: ['--ulog-qthreshold'], args: [uint('packet count', 1, 50)], doc: `Packets gathered in the kernel before sending them (1 to 50). With NFLOG, write \`--nflog-threshold\`.` },
  ],
  // Linux 3.17 removed the kernel side; current kernels refuse the rule (both backends checked).
  removed: 'use -j NFLOG --nflog-group N (read by ulogd2 or another nfnetlink_log reader); Linux 3.17 dropped ULOG',
};

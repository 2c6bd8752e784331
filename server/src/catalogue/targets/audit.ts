import { BOTH_FAMILIES, TargetSpec } from '../types';
import { enumOf } from '../values';
import { requireOne } from '../grammars/mangle-targets';

export const AUDIT: TargetSpec = {
  kind: 'target',
  name: 'AUDIT',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Write an audit record for the packet (kernel audit subsystem), then continue',
  doc: `AUDIT writes a record about the packet to the kernel audit system: auditd stores it (usually in /var/log/audit/audit.log) and \`ausearch -m NETFILTER_PKT\` finds it. The packet goes on to the next rule: AUDIT does not decide.

It works in any table and chain. Pair it with the verdict in a small user chain:

\`\`\`iptables
:AUDIT_DROP - [0:0]
-A INPUT -p tcp --dport 23 -j AUDIT_DROP
-A AUDIT_DROP -j AUDIT --type drop
-A AUDIT_DROP -j DROP
\`\`\`

- Without auditd running, the records land in the kernel log instead.
- Each matching packet makes one record: add \`-m limit\` where traffic can flood.
- Use it where a compliance rule asks for audit records; for everyday debugging, LOG or NFLOG is simpler.`,
  options: [
    // Value: 'accept' | 'drop' | 'reject' (iptables compares without regard to case).
    { names: ['--type'], args: [enumOf('audit type', ['accept', 'drop', 'reject'], { caseInsensitive: true })], doc: `Labels the record as being about an \`accept\`, \`drop\` or \`reject\`. Since Linux 4.12 the kernel ignores it, but iptables still wants it: give the verdict of the rule that follows.` },
  ],
  check(ext) {
    return requireOne(ext, ['--type'], '-j AUDIT needs --type accept, --type drop or --type reject (since Linux 4.12 the type no longer changes the record, but iptables still requires it)');
  },
};

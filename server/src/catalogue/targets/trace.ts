import { BOTH_FAMILIES, TargetSpec } from '../types';

export const TRACE: TargetSpec = {
  kind: 'target',
  name: 'TRACE',
  families: BOTH_FAMILIES,
  terminating: false,
  // iptables-nft accepts TRACE in any table, iptables-legacy only in raw: we follow the stricter.
  tables: ['raw'],
  summary: 'Log every rule the packet traverses from here on (debugging)',
  doc: `TRACE marks the packet so that the kernel reports each rule it matches from here on, in every table and chain, including policies and returns. It is for debugging; the packet goes on to the next rule unchanged.

It works in the raw table (PREROUTING and OUTPUT), so the trace starts before any other table.

\`\`\`iptables
*raw
-A PREROUTING -s 198.51.100.7 -p tcp --dport 443 -j TRACE
COMMIT
\`\`\`

- With iptables-nft, read the trace with \`xtables-monitor --trace\`. With iptables-legacy it goes to the kernel log (\`dmesg\`), in lines that start with \`TRACE:\`.
- Each traced packet produces one line per rule: trace one test client, never all traffic, and delete the rule when you are done.`,
  options: [],
};

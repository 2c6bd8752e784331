import { TargetSpec, ValueGrammar } from '../types';
import { enumOf, fail, ok, uint } from '../values';

/** A MAC address `xx:xx:xx:xx:xx:xx`. Value: the six bytes as numbers. */
const mac: ValueGrammar = {
  name: 'MAC address',
  parse(text) {
    const parts = text.split(':');
    if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return fail(`'${text}' is not a MAC address (xx:xx:xx:xx:xx:xx)`);
    const bytes = parts.map((p) => parseInt(p, 16));
    return ok(bytes, bytes.map((b) => b.toString(16).padStart(2, '0')).join(':'));
  },
};

export const CLUSTERIP: TargetSpec = {
  kind: 'target',
  name: 'CLUSTERIP',
  families: ['ipv4'],
  terminating: false,
  summary: 'Removed: the old IPv4-only shared-address cluster target; use -m cluster',
  doc: `CLUSTERIP let several IPv4 hosts share one address and one MAC address, each answering its share of the connections, with no load balancer in front. Linux 6.3 removed it: current kernels refuse any rule that uses it, and the whole restore fails.

Use the \`cluster\` match instead. Every node receives all packets (give the shared address a multicast MAC, with \`ip maddr add\` and arptables), and each node keeps only the connections that hash to its own number:

\`\`\`iptables
*mangle
-A PREROUTING -i eth1 -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 0x5eed1234 -j MARK --set-mark 0x10
-A PREROUTING -i eth1 -m mark ! --mark 0x10 -j DROP
COMMIT
\`\`\`

On the second node, write \`--cluster-local-node 2\`. The cluster match works for IPv6 too.`,
  // Options kept so that a rule using them parses and gets the one clear message below.
  options: [
    { names: ['--new'], args: [], doc: `Created the shared cluster address; the first rule for each address needed it. The cluster match has no equivalent and needs none.` },
    { names: ['--hashmode'], args: [enumOf('hash mode', ['sourceip', 'sourceip-sourceport', 'sourceip-sourceport-destport'])], doc: `What chose the node: the source address, optionally with the source and destination ports. The cluster match always hashes the connection's source address.` },
    { names: ['--clustermac'], args: [mac], doc: `The multicast MAC address all nodes answered with. With the cluster match you set it up yourself, with \`ip maddr add\` and arptables.` },
    { names: ['--total-nodes'], args: [uint('node count', 1, 16)], doc: `Number of nodes in the cluster. With the cluster match, write \`--cluster-total-nodes\`.` },
    { names: ['--local-node'], args: [uint('node number', 1, 16)], doc: `This host's node number. With the cluster match, write \`--cluster-local-node\`.` },
    { names: ['--hash-init'], args: [uint('hash seed', 0, 0xffffffff)], doc: `Seed of the hash, the same on every node. With the cluster match, write \`--cluster-hash-seed\`.` },
  ],
  // Deprecated for years, then removed from Linux (6.3); current kernels refuse the rule (both backends checked).
  removed: 'use -m cluster --cluster-total-nodes N --cluster-local-node I instead (with -j MARK or ACCEPT and a multicast MAC on the shared address); Linux 6.3 dropped CLUSTERIP',
};

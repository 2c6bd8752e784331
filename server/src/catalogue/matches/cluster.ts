import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ParsedExtension } from '../types';
import { uint } from '../values';
import { findOption as find } from '../parsed';

/** XT_CLUSTER_NODES_MAX. */
const MAX_NODES = 32;
const hex8 = (n: number) => '0x' + n.toString(16).padStart(8, '0');

/** The node mask a rule stands for: --cluster-local-node N is bit N-1. */
function nodeMask(ext: ParsedExtension): number | undefined {
  const node = find(ext, '--cluster-local-node');
  const mask = find(ext, '--cluster-local-nodemask');
  if (node && typeof node.values[0] === 'number') return 2 ** (node.values[0] - 1);
  if (mask && typeof mask.values[0] === 'number') return mask.values[0];
  return undefined;
}

export const cluster: MatchModule = {
  kind: 'match',
  name: 'cluster',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Share traffic between cluster nodes by a hash of the source address',
  doc: `Lets several machines share traffic without a load balancer. Every node receives every packet (through a shared multicast MAC address), and each node's rule picks only the connections that hash to its own node number. Use it for active-active gateway or firewall clusters.

\`\`\`iptables
*mangle
-A PREROUTING -i eth0 -m cluster --cluster-total-nodes 3 --cluster-local-node 2 --cluster-hash-seed 0x5eed -j MARK --set-mark 0x1
-A PREROUTING -i eth0 -m mark ! --mark 0x1 -j DROP
\`\`\`

- Every node needs the same \`--cluster-total-nodes\` and \`--cluster-hash-seed\`; only the local node number differs.
- The match does not make the nodes see the same packets. You set that up separately (multicast MAC, ARP rules).
- The hash uses the connection's original source address, so both directions of a connection land on the same node. Turn off TCP pickup (\`net.netfilter.nf_conntrack_tcp_loose=0\`), or a node may take over connections that belong to another.`,
  options: [
    // iptables-save prints a --cluster-local-node as the equivalent mask.
    // Value: number. iptables reads the mask with the node limits (1 to 32), so larger masks are refused.
    { names: ['--cluster-local-nodemask'], args: [uint('node mask', 1, MAX_NODES)], negatable: true, doc: 'The nodes this machine stands for, as a bit mask (bit 0 is node 1). iptables-save writes `--cluster-local-node` in this form.' },
    // Value: number (node id, 1-based).
    { names: ['--cluster-local-node'], args: [uint('node number', 1, MAX_NODES)], negatable: true, doc: 'This machine\'s node number, from 1 to `--cluster-total-nodes`. It must differ on every node.' },
    // Value: number.
    { names: ['--cluster-total-nodes'], args: [uint('number of nodes', 1, MAX_NODES)], doc: 'How many nodes share the traffic, at most 32. It must be the same on every node.' },
    // Value: number.
    { names: ['--cluster-hash-seed'], args: [uint('hash seed', 0, 0xffffffff)], doc: 'Seed of the hash that spreads connections over the nodes. It must be the same on every node.' },
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    const node = find(ext, '--cluster-local-node');
    const mask = find(ext, '--cluster-local-nodemask');
    const total = find(ext, '--cluster-total-nodes');
    if (node && mask) problems.push({ kind: 'conflicting-options', message: '--cluster-local-node and --cluster-local-nodemask exclude each other: give the node number or the mask', option: node.index > mask.index ? node : mask });
    if (!node && !mask) problems.push({ kind: 'missing-required-option', message: '-m cluster needs --cluster-local-node N (or --cluster-local-nodemask MASK)' });
    if (!total) problems.push({ kind: 'missing-required-option', message: '-m cluster needs --cluster-total-nodes N' });
    if (!find(ext, '--cluster-hash-seed')) problems.push({ kind: 'missing-required-option', message: '-m cluster needs --cluster-hash-seed VALUE (the same on every node)' });
    const n = total?.values[0];
    if (typeof n === 'number') {
      if (node && typeof node.values[0] === 'number' && node.values[0] > n)
        problems.push({ kind: 'invalid-value', message: `Node ${node.values[0]} does not exist in a cluster of ${n} nodes: --cluster-local-node must not exceed --cluster-total-nodes`, option: node });
      if (mask && typeof mask.values[0] === 'number' && mask.values[0] > 2 ** n - 1)
        problems.push({ kind: 'invalid-value', message: `Mask ${mask.canonical[0]} names nodes beyond the ${n} of --cluster-total-nodes`, option: mask });
    }
    return problems;
  },
  print(ext) {
    const out: string[] = [];
    const mask = nodeMask(ext);
    const given = find(ext, '--cluster-local-node') ?? find(ext, '--cluster-local-nodemask');
    if (mask !== undefined) out.push(...(given?.negated ? ['!'] : []), '--cluster-local-nodemask', hex8(mask));
    const total = find(ext, '--cluster-total-nodes');
    if (total) out.push('--cluster-total-nodes', total.canonical[0]);
    const seed = find(ext, '--cluster-hash-seed');
    if (seed && typeof seed.values[0] === 'number') out.push('--cluster-hash-seed', hex8(seed.values[0]));
    return out;
  },
};

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
  options: [
    // iptables-save prints a --cluster-local-node as the equivalent mask.
    // Value: number. iptables reads the mask with the node limits (1 to 32), so larger masks are refused.
    { names: ['--cluster-local-nodemask'], args: [uint('node mask', 1, MAX_NODES)], negatable: true },
    // Value: number (node id, 1-based).
    { names: ['--cluster-local-node'], args: [uint('node number', 1, MAX_NODES)], negatable: true },
    // Value: number.
    { names: ['--cluster-total-nodes'], args: [uint('number of nodes', 1, MAX_NODES)] },
    // Value: number.
    { names: ['--cluster-hash-seed'], args: [uint('hash seed', 0, 0xffffffff)] },
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

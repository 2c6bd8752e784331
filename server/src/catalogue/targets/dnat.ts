import { BOTH_FAMILIES, ExtensionProblem, TargetSpec } from '../types';
import { ipv6PortLookalike, natPortProtocolProblems, natRange } from '../grammars/nat';

export const DNAT: TargetSpec = {
  kind: 'target',
  name: 'DNAT',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: nat PREROUTING and OUTPUT only (and user chains reached
  // only from them); INPUT, POSTROUTING and every other table are refused.
  tables: ['nat'],
  hooks: ['PREROUTING', 'OUTPUT'],
  summary: 'Rewrite the destination address and/or port of a new connection (port forwarding)',
  options: [
    { names: ['--to-destination'], args: [natRange('kept')] },
    { names: ['--random'], args: [] },
    { names: ['--persistent'], args: [] },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    if (!ext.options.some((o) => o.spec.names[0] === '--to-destination'))
      problems.push({ kind: 'missing-required-option', message: 'DNAT needs --to-destination ADDRESS[:PORT] (the new destination)' });
    problems.push(...natPortProtocolProblems(ext, rule, '--to-destination'), ...ipv6PortLookalike(ext, rule, '--to-destination'));
    return problems;
  },
};

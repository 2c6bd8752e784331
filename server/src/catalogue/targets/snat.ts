import { BOTH_FAMILIES, ExtensionProblem, TargetSpec } from '../types';
import { ipv6PortLookalike, natPortProtocolProblems, natRange } from '../grammars/nat';

export const SNAT: TargetSpec = {
  kind: 'target',
  name: 'SNAT',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: nat POSTROUTING and INPUT only (and user chains reached only from them).
  tables: ['nat'],
  hooks: ['INPUT', 'POSTROUTING'],
  summary: 'Rewrite the source address and/or port of a new connection to a fixed address',
  options: [
    { names: ['--to-source'], args: [natRange('dropped')] },
    { names: ['--random'], args: [] },
    { names: ['--random-fully'], args: [] },
    { names: ['--persistent'], args: [] },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    if (!ext.options.some((o) => o.spec.names[0] === '--to-source'))
      problems.push({ kind: 'missing-required-option', message: 'SNAT needs --to-source ADDRESS[:PORT] (the new source; use MASQUERADE to take the outgoing interface address)' });
    problems.push(...natPortProtocolProblems(ext, rule, '--to-source'), ...ipv6PortLookalike(ext, rule, '--to-source'));
    return problems;
  },
};

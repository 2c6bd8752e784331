import { BOTH_FAMILIES, TargetSpec } from '../types';
import { natPortProtocolProblems, natPorts } from '../grammars/nat';

export const MASQUERADE: TargetSpec = {
  kind: 'target',
  name: 'MASQUERADE',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: nat POSTROUTING only (and user chains reached only from it).
  tables: ['nat'],
  hooks: ['POSTROUTING'],
  summary: 'Rewrite the source to the address of the outgoing interface (SNAT for dynamic addresses)',
  options: [
    { names: ['--to-ports'], args: [natPorts('dropped')] },
    { names: ['--random'], args: [] },
    { names: ['--random-fully'], args: [] },
  ],
  check: (ext, rule) => natPortProtocolProblems(ext, rule, '--to-ports'),
};

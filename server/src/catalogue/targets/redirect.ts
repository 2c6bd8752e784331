import { BOTH_FAMILIES, TargetSpec } from '../types';
import { natPortProtocolProblems, natPorts } from '../grammars/nat';

export const REDIRECT: TargetSpec = {
  kind: 'target',
  name: 'REDIRECT',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: nat PREROUTING and OUTPUT only (and user chains reached only from them).
  tables: ['nat'],
  hooks: ['PREROUTING', 'OUTPUT'],
  summary: 'Send the packet to this machine (a local port), e.g. for a transparent proxy',
  options: [
    { names: ['--to-ports'], args: [natPorts('refused')] },
    { names: ['--random'], args: [] },
  ],
  check: (ext, rule) => natPortProtocolProblems(ext, rule, '--to-ports'),
};

import { BOTH_FAMILIES, MatchModule } from '../types';

export const socket: MatchModule = {
  kind: 'match',
  name: 'socket',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  // The socket lookup is done for incoming packets only (checked by the kernel at load).
  hooks: ['PREROUTING', 'INPUT'],
  summary: 'An open local socket matches the packet (transparent proxying)',
  options: [
    { names: ['--transparent'], args: [] },
    { names: ['--nowildcard'], args: [] },
    { names: ['--restore-skmark'], args: [] },
  ],
};

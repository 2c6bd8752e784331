import { BOTH_FAMILIES, MatchModule } from '../types';

export const rpfilter: MatchModule = {
  kind: 'match',
  name: 'rpfilter',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  // Reverse-path lookup happens before routing: the kernel allows raw/mangle PREROUTING only.
  tables: ['raw', 'mangle'],
  hooks: ['PREROUTING'],
  summary: 'Reverse path filter: a reply to the packet would leave through the interface it came in on',
  options: [
    { names: ['--loose'], args: [] },
    { names: ['--validmark'], args: [] },
    { names: ['--accept-local'], args: [] },
    { names: ['--invert'], args: [] },
  ],
};

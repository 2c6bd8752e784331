import { BOTH_FAMILIES, TargetSpec } from '../types';

export const NOTRACK: TargetSpec = {
  kind: 'target',
  name: 'NOTRACK',
  families: BOTH_FAMILIES,
  terminating: false,
  // Checked with both backends: raw PREROUTING and OUTPUT only.
  tables: ['raw'],
  summary: 'Exempt the packet from connection tracking (same as CT --notrack)',
  options: [],
};

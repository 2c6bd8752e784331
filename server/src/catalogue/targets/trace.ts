import { BOTH_FAMILIES, TargetSpec } from '../types';

export const TRACE: TargetSpec = {
  kind: 'target',
  name: 'TRACE',
  families: BOTH_FAMILIES,
  terminating: false,
  // iptables-nft accepts TRACE in any table, iptables-legacy only in raw: we follow the stricter.
  tables: ['raw'],
  summary: 'Log every rule the packet traverses from here on (debugging)',
  options: [],
};

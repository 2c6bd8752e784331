import { BOTH_FAMILIES, TargetSpec } from '../types';
import { exclusive, flag, requireOne } from '../grammars/mangle-targets';

export const CONNSECMARK: TargetSpec = {
  kind: 'target',
  name: 'CONNSECMARK',
  families: BOTH_FAMILIES,
  terminating: false,
  // The kernel refuses it outside the security and mangle tables (any chain there).
  tables: ['mangle', 'security'],
  summary: 'Copy the security mark (SELinux) between the packet and its connection',
  options: [flag('--save'), flag('--restore')],
  check(ext) {
    return [
      ...requireOne(ext, ['--save', '--restore'], '-j CONNSECMARK needs --save (packet mark to connection) or --restore (connection mark to packet)'),
      ...exclusive(ext, ['--save', '--restore'], 'one copies the mark to the connection, the other back to the packet'),
    ];
  },
};

import { BOTH_FAMILIES, TargetSpec } from '../types';
import { flag, requireOne } from '../grammars/mangle-targets';

export const CHECKSUM: TargetSpec = {
  kind: 'target',
  name: 'CHECKSUM',
  families: BOTH_FAMILIES,
  terminating: false,
  // The kernel registers CHECKSUM for the mangle table only (any of its chains).
  tables: ['mangle'],
  summary: 'Fill in a missing checksum (works around clients that mishandle checksum offload)',
  options: [flag('--checksum-fill')],
  check(ext) {
    return requireOne(ext, ['--checksum-fill'], '-j CHECKSUM needs --checksum-fill, its only action');
  },
};

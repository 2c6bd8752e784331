import { BOTH_FAMILIES, TargetSpec } from '../types';
import { enumOf } from '../values';
import { requireOne } from '../grammars/mangle-targets';

export const AUDIT: TargetSpec = {
  kind: 'target',
  name: 'AUDIT',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Write an audit record for the packet (kernel audit subsystem), then continue',
  options: [
    // Value: 'accept' | 'drop' | 'reject' (iptables compares without regard to case).
    { names: ['--type'], args: [enumOf('audit type', ['accept', 'drop', 'reject'], { caseInsensitive: true })] },
  ],
  check(ext) {
    return requireOne(ext, ['--type'], '-j AUDIT needs --type accept, --type drop or --type reject (since Linux 4.12 the type no longer changes the record, but iptables still requires it)');
  },
};

import { BOTH_FAMILIES, ExtensionProblem, TargetSpec } from '../types';
import { findOption, flag, truncatedNumber } from '../grammars/mangle-targets';

export const SYNPROXY: TargetSpec = {
  kind: 'target',
  name: 'SYNPROXY',
  families: BOTH_FAMILIES,
  // Answers SYNs with syncookies and drops them; completes the handshake itself.
  terminating: true,
  protocols: ['tcp'],
  // The kernel accepts it in any table, but only where packets reach the local stack or are forwarded.
  hooks: ['INPUT', 'FORWARD'],
  summary: 'Answer TCP handshakes with syncookies and open the connection to the server only when the client completes it',
  // In the order iptables-save prints them.
  options: [
    flag('--sack-perm'),
    flag('--timestamp'),
    // Values: numbers (iptables reads 32 bits and keeps 8 / 16, see truncatedNumber).
    { names: ['--wscale'], args: [truncatedNumber('window scale', 8)] },
    { names: ['--mss'], args: [truncatedNumber('MSS', 16)] },
    flag('--ecn'),
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    const wscale = findOption(ext, '--wscale');
    const shift = wscale?.values[0] as number | undefined;
    if (wscale && shift !== undefined && shift > 14)
      problems.push({ kind: 'suspicious-value', message: `TCP window scaling goes up to 14 (RFC 7323): --wscale ${shift} is larger than any server can use; copy the value the server announces`, option: wscale });
    return problems;
  },
};

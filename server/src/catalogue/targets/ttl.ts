import { TargetSpec } from '../types';
import { cNumber, exclusive, requireOne } from '../grammars/mangle-targets';

/**
 * TTL (IPv4) and HL (IPv6) share one shape: set, decrement or increment the hop count.
 * Values: numbers; set takes 0-255, dec and inc 1-255 (the kernel refuses a step of 0).
 */
export function hopTarget(name: 'TTL' | 'HL', prefix: 'ttl' | 'hl', family: 'ipv4' | 'ipv6', field: string): TargetSpec {
  const names = [`--${prefix}-set`, `--${prefix}-dec`, `--${prefix}-inc`];
  return {
    kind: 'target',
    name,
    families: [family],
    terminating: false,
    // The kernel registers it for the mangle table only (any of its chains).
    tables: ['mangle'],
    summary: `Set, decrease or increase the ${field} of the packet`,
    options: [
      { names: [names[0]], args: [cNumber(field, 0, 255)] },
      { names: [names[1]], args: [cNumber(`${field} decrement`, 1, 255)] },
      { names: [names[2]], args: [cNumber(`${field} increment`, 1, 255)] },
    ],
    check(ext) {
      return [
        ...requireOne(ext, names, `-j ${name} needs one action: ${names[0]} N, ${names[1]} N or ${names[2]} N`),
        ...exclusive(ext, names, `a ${name} rule does one action`),
      ];
    },
  };
}

export const TTL = hopTarget('TTL', 'ttl', 'ipv4', 'TTL');

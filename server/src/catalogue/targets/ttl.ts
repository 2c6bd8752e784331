import { TargetSpec } from '../types';
import { cNumber, exclusive, requireOne } from '../grammars/mangle-targets';

/** Hover texts of a hop target: the target's, then those of its set, dec and inc options. */
export interface HopDocs {
  readonly doc: string;
  readonly set: string;
  readonly dec: string;
  readonly inc: string;
}

/**
 * TTL (IPv4) and HL (IPv6) share one shape: set, decrement or increment the hop count.
 * Values: numbers; set takes 0-255, dec and inc 1-255 (the kernel refuses a step of 0).
 */
export function hopTarget(name: 'TTL' | 'HL', prefix: 'ttl' | 'hl', family: 'ipv4' | 'ipv6', field: string, docs: HopDocs): TargetSpec {
  const names = [`--${prefix}-set`, `--${prefix}-dec`, `--${prefix}-inc`];
  return {
    kind: 'target',
    name,
    families: [family],
    terminating: false,
    // The kernel registers it for the mangle table only (any of its chains).
    tables: ['mangle'],
    summary: `Set, decrease or increase the ${field} of the packet`,
    doc: docs.doc,
    options: [
      { names: [names[0]], args: [cNumber(field, 0, 255)], doc: docs.set },
      { names: [names[1]], args: [cNumber(`${field} decrement`, 1, 255)], doc: docs.dec },
      { names: [names[2]], args: [cNumber(`${field} increment`, 1, 255)], doc: docs.inc },
    ],
    check(ext) {
      return [
        ...requireOne(ext, names, `-j ${name} needs one action: ${names[0]} N, ${names[1]} N or ${names[2]} N`),
        ...exclusive(ext, names, `a ${name} rule does one action`),
      ];
    },
  };
}

export const TTL = hopTarget('TTL', 'ttl', 'ipv4', 'TTL', {
  doc: `TTL changes the time-to-live of IPv4 packets: it sets a value, or lowers or raises it by a step. The packet goes on to the next rule.

It works only in the mangle table, in any chain.

\`\`\`iptables
*mangle
-A PREROUTING -i eth0 -j TTL --ttl-inc 1
COMMIT
\`\`\`

On a router this cancels the decrement of forwarding, so the router no longer shows up in traceroute.

- Raising the TTL lets packets caught in a routing loop circle longer: never raise it on traffic you send into other networks.
- A fixed value such as \`--ttl-set 64\` hides that packets were routed, which some providers look for.
- Lowering it to 1 on the way out keeps packets on the local link.`,
  set: `Sets the TTL to this value, 0 to 255.`,
  dec: `Lowers the TTL by this many, 1 to 255; the kernel stops at 0 instead of wrapping around.`,
  inc: `Raises the TTL by this many, 1 to 255; the kernel stops at 255.`,
});

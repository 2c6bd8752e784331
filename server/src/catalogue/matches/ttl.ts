import { Family, MatchModule } from '../types';
import { exclusive, requireOneOf, uintWarn } from '../grammars/header';

/**
 * ttl (IPv4) and hl (IPv6) are the same match on an 8-bit field: exactly one of -eq, -gt,
 * -lt; only -eq can be negated. The old spelling `--ttl` / `--hl` means -eq.
 */
export function hopCountMatch(name: 'ttl' | 'hl', family: Family, field: string, summary: string, doc: string): MatchModule {
  const eq = `--${name}-eq`;
  const names = [eq, `--${name}-gt`, `--${name}-lt`];
  // Values: the number to compare the field with.
  const value = (never?: number) =>
    uintWarn(field, 255, (v) => (v === never ? `No packet has a ${field} ${never === 255 ? 'greater than 255' : 'less than 0'}: this rule never matches` : undefined));
  return {
    kind: 'match',
    name,
    families: [family],
    summary,
    doc,
    options: [
      { names: [eq, `--${name}`], args: [value()], negatable: true, doc: `True when the ${field} equals this number (0 to 255). \`--${name}\` is an older spelling of the same test.` },
      { names: [names[1]], args: [value(255)], doc: `True when the ${field} is greater than this number; the number itself does not match.` },
      { names: [names[2]], args: [value(0)], doc: `True when the ${field} is less than this number; the number itself does not match.` },
    ],
    check: (ext) => [...requireOneOf(ext, name, names, `${eq} 64`), ...exclusive(ext, names, ': use only one comparison')],
  };
}

export const ttl = hopCountMatch(
  'ttl',
  'ipv4',
  'TTL',
  'The time-to-live field of the IPv4 header',
  `Tests the time-to-live of an IPv4 packet, the hop counter that every router lowers by one. Use it to spot packets that crossed routers when they should not have, as the BGP TTL security check does (the peer sends 255, so anything lower came from further away).

\`\`\`iptables
-A INPUT -p tcp --dport 179 -m ttl --ttl-lt 255 -j DROP
\`\`\`

- Give exactly one comparison per module: \`--ttl-gt 2 --ttl-lt 10\` is refused. Load \`-m ttl\` twice for a range.
- Comparisons are strict: \`--ttl-gt 64\` does not match 64.
- Only \`--ttl-eq\` can be negated.
- On a router, FORWARD and POSTROUTING see the TTL already lowered; PREROUTING sees it as received.
- Systems start at different values (64, 128, 255), so the TTL says little about distance.`,
);

import { Family, MatchModule } from '../types';
import { exclusive, requireOneOf, uintWarn } from '../grammars/header';

/**
 * ttl (IPv4) and hl (IPv6) are the same match on an 8-bit field: exactly one of -eq, -gt,
 * -lt; only -eq can be negated. The old spelling `--ttl` / `--hl` means -eq.
 */
export function hopCountMatch(name: 'ttl' | 'hl', family: Family, field: string, summary: string): MatchModule {
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
    options: [
      { names: [eq, `--${name}`], args: [value()], negatable: true },
      { names: [names[1]], args: [value(255)] },
      { names: [names[2]], args: [value(0)] },
    ],
    check: (ext) => [...requireOneOf(ext, name, names, `${eq} 64`), ...exclusive(ext, names, ': use only one comparison')],
  };
}

export const ttl = hopCountMatch('ttl', 'ipv4', 'TTL', 'The time-to-live field of the IPv4 header');

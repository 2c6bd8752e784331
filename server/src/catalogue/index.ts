// Lookup over the catalogue. A name the catalogue does not know is reported as unknown,
// never guessed at.

import { Extension, Family, MatchModule, TargetSpec } from './types';
import { MATCHES } from './matches';
import { TARGETS } from './targets';

function byName<T extends Extension>(list: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const ext of list) {
    for (const name of [ext.name, ...(ext.aliases ?? [])]) {
      const entries = map.get(name) ?? [];
      entries.push(ext);
      map.set(name, entries);
    }
  }
  return map;
}

const matchesByName = byName(MATCHES);
const targetsByName = byName(TARGETS);

function find<T extends Extension>(map: Map<string, T[]>, name: string, family: Family): T | undefined {
  return map.get(name)?.find((e) => e.families.includes(family));
}

export function findMatch(name: string, family: Family): MatchModule | undefined {
  return find(matchesByName, name, family);
}

export function findTarget(name: string, family: Family): TargetSpec | undefined {
  return find(targetsByName, name, family);
}

/** The module exists, but only for the other family (e.g. `-m icmp6` in an IPv4 rule). */
export function otherFamilyExtension(kind: 'match' | 'target', name: string, family: Family): Extension | undefined {
  const other: Family = family === 'ipv4' ? 'ipv6' : 'ipv4';
  return kind === 'match' ? find(matchesByName, name, other) : find(targetsByName, name, other);
}

function namesFor<T extends Extension>(map: Map<string, T[]>, family: Family): string[] {
  return [...map.entries()].filter(([, e]) => e.some((x) => x.families.includes(family))).map(([n]) => n);
}

const names = {
  match: { ipv4: namesFor(matchesByName, 'ipv4'), ipv6: namesFor(matchesByName, 'ipv6') },
  target: { ipv4: namesFor(targetsByName, 'ipv4'), ipv6: namesFor(targetsByName, 'ipv6') },
};

export function matchNames(family: Family): readonly string[] {
  return names.match[family];
}

export function targetNames(family: Family): readonly string[] {
  return names.target[family];
}

export function allMatches(): readonly MatchModule[] {
  return MATCHES;
}

export function allTargets(): readonly TargetSpec[] {
  return TARGETS;
}

export * from './types';

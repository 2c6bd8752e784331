import { MatchModule, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { PROTOCOLS } from '../data/netdb';
import { closest } from '../suggest';
import { requireOneOf } from '../grammars/header';

/** The headers ipv6header knows, in the order iptables-save prints them, with their numbers and keywords. */
export const IPV6_HEADERS: ReadonlyArray<{ readonly name: string; readonly number: number; readonly keywords: readonly string[] }> = [
  { name: 'hop-by-hop', number: 0, keywords: ['hop', 'hop-by-hop'] },
  { name: 'ipv6-opts', number: 60, keywords: ['dst'] },
  { name: 'ipv6-route', number: 43, keywords: ['route'] },
  { name: 'ipv6-frag', number: 44, keywords: ['frag'] },
  { name: 'ah', number: 51, keywords: ['auth'] },
  { name: 'esp', number: 50, keywords: ['esp'] },
  { name: 'ipv6-nonxt', number: 59, keywords: ['none'] },
  { name: 'protocol', number: 255, keywords: ['prot', 'protocol'] },
];

/** A keyword, a protocol name or alias from /etc/protocols (exact case), or a decimal number. */
function headerOf(text: string): (typeof IPV6_HEADERS)[number] | undefined {
  const byKeyword = IPV6_HEADERS.find((h) => h.keywords.includes(text));
  if (byKeyword) return byKeyword;
  const proto = PROTOCOLS.find((p) => p[0] === text || p[2].includes(text));
  const num = proto ? proto[1] : /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : undefined;
  return IPV6_HEADERS.find((h) => h.number === num);
}

/** Comma-separated headers; empty entries are skipped. Value: header names in printing order. */
const headerList: ValueGrammar = {
  name: 'header[,header...]',
  choices: IPV6_HEADERS.flatMap((h) => h.keywords),
  parse(text) {
    const chosen = new Set<string>();
    let offset = 0;
    for (const part of text.split(',')) {
      const at: [number, number] = [offset, offset + part.length];
      offset += part.length + 1;
      if (part === '') continue;
      const h = headerOf(part);
      if (!h) {
        const suggestion = closest(part, IPV6_HEADERS.flatMap((x) => x.keywords));
        return fail(
          `'${part}' is not an IPv6 extension header ipv6header knows: use hop, dst, route, frag, auth, esp, none or prot${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
          { at, suggestion },
        );
      }
      chosen.add(h.name);
    }
    if (chosen.size === 0) return fail('No header given');
    const names = IPV6_HEADERS.filter((h) => chosen.has(h.name)).map((h) => h.name);
    return ok(names, names.join(','));
  },
};

export const ipv6header: MatchModule = {
  kind: 'match',
  name: 'ipv6header',
  families: ['ipv6'],
  summary: 'Which IPv6 extension headers (and upper-layer header) a packet carries',
  options: [
    { names: ['--header'], args: [headerList], negatable: true },
    { names: ['--soft'], args: [] },
  ],
  check: (ext) => requireOneOf(ext, 'ipv6header', ['--header'], '--header frag'),
};

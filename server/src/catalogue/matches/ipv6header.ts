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
  doc: `Tests which extension headers an IPv6 packet carries, and whether an upper-layer header follows them. Use it to refuse packets with headers you do not expect, such as routing headers.

\`\`\`iptables
-A INPUT -m ipv6header --header route --soft -j DROP
\`\`\`

- Without \`--soft\`, the packet must carry exactly the listed headers, no more and no fewer, and \`prot\` counts. Nearly every packet has an upper-layer header, so \`--header frag\` alone almost never matches: write \`--header frag,prot\` or add \`--soft\`.
- With \`--soft\`, every listed header must be present, and others may be too.
- Headers inside ESP are encrypted and out of reach.
- iptables-save writes protocol names: \`frag\` comes back as \`ipv6-frag\`.`,
  options: [
    { names: ['--header'], args: [headerList], negatable: true, doc: 'A comma-separated list of headers: `hop`, `dst`, `route`, `frag`, `auth`, `esp`, `none` (no next header) and `prot` (any upper-layer protocol). Protocol names and numbers work too.' },
    { names: ['--soft'], args: [], doc: 'Loosens `--header`: the packet must have every listed header but may have others. With `! --header`, it then matches packets that have none of them.' },
  ],
  check: (ext) => requireOneOf(ext, 'ipv6header', ['--header'], '--header frag'),
};

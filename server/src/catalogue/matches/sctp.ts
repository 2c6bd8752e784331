import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { enumOf, fail, ok } from '../values';
import { closest } from '../suggest';
import { portRangeFor } from '../grammars/header';

/** SCTP chunk types with their numbers and, for the few that have them, flag letters (high bit first). */
export const SCTP_CHUNK_TYPES: ReadonlyArray<{ readonly name: string; readonly type: number; readonly flags?: string }> = [
  { name: 'DATA', type: 0, flags: 'IUBE' },
  { name: 'INIT', type: 1 },
  { name: 'INIT_ACK', type: 2 },
  { name: 'SACK', type: 3 },
  { name: 'HEARTBEAT', type: 4 },
  { name: 'HEARTBEAT_ACK', type: 5 },
  { name: 'ABORT', type: 6, flags: 'T' },
  { name: 'SHUTDOWN', type: 7 },
  { name: 'SHUTDOWN_ACK', type: 8 },
  { name: 'ERROR', type: 9 },
  { name: 'COOKIE_ECHO', type: 10 },
  { name: 'COOKIE_ACK', type: 11 },
  { name: 'ECN_ECNE', type: 12 },
  { name: 'ECN_CWR', type: 13 },
  { name: 'SHUTDOWN_COMPLETE', type: 14, flags: 'T' },
  { name: 'I_DATA', type: 64, flags: 'IUBE' },
  { name: 'ASCONF_ACK', type: 128 },
  { name: 'RE_CONFIG', type: 130 },
  { name: 'PAD', type: 132 },
  { name: 'FORWARD_TSN', type: 192 },
  { name: 'ASCONF', type: 193 },
  { name: 'I_FORWARD_TSN', type: 194 },
];

export interface SctpChunk {
  readonly name: string;
  readonly type: number;
  /** Flag bits examined and the bits that must be set among them (absent: flags not examined). */
  readonly flags?: { readonly mask: number; readonly value: number };
}

/** `ALL` / `NONE` stand for every chunk type 0-255 / no chunk type at all. */
export type SctpChunkList = { readonly special: 'ALL' | 'NONE' } | { readonly chunks: readonly SctpChunk[] };

/** Value: 'all' | 'any' | 'only'. */
const matchType = enumOf('chunk match type', ['all', 'any', 'only'], { caseInsensitive: true });

function flagText(spec: string, mask: number, value: number): string {
  let out = '';
  for (let i = 0; i < spec.length; i++) {
    const bit = 1 << (spec.length - 1 - i);
    if (mask & bit) out += value & bit ? spec[i] : spec[i].toLowerCase();
  }
  return out;
}

/**
 * `chunk[:flags][,chunk[:flags]...]`, or ALL / NONE alone. Names are case-insensitive; a
 * flag letter in upper case means "set", in lower case "clear". Value: SctpChunkList, chunks
 * in number order with repeated chunks merged.
 */
const chunkList: ValueGrammar = {
  name: 'chunk types (DATA,INIT:...)',
  choices: ['ALL', 'NONE', ...SCTP_CHUNK_TYPES.map((c) => c.name)],
  parse(text) {
    const upper = text.toUpperCase();
    if (upper === 'ALL' || upper === 'NONE') return ok({ special: upper } satisfies SctpChunkList, upper);
    const found = new Map<number, { name: string; type: number; mask: number; value: number; spec?: string }>();
    let offset = 0;
    for (const part of text.split(',')) {
      const at: [number, number] = [offset, offset + part.length];
      offset += part.length + 1;
      if (part === '') continue;
      const colon = part.indexOf(':');
      const nameText = colon === -1 ? part : part.slice(0, colon);
      const flags = colon === -1 ? '' : part.slice(colon + 1);
      const chunk = SCTP_CHUNK_TYPES.find((c) => c.name === nameText.toUpperCase());
      if (!chunk) {
        const special = ['ALL', 'NONE'].includes(nameText.toUpperCase());
        const suggestion = special ? undefined : closest(nameText.toUpperCase(), SCTP_CHUNK_TYPES.map((c) => c.name));
        return fail(
          special
            ? `${nameText.toUpperCase()} must stand alone: write --chunk-types <type> ${nameText.toUpperCase()}, not in a list`
            : `Unknown SCTP chunk type '${nameText}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
          { at: [at[0], at[0] + nameText.length], suggestion },
        );
      }
      const entry = found.get(chunk.type) ?? { name: chunk.name, type: chunk.type, mask: 0, value: 0, spec: chunk.flags };
      for (const letter of flags) {
        const i = chunk.flags?.indexOf(letter.toUpperCase()) ?? -1;
        if (i === -1)
          return fail(
            chunk.flags ? `'${letter}' is not a flag of ${chunk.name}: use ${chunk.flags} (set) or ${chunk.flags.toLowerCase()} (clear)` : `${chunk.name} chunks have no flags to match`,
            { at: [at[0] + colon + 1, at[1]] },
          );
        const bit = 1 << (chunk.flags!.length - 1 - i);
        entry.mask |= bit;
        if (letter !== letter.toLowerCase()) entry.value |= bit;
      }
      found.set(chunk.type, entry);
    }
    if (found.size === 0) return fail('No chunk type given');
    const sorted = [...found.values()].sort((a, b) => a.type - b.type);
    const chunks: SctpChunk[] = sorted.map((c) => (c.mask ? { name: c.name, type: c.type, flags: { mask: c.mask, value: c.value } } : { name: c.name, type: c.type }));
    const canonical = sorted.map((c) => (c.mask && c.spec ? `${c.name}:${flagText(c.spec, c.mask, c.value)}` : c.name)).join(',');
    return ok({ chunks } satisfies SctpChunkList, canonical);
  },
};

// libxt_sctp looks service names up for sctp only; a full port range is still printed.
const sctpPorts = portRangeFor('sctp');

export const sctp: MatchModule = {
  kind: 'match',
  name: 'sctp',
  families: BOTH_FAMILIES,
  protocols: ['sctp'],
  summary: 'SCTP ports and chunk types',
  doc: `Tests the ports and chunk types of an SCTP packet. SCTP carries telecom signalling (Diameter, SIGTRAN, 5G NGAP) and some cluster software. iptables loads the module by itself when one of its options follows \`-p sctp\`.

\`\`\`iptables
-A INPUT -p sctp --dport 3868 -j ACCEPT
-A INPUT -p sctp --chunk-types any ABORT -j LOG --log-prefix "sctp abort: "
\`\`\`

- Every option needs \`-p sctp\` before it.
- \`--chunk-types\` takes two words: how to compare (\`all\`, \`any\` or \`only\`), then the list.
- One SCTP packet bundles several chunks. With \`only\`, a single chunk of an unlisted type makes the packet fail.
- Connection tracking knows SCTP, so a \`--ctstate ESTABLISHED\` rule covers the replies.`,
  options: [
    // Value: { min, max } port range.
    { names: ['--sport', '--source-port'], args: [sctpPorts], negatable: true, doc: 'The source port, or a range `first:last` (an open end means 0 or 65535). Service names are looked up for SCTP.' },
    { names: ['--dport', '--destination-port'], args: [sctpPorts], negatable: true, doc: 'The destination port, or a range `first:last` (an open end means 0 or 65535). Service names are looked up for SCTP.' },
    { names: ['--chunk-types'], args: [matchType, chunkList], negatable: true, doc: 'First `all` (every listed type is present), `any` (one of them is) or `only` (no other type is present), then a list such as `INIT,DATA:Be`. An upper-case flag letter must be set, a lower-case one clear; `ALL` and `NONE` stand alone.' },
  ],
};

import { Family, MatchModule, ValueGrammar } from '../types';
import { fail, ok, uint } from '../values';
import { parseWrappedByte } from '../grammars/header';

/** The kernel keeps at most 16 option entries. */
const MAX_OPTS = 16;

export interface Ipv6OptionSpec {
  readonly type: number;
  /** Length of the option data; undefined means any length. */
  readonly length?: number;
}

/**
 * `type[:length][,...]` for the Hop-by-Hop and Destination Options headers. iptables stores
 * type and length in one byte each (bigger numbers wrap, with a warning here) and uses the
 * length 255 for "any length". Value: Ipv6OptionSpec[] in the order written.
 */
export function ipv6OptionList(what: string): ValueGrammar {
  return {
    name: 'type[:length][,type[:length]...]',
    parse(text) {
      const out: Ipv6OptionSpec[] = [];
      let warning: { message: string; at: [number, number]; kind: string } | undefined;
      let offset = 0;
      for (const part of text.split(',')) {
        const at: [number, number] = [offset, offset + part.length];
        offset += part.length + 1;
        const fields = part.split(':');
        if (fields.length > 2) return fail(`'${part}' is not type[:length]`, { at });
        const nums = fields.map((f, i) => parseWrappedByte(f, i === 0 ? `${what} option type` : `${what} option length`));
        for (const n of nums) {
          if ('error' in n) return fail(n.error, { at });
          if (n.warning) warning ??= { message: n.warning, at, kind: 'suspicious-value' };
        }
        const [type, len] = nums.map((n) => (n as { value: number }).value);
        out.push(len === undefined || len === 255 ? { type } : { type, length: len });
      }
      if (out.length > MAX_OPTS) return fail(`Too many options: at most ${MAX_OPTS} can be listed, this list has ${out.length}`);
      return ok(out, out.map((o) => (o.length === undefined ? String(o.type) : `${o.type}:${o.length}`)).join(','), warning);
    },
  };
}

/** hbh and dst differ only in their names. */
export function optionsHeaderMatch(name: 'hbh' | 'dst', family: Family, summary: string, doc: string): MatchModule {
  return {
    kind: 'match',
    name,
    families: [family],
    summary,
    doc,
    options: [
      // Value: header length (iptables takes any 32-bit number).
      {
        names: [`--${name}-len`],
        args: [uint('header length', 0, 0xffffffff)],
        negatable: true,
        doc: 'The length of the whole header in bytes, its first 8 bytes included: always a multiple of 8.',
      },
      {
        names: [`--${name}-opts`],
        args: [ipv6OptionList(name)],
        doc: 'The options the header starts with, in order, as `type[:length]` separated by commas (at most 16); a type without a length accepts any length. Padding counts: type 0 is Pad1, type 1 PadN.',
      },
    ],
  };
}

export const hbh = optionsHeaderMatch(
  'hbh',
  'ipv6',
  'Length and options of the IPv6 Hop-by-Hop Options header',
  `Tests the Hop-by-Hop Options header, the only IPv6 extension header that every router on the path reads. It carries the router alert that MLD and RSVP rely on, and jumbogram lengths. Without options, the module matches any packet that has the header.

\`\`\`iptables
-A INPUT -m hbh --hbh-opts 5:2 -j ACCEPT
-A FORWARD -m hbh -j DROP
\`\`\`

- \`-p 0\` does not select this header: 0 means every protocol. Use \`-m hbh\`.
- \`--hbh-opts\` compares from the first option of the header, in order, padding included (types 0 and 1). List every option up to the one you care about.
- \`--hbh-len\` counts the whole header in bytes, a multiple of 8.`,
);

import { MatchModule, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseUInt } from '../numbers';
import { printSkippingFullRanges } from '../grammars/header';

/** Mobility Header types (RFC 6275) with the short names ip6tables also accepts, in its order. */
export const MH_TYPE_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['binding-refresh-request', 0],
  ['brr', 0],
  ['home-test-init', 1],
  ['hoti', 1],
  ['careof-test-init', 2],
  ['coti', 2],
  ['home-test', 3],
  ['hot', 3],
  ['careof-test', 4],
  ['cot', 4],
  ['binding-update', 5],
  ['bu', 5],
  ['binding-acknowledgement', 6],
  ['ba', 6],
  ['binding-error', 7],
  ['be', 7],
];

/** A number or name; names match case-insensitively, exactly or else by the first name they start. */
function mhType(text: string): number | undefined {
  const n = parseUInt(text, 0, 255);
  if (n !== undefined) return n;
  const lower = text.toLowerCase();
  const entry = MH_TYPE_NAMES.find(([name]) => name === lower) ?? (lower ? MH_TYPE_NAMES.find(([name]) => name.startsWith(lower)) : undefined);
  return entry?.[1];
}

/** `type[:type]`, either end optional. Value: { min, max }. */
const mhTypeRange: ValueGrammar = {
  name: 'MH type[:type]',
  choices: MH_TYPE_NAMES.map(([n]) => n),
  parse(text) {
    const colon = text.indexOf(':');
    const loText = colon === -1 ? text : text.slice(0, colon);
    const hiText = colon === -1 ? text : text.slice(colon + 1);
    const lo = colon !== -1 && loText === '' ? 0 : mhType(loText);
    if (lo === undefined) return fail(`'${loText}' is not a Mobility Header type: use a number from 0 to 255 or a name such as binding-update`, { at: [0, loText.length] });
    const hi = colon !== -1 && hiText === '' ? 255 : mhType(hiText);
    if (hi === undefined) return fail(`'${hiText}' is not a Mobility Header type: use a number from 0 to 255 or a name such as binding-update`, { at: [colon + 1, text.length] });
    if (lo > hi) return fail(`MH type range ${text} is reversed (${lo} > ${hi}): write the smaller type first`);
    return ok({ min: lo, max: hi }, lo === hi ? String(lo) : `${lo}:${hi}`);
  },
};

export const mh: MatchModule = {
  kind: 'match',
  name: 'mh',
  families: ['ipv6'],
  // Every spelling of protocol 135 (the catalogue compares names).
  protocols: ['mh', 'ipv6-mh', 'mobility-header'],
  summary: 'The type of IPv6 Mobility Header packets',
  doc: `Tests the message type of an IPv6 Mobility Header. Mobile IPv6 uses these messages to keep a roaming host reachable at its home address: binding updates and acknowledgements, and the return-routability tests.

\`\`\`iptables
-A INPUT -p mh -m mh --mh-type binding-update -j ACCEPT
\`\`\`

- It needs \`-p mh\` (also \`ipv6-mh\` or \`135\`); iptables-save writes \`-p mobility-header\`.
- Short forms such as \`bu\` (binding-update) and \`ba\` (binding-acknowledgement) are accepted, and so are type numbers and ranges \`first:last\`.
- Mobile IPv6 is rare. Unless you run it, dropping protocol 135 altogether is simpler.`,
  options: [
    {
      names: ['--mh-type'],
      args: [mhTypeRange],
      negatable: true,
      doc: 'A message type by name (`binding-update`, `bu` ...) or by number from 0 to 255, or a range `first:last` (an open end means 0 or 255).',
    },
  ],
  print: (ext) => printSkippingFullRanges(mh, ext, { '--mh-type': 255 }),
};

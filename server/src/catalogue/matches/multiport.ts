import { BOTH_FAMILIES, MatchModule, ValueContext, ValueGrammar } from '../types';
import { fail, ok, PortRangeValue, protocolName, protocolNumber } from '../values';
import { parseUInt } from '../numbers';
import { SERVICES } from '../data/netdb';
import { exclusive, requireOneOf } from '../grammars/header';

/** The kernel's multiport match holds 15 port slots; a range takes two. */
const MAX_SLOTS = 15;

/** multiport looks service names up for the rule's own protocol (-p 6 counts as tcp). */
function multiportPort(text: string, ctx: ValueContext): number | undefined {
  const n = parseUInt(text, 0, 65535);
  if (n !== undefined) return n;
  const num = ctx.protocol === undefined ? undefined : protocolNumber(ctx.protocol);
  const proto = num === undefined ? undefined : protocolName(num, ctx.family);
  return proto === undefined ? undefined : SERVICES[`${text}/${proto}`];
}

/**
 * `port[,port|,port:port]...`: both ends of a range are required and the first must be
 * smaller than the second. Value: PortRangeValue[] in the order written (duplicates kept,
 * as iptables keeps them); a single port is { min: p, max: p }.
 */
const multiportList: ValueGrammar = {
  name: 'port[,port|,port:port]...',
  parse(text, ctx) {
    const items: PortRangeValue[] = [];
    const printed: string[] = [];
    let slots = 0;
    let offset = 0;
    for (const part of text.split(',')) {
      const at: [number, number] = [offset, offset + part.length];
      offset += part.length + 1;
      const ends = part.split(':');
      if (ends.length > 2) return fail(`'${part}' is not a port or a range first:last`, { at });
      const ports: number[] = [];
      let endOffset = at[0];
      for (const end of ends) {
        const p = end === '' ? undefined : multiportPort(end, ctx);
        if (p === undefined) {
          const why = end === '' ? 'a port is missing here (multiport needs both ends of a range)' : `'${end}' is not a port number or a known ${ctx.protocol ?? ''} service name`.replace('  ', ' ');
          return fail(why, { at: end === '' ? at : [endOffset, endOffset + end.length] });
        }
        ports.push(p);
        endOffset += end.length + 1;
      }
      if (ports.length === 2 && ports[0] >= ports[1])
        return fail(`Port range ${part} is not valid here: multiport needs the first port smaller than the second${ports[0] === ports[1] ? ` (write just ${ports[0]})` : ''}`, { at });
      items.push({ min: ports[0], max: ports[ports.length - 1] });
      printed.push(ports.join(':'));
      slots += ports.length;
    }
    if (slots > MAX_SLOTS) return fail(`Too many ports: multiport holds at most ${MAX_SLOTS} (a range counts as two), this list needs ${slots}`);
    return ok(items, printed.join(','));
  },
};

const PORT_OPTIONS = ['--sports', '--dports', '--ports'];

export const multiport: MatchModule = {
  kind: 'match',
  name: 'multiport',
  families: BOTH_FAMILIES,
  protocols: ['tcp', 'udp', 'udplite', 'sctp', 'dccp'],
  summary: 'Up to 15 source or destination ports and port ranges',
  doc: `Tests the port against a list, so that one rule covers several services. It works with TCP, UDP, UDP-Lite, SCTP and DCCP, and the rule must name that protocol with \`-p\`.

\`\`\`iptables
-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT
\`\`\`

- A list holds at most 15 ports, and a range \`first:last\` takes two places.
- Both ends of a range are required: \`1024:\` is refused, write \`1024:65535\`.
- One instance takes one list. To test source and destination, load \`-m multiport\` twice.
- \`--ports\` matches when *either* port is in the list, which is rarely what a firewall wants.
- With \`-p all\`, or no \`-p\`, iptables refuses the rule.
- TCP and UDP need a rule each: \`-p\` takes one protocol.`,
  options: [
    { names: ['--sports', '--source-ports'], args: [multiportList], negatable: true, doc: 'A comma-separated list of source ports and ranges `first:last`: 15 places at most, a range taking two. Service names are looked up for the rule\'s protocol.' },
    { names: ['--dports', '--destination-ports'], args: [multiportList], negatable: true, doc: 'A comma-separated list of destination ports and ranges `first:last`, such as `22,80,443,8000:8080`: 15 places at most, a range taking two.' },
    { names: ['--ports'], args: [multiportList], negatable: true, doc: 'True when the source port or the destination port is in the list. Same format and 15-place limit as `--dports`.' },
  ],
  check(ext) {
    return [
      ...requireOneOf(ext, 'multiport', PORT_OPTIONS, '--dports 80,443'),
      ...exclusive(ext, PORT_OPTIONS, ': one multiport match takes only one port list (use two -m multiport matches to test both directions)'),
    ];
  },
};

import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { enumOf, fail, ok, uint } from '../values';
import { portRangeFor } from '../grammars/header';

/** DCCP packet types in the order of their numbers (0-9; INVALID stands for 10-15). */
export const DCCP_TYPES = ['REQUEST', 'RESPONSE', 'DATA', 'ACK', 'DATAACK', 'CLOSEREQ', 'CLOSE', 'RESET', 'SYNC', 'SYNCACK', 'INVALID'] as const;

const typeName = enumOf('DCCP packet type', DCCP_TYPES, { caseInsensitive: true });

/**
 * Comma-separated packet types, any case; empty entries are skipped as iptables does.
 * Value: the type names, in number order. Printed in number order.
 */
const dccpTypes: ValueGrammar = {
  name: 'DCCP types (REQUEST,RESPONSE,DATA,...)',
  choices: DCCP_TYPES,
  parse(text, ctx) {
    const chosen = new Set<string>();
    let offset = 0;
    for (const part of text.split(',')) {
      if (part !== '') {
        const r = typeName.parse(part, ctx);
        if (!r.ok) return { ...r, at: [offset, offset + part.length] };
        chosen.add(r.value as string);
      }
      offset += part.length + 1;
    }
    if (chosen.size === 0) return fail('No DCCP packet type given');
    const names = DCCP_TYPES.filter((t) => chosen.has(t));
    return ok(names, names.join(','));
  },
};

// libxt_dccp looks service names up for any protocol; a full range is still printed.
const dccpPorts = portRangeFor(undefined);

export const dccp: MatchModule = {
  kind: 'match',
  name: 'dccp',
  families: BOTH_FAMILIES,
  protocols: ['dccp'],
  summary: 'DCCP ports, packet types and options',
  doc: `Tests the ports, packet type and options of a DCCP packet. DCCP is a rarely used datagram protocol with congestion control, found in some media streaming setups. iptables loads the module by itself when one of its options follows \`-p dccp\`.

\`\`\`iptables
-A INPUT -p dccp --dport 5004 --dccp-types REQUEST,DATA,ACK,DATAACK -j ACCEPT
\`\`\`

- Every option needs \`-p dccp\` before it.
- \`--dccp-types REQUEST\` matches only the opening request. Replies, data and the closing packets have other types, so list every type you want to let through.
- Service names are looked up in /etc/services whatever protocol they are listed under.`,
  options: [
    // Value: { min, max } port range.
    { names: ['--sport', '--source-port'], args: [dccpPorts], negatable: true, doc: 'The source port, or a range `first:last` (an open end means 0 or 65535). Service names from /etc/services work too.' },
    { names: ['--dport', '--destination-port'], args: [dccpPorts], negatable: true, doc: 'The destination port, or a range `first:last` (an open end means 0 or 65535). Service names from /etc/services work too.' },
    { names: ['--dccp-types'], args: [dccpTypes], negatable: true, doc: 'A comma-separated list of packet types; the packet must have one of them. The types are REQUEST, RESPONSE, DATA, ACK, DATAACK, CLOSEREQ, CLOSE, RESET, SYNC, SYNCACK and INVALID.' },
    // Value: option number.
    { names: ['--dccp-option'], args: [uint('DCCP option number', 1, 255)], negatable: true, doc: 'True when the DCCP header carries the option with this type number (1 to 255).' },
  ],
};

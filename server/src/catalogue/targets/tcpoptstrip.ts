import { BOTH_FAMILIES, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';

/** TCP option names iptables knows (lower case only) and their kinds. */
const TCP_OPTION_NAMES: Readonly<Record<string, number>> = {
  wscale: 3,
  mss: 2,
  'sack-permitted': 4,
  sack: 5,
  timestamp: 8,
  md5: 19,
};

/**
 * Comma-separated TCP option kinds, by number (2-255) or name, each once. Value: the kinds
 * in ascending order (number[]), printed that way as numbers.
 */
const tcpOptionList: ValueGrammar = {
  name: 'option[,option...]',
  choices: Object.keys(TCP_OPTION_NAMES),
  parse(text) {
    const kinds: number[] = [];
    let offset = 0;
    for (const part of text.split(',')) {
      const at: [number, number] = [offset, offset + part.length];
      const parsed = TCP_OPTION_NAMES[part] ?? parseCUnsigned(part);
      const kind = parsed === undefined || parsed > 255 ? undefined : Number(parsed);
      if (kind === undefined) return fail(`'${part}' is not a TCP option: give its number (2-255) or one of ${Object.keys(TCP_OPTION_NAMES).join(', ')}`, { at });
      if (kind < 2) return fail(`TCP option ${kind} (${kind === 0 ? 'end of list' : 'no-op'}) cannot be stripped: the kernel needs it to read the options`, { at });
      if (kinds.includes(kind)) return fail(`TCP option '${part}' is listed twice (it is option ${kind})`, { at });
      kinds.push(kind);
      offset += part.length + 1;
    }
    kinds.sort((a, b) => a - b);
    return ok(kinds, kinds.join(','));
  },
};

export const TCPOPTSTRIP: TargetSpec = {
  kind: 'target',
  name: 'TCPOPTSTRIP',
  families: BOTH_FAMILIES,
  terminating: false,
  protocols: ['tcp'],
  // The kernel registers it for the mangle table only (any of its chains).
  tables: ['mangle'],
  summary: 'Replace the given TCP options by no-ops',
  doc: `TCPOPTSTRIP removes the TCP options you list by overwriting them with no-op bytes; the header keeps its length. The packet goes on to the next rule.

It works only in the mangle table, in any chain, in a rule with \`-p tcp\`.

\`\`\`iptables
*mangle
-A FORWARD -p tcp -j TCPOPTSTRIP --strip-options timestamp
COMMIT
\`\`\`

- Strip an option from the SYN and SYN-ACK and both ends agree not to use it. Strip it only later, and the ends disagree, which can stall connections. In FORWARD, as above, both directions pass the rule.
- Stripping \`mss\` makes the peer fall back to 536 bytes (IPv4), which is slow; to lower the MSS, use TCPMSS.
- Stripping \`sack-permitted\` or \`wscale\` slows down fast long-distance transfers.`,
  options: [
    { names: ['--strip-options'], args: [tcpOptionList], doc: `Comma-separated TCP options to remove, by name (\`mss\`, \`wscale\`, \`sack-permitted\`, \`sack\`, \`timestamp\`, \`md5\`) or by kind number (2 to 255).` },
  ],
  check(ext) {
    return ext.options.length === 0
      ? [{ kind: 'suspicious-value', message: '-j TCPOPTSTRIP without --strip-options strips nothing: add e.g. --strip-options timestamp' }]
      : [];
  },
};

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
  options: [{ names: ['--strip-options'], args: [tcpOptionList] }],
  check(ext) {
    return ext.options.length === 0
      ? [{ kind: 'suspicious-value', message: '-j TCPOPTSTRIP without --strip-options strips nothing: add e.g. --strip-options timestamp' }]
      : [];
  },
};

import { BOTH_FAMILIES, TargetSpec, ValueGrammar } from '../types';
import { fail, ok, saveString } from '../values';
import { parseUInt } from '../numbers';
import { closest } from '../suggest';

/** Syslog level names iptables knows (case-sensitive), `panic` and `error` being old spellings. */
const LEVELS: ReadonlyMap<string, number> = new Map([
  ['emerg', 0],
  ['panic', 0],
  ['alert', 1],
  ['crit', 2],
  ['error', 3],
  ['warning', 4],
  ['notice', 5],
  ['info', 6],
  ['debug', 7],
]);

/** The level the kernel uses when none is given; iptables-save leaves it out. */
const DEFAULT_LEVEL = 4;

/** A number 0-7 or a level name. Value: number. */
const logLevel: ValueGrammar = {
  name: 'log level (0-7 or emerg, alert, crit, error, warning, notice, info, debug)',
  choices: ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'],
  parse(text) {
    const n = parseUInt(text, 0, 7);
    const level = n ?? LEVELS.get(text);
    if (level !== undefined) return ok(level, String(level));
    const lower = text.toLowerCase();
    const suggestion = LEVELS.has(lower) ? lower : closest(text, [...LEVELS.keys()]);
    return fail(`'${text}' is not a log level: use 0 to 7 or emerg, alert, crit, error, warning, notice, info, debug (lower case)${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`, { suggestion });
  },
};

/**
 * A log prefix: at least one character, no newline; iptables silently cuts it to the
 * `max` bytes the kernel structure holds. Value: the (cut) prefix string.
 */
export function logPrefix(max: number, who = 'iptables'): ValueGrammar {
  return {
    name: 'prefix',
    parse(text) {
      if (text.length === 0) return fail('The prefix must not be empty');
      if (text.includes('\n')) return fail('A log prefix cannot contain a newline');
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length <= max) return ok(text, saveString(text));
      const cut = bytes.subarray(0, max).toString('utf8').replace(/\uFFFD$/, '');
      return ok(cut, saveString(cut), { message: `The prefix is ${bytes.length} bytes long: ${who} keeps only the first ${max} ("${cut}")`, at: [cut.length, text.length] });
    },
  };
}

const flag = (name: string) => ({ names: [name], args: [] });

export const LOG: TargetSpec = {
  kind: 'target',
  name: 'LOG',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Write a line about the packet to the kernel log, then continue with the next rule',
  doc: `LOG writes one line about the packet (interfaces, addresses, ports, TCP flags) to the kernel log, where \`dmesg\`, \`journalctl -k\` or syslog show it. The packet is not changed and goes on to the next rule: LOG never decides its fate.

It works in every table and chain.

\`\`\`iptables
-A INPUT -p tcp --dport 23 -m limit --limit 5/min -j LOG --log-prefix "telnet: " --log-level info
-A INPUT -p tcp --dport 23 -j DROP
\`\`\`

- To log what you drop, write the same match twice: first with LOG, then with DROP or REJECT.
- Without \`-m limit\`, a flood fills the log and the disk.
- Inside a container or network namespace the kernel writes nothing unless \`net.netfilter.nf_log_all_netns=1\`; NFLOG has no such restriction.`,
  // Catalogue order is iptables-save's order.
  options: [
    { names: ['--log-prefix'], args: [logPrefix(29)], doc: `Text put at the start of each line, so you can find your rule with grep or a syslog filter. At most 29 characters; end it with a space or a colon, because the packet fields follow right after it.` },
    { names: ['--log-level'], args: [logLevel], doc: `Syslog priority of the lines: a number from 0 to 7 or a name from \`emerg\` to \`debug\`. The default is \`warning\` (4); a syslog rule can send one level to its own file.` },
    { ...flag('--log-tcp-sequence'), doc: `Adds the TCP sequence and acknowledgement numbers. Whoever can read the log could use them to hijack or reset live connections, so keep such logs private.` },
    { ...flag('--log-tcp-options'), doc: `Adds the options of the TCP header (MSS, window scale, SACK, timestamps) as hexadecimal bytes.` },
    { ...flag('--log-ip-options'), doc: `Adds the options of the IPv4 header, or the extension headers of an IPv6 packet.` },
    { ...flag('--log-uid'), doc: `Adds the user and group ID of the local process whose socket sent the packet. Useful in OUTPUT to find which program talks; forwarded packets have none.` },
    { ...flag('--log-macdecode'), doc: `Shows the Ethernet header as readable source MAC, destination MAC and EtherType, instead of one raw \`MAC=\` hex string.` },
  ],
  print(ext) {
    const out: string[] = [];
    for (const spec of LOG.options) {
      const o = ext.options.find((x) => x.spec === spec);
      if (!o) continue;
      if (spec.names[0] === '--log-level' && o.values[0] === DEFAULT_LEVEL) continue;
      out.push(spec.names[0], ...o.canonical);
    }
    return out;
  },
};

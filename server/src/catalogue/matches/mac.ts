import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail, ok } from '../values';

/**
 * Six colon-separated bytes in hex, printed with two lower-case digits each. iptables reads
 * each part with strtol and allows at most two characters, so `0:1:2:3:4:5` is fine and odd
 * spellings (an empty part, `-1`) are accepted too; we warn about those. Value: the address
 * as a 48-bit bigint.
 */
const macAddress: ValueGrammar = {
  name: 'XX:XX:XX:XX:XX:XX',
  parse(text) {
    const parts = text.split(':');
    if (parts.length !== 6 || parts.some((p) => !/^([0-9a-fA-F]{0,2}|[ +-][0-9a-fA-F])$/.test(p)))
      return fail(`'${text}' is not a MAC address: write six hex bytes separated by colons, like 52:54:00:12:34:56`);
    const bytes = parts.map((p) => (p === '' ? 0 : (parseInt(p.trim(), 16) + 256) % 256));
    const value = bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const canonical = bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
    const odd = parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p));
    return ok(value, canonical, odd ? { message: `'${text}' is an unusual spelling that iptables reads as ${canonical}`, kind: 'suspicious-value' } : undefined);
  },
};

export const mac: MatchModule = {
  kind: 'match',
  name: 'mac',
  families: BOTH_FAMILIES,
  // Only received packets carry a source MAC address the kernel can look at.
  hooks: ['PREROUTING', 'INPUT', 'FORWARD'],
  summary: 'The source MAC address of a received Ethernet frame',
  doc: `Matches the source MAC address of a received Ethernet frame. Use it on a local network to tie a rule to one device, such as a printer or a server with a DHCP reservation.

\`\`\`iptables
-A INPUT -i eth1 -m mac --mac-source 52:54:00:12:34:56 -p tcp --dport 631 -j ACCEPT
\`\`\`

- Only received packets have a source MAC: the kernel accepts the match in PREROUTING, INPUT and FORWARD only.
- The MAC is that of the last hop. Traffic that crossed a router carries the router's MAC, so this only identifies hosts on the same segment.
- MAC addresses are easy to change, and phones pick a random one per network. Treat the match as a convenience, not as authentication.`,
  options: [{ names: ['--mac-source'], args: [macAddress], negatable: true, doc: 'Source MAC to compare: six hex bytes separated by colons, e.g. `52:54:00:12:34:56`. Upper or lower case does not matter.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m mac needs --mac-source XX:XX:XX:XX:XX:XX' }] : [];
  },
};

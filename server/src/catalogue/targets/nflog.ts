import { BOTH_FAMILIES, ExtensionProblem, TargetSpec, ValueGrammar } from '../types';
import { uint } from '../values';
import { logPrefix } from './log';
import { findOption as opt } from '../parsed';

/** --nflog-range: accepted, but the kernel never used it (and iptables-nft drops it). Value: number. */
const nflogRange: ValueGrammar = {
  name: 'size in bytes',
  parse(text, ctx) {
    const r = uint('size in bytes', 0, 0xffffffff).parse(text, ctx);
    if (!r.ok) return r;
    return { ...r, warning: { message: '--nflog-range has never had any effect: use --nflog-size to limit the bytes copied to user space' } };
  },
};

export const NFLOG: TargetSpec = {
  kind: 'target',
  name: 'NFLOG',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Send the packet to user space through nfnetlink_log (ulogd, tcpdump -i nflog), then continue',
  doc: `NFLOG passes a copy of the packet to the user-space programs listening on a netlink log group: ulogd2, \`tcpdump -i nflog:5\`, Wireshark or an IDS. The packet itself is not changed and goes on to the next rule.

It works in every table and chain.

\`\`\`iptables
-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j NFLOG --nflog-group 5 --nflog-prefix "ssh-new"
-A INPUT -p tcp --dport 22 -j ACCEPT
\`\`\`

- Like LOG, NFLOG never decides: the DROP or ACCEPT belongs in the next rule.
- When nothing listens on the group, the copy is lost; the packet is not affected.
- Unlike LOG, it also works inside containers and network namespaces.
- Add \`--nflog-size 128\` when the headers are enough: copying whole packets costs bandwidth to user space.`,
  // Catalogue order is iptables-save's order.
  options: [
    // The legacy backend keeps 63 bytes (the nft backend keeps more).
    { names: ['--nflog-prefix'], args: [logPrefix(63, 'iptables-legacy')], doc: `A label sent with each packet, so the reading program can tell your rules apart. iptables-legacy keeps at most 63 characters.` },
    { names: ['--nflog-group'], args: [uint('netlink group', 0, 65535)], doc: `The netlink group (0 to 65535) the copies go to; the reader subscribes to the same number, e.g. \`tcpdump -i nflog:5\`. Default 0.` },
    { names: ['--nflog-size'], args: [uint('size in bytes', 0, 0xffffffff)], doc: `How many bytes of each packet to copy, counted from the start of the IP header. A small value such as 128 keeps the headers and saves bandwidth.` },
    { names: ['--nflog-range'], args: [nflogRange], doc: `Obsolete: this option never had any effect. Use \`--nflog-size\` to limit the bytes copied.` },
    // Upstream documents 1 as the smallest useful value, but iptables takes 0 (the default).
    { names: ['--nflog-threshold'], args: [uint('packet count', 0, 65535)], doc: `How many packets the kernel collects before it sends them to the reader in one batch. A higher number costs less per packet but delivers later.` },
  ],
  check(ext) {
    const range = opt(ext, '--nflog-range');
    const size = opt(ext, '--nflog-size');
    if (range && size) {
      const later = range.index > size.index ? range : size;
      return [{ kind: 'conflicting-options', message: '--nflog-range and --nflog-size cannot be combined: keep --nflog-size (--nflog-range never worked)', option: later }] satisfies ExtensionProblem[];
    }
    return [];
  },
  // Zero group and threshold are the defaults and are left out; a size is printed even when 0.
  print(ext) {
    const out: string[] = [];
    for (const spec of NFLOG.options) {
      const o = ext.options.find((x) => x.spec === spec);
      if (!o) continue;
      const name = spec.names[0];
      if ((name === '--nflog-group' || name === '--nflog-threshold' || name === '--nflog-range') && o.values[0] === 0) continue;
      out.push(name, ...o.canonical);
    }
    return out;
  },
};

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
  // Catalogue order is iptables-save's order.
  options: [
    // The legacy backend keeps 63 bytes (the nft backend keeps more).
    { names: ['--nflog-prefix'], args: [logPrefix(63, 'iptables-legacy')] },
    { names: ['--nflog-group'], args: [uint('netlink group', 0, 65535)] },
    { names: ['--nflog-size'], args: [uint('size in bytes', 0, 0xffffffff)] },
    { names: ['--nflog-range'], args: [nflogRange] },
    // Upstream documents 1 as the smallest useful value, but iptables takes 0 (the default).
    { names: ['--nflog-threshold'], args: [uint('packet count', 0, 65535)] },
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

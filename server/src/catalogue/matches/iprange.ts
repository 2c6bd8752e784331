import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { addressRange, AddressRangeValue, ok } from '../values';
import { formatAddress } from '../addresses';

/**
 * `from[-to]`, addresses only (no masks, no host names). iptables-save always prints both
 * ends, even for a single address. Value: AddressRangeValue { family, min, max }.
 */
const ipRange: ValueGrammar = {
  name: 'address[-address]',
  parse(text, ctx) {
    const r = addressRange.parse(text, ctx);
    if (!r.ok) return r;
    const v = r.value as AddressRangeValue;
    const canonical = `${formatAddress(v.family, v.min)}-${formatAddress(v.family, v.max)}`;
    // The kernel loads a reversed range but it never matches (it only logs a note).
    if (v.min > v.max)
      return ok(v, canonical, { message: `The range ${text} is reversed and will never match: write ${formatAddress(v.family, v.max)}-${formatAddress(v.family, v.min)}`, kind: 'suspicious-value' });
    return ok(v, canonical);
  },
};

export const iprange: MatchModule = {
  kind: 'match',
  name: 'iprange',
  families: BOTH_FAMILIES,
  summary: 'Source or destination address within an arbitrary from-to range',
  doc: `Matches source or destination addresses inside an arbitrary from-to range, such as \`192.168.1.100-192.168.1.150\`. Use it when a block is not a neat prefix, for example a DHCP pool.

\`\`\`iptables
-A FORWARD -m iprange --src-range 192.168.1.100-192.168.1.150 -o eth0 -j DROP
\`\`\`

- Both ends are included, and only plain addresses work: no prefixes, no host names.
- A reversed range (high-low) loads without complaint and never matches.
- For many ranges, or ranges that change, an ipset (\`-m set\` with a hash:net or bitmap:ip set) is faster and can be updated without touching the rules.`,
  options: [
    { names: ['--src-range'], args: [ipRange], negatable: true, doc: 'The source address must lie between the two addresses (`from-to`), both included. A single address also works.' },
    { names: ['--dst-range'], args: [ipRange], negatable: true, doc: 'The destination address must lie between the two addresses (`from-to`), both included.' },
  ],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m iprange needs --src-range or --dst-range (from-to)' }] : [];
  },
};

import { MatchModule, ValueGrammar } from '../types';
import { fail, ok, uint } from '../values';

/** MAXGENRELEN is 32 bytes including the terminating NUL. */
const MAX_GENRE = 31;

/**
 * An OS genre from the loaded fingerprints (`Linux`, `Windows`). iptables cuts longer
 * names and prints the genre without quotes. Value: the genre as stored.
 */
const genre: ValueGrammar = {
  name: 'OS genre',
  parse(text) {
    if (text.length === 0) return fail('Empty OS genre');
    if (text.length > MAX_GENRE) {
      const cut = text.slice(0, MAX_GENRE);
      return ok(cut, cut, { message: `The genre is longer than ${MAX_GENRE} characters: iptables cuts it to '${cut}'`, kind: 'suspicious-value' });
    }
    return ok(text, text);
  },
};

export const osf: MatchModule = {
  kind: 'match',
  name: 'osf',
  families: ['ipv4'],
  protocols: ['tcp'],
  semantics: 'unknown',
  // Fingerprints are taken from incoming SYN packets only.
  hooks: ['PREROUTING', 'INPUT', 'FORWARD'],
  summary: 'Passive operating system fingerprinting of TCP SYN packets',
  doc: `Guesses the operating system of the sender from the shape of its TCP SYN packets (window size, options, TTL), without sending anything itself. Use it to log, or treat differently, traffic from systems you do not expect. IPv4 and TCP only.

\`\`\`iptables
-A INPUT -p tcp --syn --dport 25 -m osf --genre Windows -j DROP
\`\`\`

- The fingerprint list starts empty. Load it with \`nfnl_osf -f /usr/share/xtables/pf.os\`; until then the rule matches nothing.
- Only SYN packets carry a fingerprint. The other packets of a connection never match, so act on the first packet (or mark the connection).
- Fingerprints are easy to fake and age as systems change: do not base security on them.`,
  options: [
    { names: ['--genre'], args: [genre], negatable: true, doc: 'Operating system family as named in the fingerprint file, such as `Linux`, `Windows` or `FreeBSD`.' },
    // Value: number (0 exact TTL, 1 TTL below the fingerprint's, 2 no TTL check).
    { names: ['--ttl'], args: [uint('TTL check level (0, 1 or 2)', 0, 2)], doc: 'How strictly the TTL is compared with the fingerprint\'s: 0 exact (fine on a LAN), 1 the packet\'s TTL may be lower (traffic from far away), 2 not at all.' },
    // Value: number (0 all, 1 first only, 2 known matches).
    { names: ['--log'], args: [uint('log level (0, 1 or 2)', 0, 2)], doc: 'Logs detected systems to the kernel log even when they do not match: 0 every fingerprint found, 1 only the first, 2 only known ones.' },
  ],
  check(ext) {
    return ext.options.some((o) => o.spec.names[0] === '--genre') ? [] : [{ kind: 'missing-required-option', message: '-m osf needs --genre NAME (for example --genre Linux)' }];
  },
};

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
  options: [
    { names: ['--genre'], args: [genre], negatable: true },
    // Value: number (0 exact TTL, 1 TTL below the fingerprint's, 2 no TTL check).
    { names: ['--ttl'], args: [uint('TTL check level (0, 1 or 2)', 0, 2)] },
    // Value: number (0 all, 1 first only, 2 known matches).
    { names: ['--log'], args: [uint('log level (0, 1 or 2)', 0, 2)] },
  ],
  check(ext) {
    return ext.options.some((o) => o.spec.names[0] === '--genre') ? [] : [{ kind: 'missing-required-option', message: '-m osf needs --genre NAME (for example --genre Linux)' }];
  },
};

import { MatchModule } from '../types';
import { namedValueMask } from '../grammars/named-value';

/** Realm names every iproute2 installation ships (/etc/iproute2/rt_realms). */
const REALM_NAMES = { cosmos: 0 };

export const realm: MatchModule = {
  kind: 'match',
  name: 'realm',
  families: ['ipv4'],
  semantics: 'unknown',
  // The realm comes from the routing decision, which PREROUTING comes before.
  hooks: ['INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  summary: 'The routing realm of the route the packet took',
  // Value: NamedValue { value, mask, name }.
  options: [{ names: ['--realm'], args: [namedValueMask('realm', REALM_NAMES)], negatable: true }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m realm needs --realm VALUE[/MASK]' }] : [];
  },
};

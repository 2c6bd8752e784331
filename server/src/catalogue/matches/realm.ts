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
  doc: `Matches the routing realm of the route the packet took. Realms are tags you put on routes (\`ip route add 10.5.0.0/16 via 192.0.2.1 realm 5\`), often from a BGP daemon, to classify traffic by where it goes. IPv4 only.

\`\`\`iptables
-A FORWARD -m realm --realm 5 -j ACCEPT
\`\`\`

- The realm comes from the routing decision, so the match does not work in PREROUTING; the kernel refuses it there.
- Routes without a realm have realm 0; only routes tagged by you or your routing daemon carry one.
- Names come from /etc/iproute2/rt_realms on the machine that loads the rules. Use numbers to be safe.`,
  // Value: NamedValue { value, mask, name }.
  options: [{ names: ['--realm'], args: [namedValueMask('realm', REALM_NAMES)], negatable: true, doc: 'Realm number with an optional /mask, or a name from /etc/iproute2/rt_realms (names take no mask).' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m realm needs --realm VALUE[/MASK]' }] : [];
  },
};

import { BOTH_FAMILIES, MatchModule } from '../types';
import { markMatchValue } from './mark';

export const connmark: MatchModule = {
  kind: 'match',
  name: 'connmark',
  families: BOTH_FAMILIES,
  summary: "The connection's mark (set by -j CONNMARK)",
  doc: `Tests the mark stored on the connection, not on the packet. It lasts as long as the connection, so you classify the first packet once with \`-j CONNMARK --set-mark\` and recognise every later packet, in both directions, by that mark.

\`\`\`iptables
*mangle
-A PREROUTING -i ppp0 -m conntrack --ctstate NEW -j CONNMARK --set-mark 0x2
-A OUTPUT -m connmark --mark 0x2 -j MARK --set-mark 0x2
\`\`\`

Here replies to connections that came in on ppp0 get packet mark 2, so an \`ip rule fwmark 2\` can route them back out the same line.

- The connection mark and the packet mark (\`-m mark\`) are separate fields. Policy routing and tc only see the packet mark: copy it over with \`-j CONNMARK --restore-mark\`.
- The mark is 0 until a rule sets it, and that rule must run before the test (earlier in the chain, or in an earlier table or hook).
- Use a mask when other software also uses mark bits: \`--mark 0x2/0xff\` ignores the bits it does not own.`,
  options: [{ names: ['--mark'], args: [markMatchValue], negatable: true, doc: 'Value to compare, optionally with a /mask: the rule matches when the connection mark AND mask equals the value. Without a mask all 32 bits must be equal.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m connmark needs --mark value[/mask]' }] : [];
  },
};

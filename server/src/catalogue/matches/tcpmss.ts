import { BOTH_FAMILIES, MatchModule } from '../types';
import { uintRange } from '../values';
import { requireOneOf } from '../grammars/header';

export const tcpmss: MatchModule = {
  kind: 'match',
  name: 'tcpmss',
  families: BOTH_FAMILIES,
  protocols: ['tcp'],
  summary: 'The MSS option of TCP SYN and SYN/ACK packets',
  doc: `Tests the maximum segment size that a TCP peer announces in its SYN or SYN/ACK. Its main use is to pick the handshakes whose MSS is too large for a tunnel or a PPPoE link, and rewrite them with the TCPMSS target.

\`\`\`iptables
-A FORWARD -p tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1413:65535 -j TCPMSS --clamp-mss-to-pmtu
\`\`\`

- It needs \`-p tcp\`.
- Only handshake packets carry the MSS option. A packet without it never matches \`--mss\` and always matches \`! --mss\`, so a negated test hits nearly all traffic.
- \`--tcp-flags SYN,RST SYN\`, as in the example, catches both the SYN and the SYN/ACK, since ACK is not looked at; \`--syn\` would catch the SYN only.`,
  options: [
    // Value: { min, max } MSS range; iptables prints `:` as 0:65535.
    { names: ['--mss'], args: [uintRange('MSS value', 0, 65535)], negatable: true, doc: 'The announced MSS in bytes, or a range `min:max` (an open end means 0 or 65535).' },
  ],
  check: (ext) => requireOneOf(ext, 'tcpmss', ['--mss'], '--mss 1400:65535'),
};

import { BOTH_FAMILIES, MatchModule } from '../types';
import { uintRange } from '../values';
import { requireOneOf } from '../grammars/header';

export const length: MatchModule = {
  kind: 'match',
  name: 'length',
  families: BOTH_FAMILIES,
  summary: 'Length of the whole packet, IP header included (IPv4 total length; IPv6 payload length plus the 40-byte header)',
  doc: `Tests the size of the whole IP packet in bytes, its header included: the IPv4 total length, or the IPv6 payload plus the 40-byte header. Use it to catch oversized pings or tiny probes, or to steer small packets such as bare TCP acknowledgements into a faster queue.

\`\`\`iptables
-A POSTROUTING -o eth0 -p tcp -m length --length 0:128 -j CLASSIFY --set-class 1:10
\`\`\`

- The IP header counts: a TCP SYN without options is 40 bytes in IPv4 and 60 in IPv6.
- \`--length 1000\` matches exactly 1000 bytes. For "at least", write a range such as \`1000:65535\`.
- With receive offloading (GRO), the kernel may merge segments, so packets larger than the MTU do show up.
- Fragments are tested one by one, unless connection tracking has reassembled them.`,
  options: [
    // Value: { min, max } length range in bytes; `:` prints as 0:65535.
    { names: ['--length'], args: [uintRange('length', 0, 65535)], negatable: true, doc: 'A size in bytes, IP header included, or a range `min:max` (an open end means 0 or 65535).' },
  ],
  check: (ext) => requireOneOf(ext, 'length', ['--length'], '--length 0:1000'),
};

import { BOTH_FAMILIES, MatchModule } from '../types';
import { interfaceName } from '../values';
import { hookProblem } from '../grammars/placement';
import { Hook } from '../types';
import { findOption as find } from '../parsed';

export const physdev: MatchModule = {
  kind: 'match',
  name: 'physdev',
  families: BOTH_FAMILIES,
  summary: 'The bridge ports a bridged packet came in on or goes out through',
  doc: `On a Linux bridge, matches the ports (enslaved interfaces) a packet enters or leaves through. Plain \`-i\`/\`-o\` only see the bridge itself (\`br0\`); physdev tells \`eth0\` from \`tap3\` behind it. Use it to filter between virtual machines or containers on the same bridge.

\`\`\`iptables
-A FORWARD -m physdev --physdev-in tap3 --physdev-is-bridged -j DROP
\`\`\`

- Bridged traffic only reaches iptables when the br_netfilter module is loaded and \`net.bridge.bridge-nf-call-iptables\` is 1 (\`bridge-nf-call-ip6tables\` for IPv6). Otherwise these rules never see it.
- The outgoing port is known only for bridged packets in FORWARD and POSTROUTING. For traffic the host sends itself it is not chosen yet, so the kernel refuses \`--physdev-out\` in OUTPUT unless \`--physdev-is-bridged\` is given.`,
  // In the order iptables-save prints them.
  options: [
    { names: ['--physdev-is-in'], args: [], negatable: true, doc: 'Matches if the packet came in through a bridge port.' },
    // Value: InterfaceValue { name, wildcard } (`eth+` is a prefix match).
    { names: ['--physdev-in'], args: [interfaceName], negatable: true, doc: 'Bridge port the packet came in on; a trailing `+` matches every port whose name starts with the text. Packets that did not cross a bridge never match, unless negated.' },
    { names: ['--physdev-is-out'], args: [], negatable: true, doc: 'Matches if the packet will leave through a bridge port.' },
    { names: ['--physdev-out'], args: [interfaceName], negatable: true, doc: 'Bridge port the packet will leave through; a trailing `+` is a wildcard. It is known only for bridged packets in FORWARD and POSTROUTING.' },
    { names: ['--physdev-is-bridged'], args: [], negatable: true, doc: 'Matches if the packet is being bridged (passed between ports) rather than routed. Add it to rules that test the outgoing port.' },
  ],
  check(ext, rule) {
    if (ext.options.length === 0)
      return [{ kind: 'missing-required-option', message: '-m physdev needs an option, such as --physdev-in PORT or --physdev-is-bridged' }];
    // The kernel refuses output-port tests in OUTPUT unless the rule is limited to bridged
    // traffic: a locally sent packet has not chosen its bridge port yet.
    const out = find(ext, '--physdev-out') ?? find(ext, '--physdev-is-out');
    const bridged = find(ext, '--physdev-is-bridged');
    if (out && (!bridged || bridged.negated))
      return hookProblem(rule, ['PREROUTING', 'INPUT', 'FORWARD', 'POSTROUTING'], `${out.spec.names[0]} without --physdev-is-bridged`, 'locally generated packets have no output bridge port yet (add --physdev-is-bridged or use FORWARD/POSTROUTING)', out);
    return [];
  },
  hooksFor(ext) {
    const out = find(ext, '--physdev-out') ?? find(ext, '--physdev-is-out');
    const bridged = find(ext, '--physdev-is-bridged');
    return out && (!bridged || bridged.negated) ? NOT_LOCAL_OUT : undefined;
  },
};

const NOT_LOCAL_OUT: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'POSTROUTING'];

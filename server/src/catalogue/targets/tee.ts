import { BOTH_FAMILIES, ExtensionProblem, TargetSpec, ValueGrammar } from '../types';
import { hostAddress, HostValue } from './tproxy';
import { fail, ok } from '../values';

/** --gateway: a host address; the kernel refuses the unspecified address. Value: HostValue. */
const gateway: ValueGrammar = {
  name: 'address',
  parse(text, ctx) {
    const r = hostAddress.parse(text, ctx);
    if (r.ok && (r.value as HostValue).address === 0n) return fail(`${r.canonical} is not a usable gateway: give the address of the host that receives the copies`);
    return r;
  },
};

/** --oif: an interface name, which iptables cuts to 15 characters. Value: string. */
const outInterface: ValueGrammar = {
  name: 'interface',
  parse(text) {
    if (text.length <= 15) return ok(text, text);
    const cut = text.slice(0, 15);
    return ok(cut, cut, { message: `Interface names have at most 15 characters: iptables keeps '${cut}'`, at: [15, text.length] });
  },
};

export const TEE: TargetSpec = {
  kind: 'target',
  name: 'TEE',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Send a copy of the packet to another host on the local network, then continue',
  doc: `TEE sends a copy of the packet to another host on a directly connected network, such as a capture box or an IDS. The original packet goes on, unchanged, to the next rule.

It works in any table and chain; mangle PREROUTING (copies of what arrives) or POSTROUTING (copies of what leaves) are the usual places.

\`\`\`iptables
*mangle
-A PREROUTING -i eth0 -p tcp --dport 443 -j TEE --gateway 192.168.1.250
COMMIT
\`\`\`

- The gateway must be on a local link: the copy is handed to it as the next hop and not routed further.
- The copies keep their original addresses, so the receiving host must accept packets not meant for it (capture in promiscuous mode, or a route).
- Each copy is extra traffic on that link: copy only what you need.`,
  options: [
    { names: ['--gateway'], args: [gateway], doc: `Address of the host that gets the copies. It must be directly reachable on a local link; 0.0.0.0 and :: are refused.` },
    { names: ['--oif'], args: [outInterface], doc: `Sends the copies out of this interface instead of the one the routing table picks for the gateway; useful for a dedicated monitoring port or a link-local IPv6 gateway.` },
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    if (!ext.options.some((o) => o.spec.names[0] === '--gateway'))
      problems.push({ kind: 'missing-required-option', message: 'TEE needs --gateway ADDRESS (the host that receives the copies)' });
    return problems;
  },
};

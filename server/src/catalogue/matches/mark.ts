import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { ok, valueMask } from '../values';

const FULL = 0xffffffff;
const markValue = valueMask('mark');

/**
 * `value[/mask]` as the mark and connmark matches take it: 32-bit C numbers (0x.., 0..).
 * iptables-save prints hex and leaves out a full mask. Value: {value, mask}; the packet
 * matches when (mark & mask) == value.
 */
export const markMatchValue: ValueGrammar = {
  name: 'value[/mask]',
  parse(text, ctx) {
    const r = markValue.parse(text, ctx);
    if (!r.ok) return r;
    const { value, mask } = r.value as { value: number; mask: number };
    const canonical = mask === FULL ? `0x${value.toString(16)}` : `0x${value.toString(16)}/0x${mask.toString(16)}`;
    const warning = (value & ~mask) >>> 0 ? { message: `value 0x${value.toString(16)} has bits outside mask 0x${mask.toString(16)}: (mark & mask) can never equal it, so the rule never matches` } : undefined;
    return ok({ value, mask }, canonical, warning);
  },
};

export const mark: MatchModule = {
  kind: 'match',
  name: 'mark',
  families: BOTH_FAMILIES,
  summary: "The packet's firewall mark (set by -j MARK)",
  doc: `Tests the packet's firewall mark (fwmark), a 32-bit number that exists only inside this host. Nothing on the wire carries it: a rule (\`-j MARK\`, \`-j CONNMARK --restore-mark\`), a socket option (SO_MARK) or software such as a VPN client sets it, and policy routing, tc and later rules read it.

\`\`\`iptables
# the mangle table marked VPN traffic with -j MARK --set-mark 0x10
-A FORWARD -m mark --mark 0x10/0xff -j ACCEPT
\`\`\`

- The mark is 0 until something sets it. A test that runs before the setting rule sees the old value: raw runs before mangle, and mangle before nat and filter at the same hook.
- The mark belongs to one packet. To give every packet of a connection the same mark, save it with \`-j CONNMARK --save-mark\` and restore it on later packets.
- Other software shares the 32 bits (Kubernetes, Tailscale and wg-quick use bits of their own). Test with a mask so you only look at your bits.`,
  options: [{ names: ['--mark'], args: [markMatchValue], negatable: true, doc: 'Value to compare, optionally with a /mask: the packet matches when its mark AND mask equals the value. Without a mask the whole 32-bit mark must be equal.' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m mark needs --mark value[/mask]' }] : [];
  },
};

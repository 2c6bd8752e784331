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
  options: [{ names: ['--mark'], args: [markMatchValue], negatable: true }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m mark needs --mark value[/mask]' }] : [];
  },
};

import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseUInt } from '../numbers';
import { requireOneOf } from '../grammars/header';

/** The RFC 1349 names iptables accepts; a name implies the mask 0x3f (which leaves out the two precedence bits, not the ECN bits). */
export const TOS_NAMES: Readonly<Record<string, number>> = {
  'Minimize-Delay': 0x10,
  'Maximize-Throughput': 0x08,
  'Maximize-Reliability': 0x04,
  'Minimize-Cost': 0x02,
  'Normal-Service': 0x00,
};

const hex2 = (v: number): string => '0x' + v.toString(16).padStart(2, '0');

export interface TosValue {
  readonly value: number;
  readonly mask: number;
}

/** `value[/mask]` (8-bit numbers, mask 0xff by default) or a name (any case). Value: TosValue. */
const tosValue: ValueGrammar = {
  name: 'TOS value[/mask] or name',
  choices: Object.keys(TOS_NAMES),
  parse(text) {
    const name = Object.keys(TOS_NAMES).find((n) => n.toLowerCase() === text.toLowerCase());
    let v: TosValue;
    if (name) v = { value: TOS_NAMES[name], mask: 0x3f };
    else {
      const slash = text.indexOf('/');
      const value = parseUInt(slash === -1 ? text : text.slice(0, slash), 0, 255);
      const mask = slash === -1 ? 0xff : parseUInt(text.slice(slash + 1), 0, 255);
      if (value === undefined || mask === undefined) {
        if (slash === -1 && !/^[0-9]/.test(text)) return fail(`'${text}' is not a TOS name: use ${Object.keys(TOS_NAMES).join(', ')} or a number`);
        return fail(`'${text}' is not a valid TOS value[/mask]: both are numbers from 0 to 0xff`);
      }
      v = { value, mask };
    }
    const warning =
      (v.value & ~v.mask) !== 0
        ? { message: `The value ${hex2(v.value)} has bits outside the mask ${hex2(v.mask)}, so no packet can match: use ${hex2(v.value & v.mask)}/${hex2(v.mask)}`, kind: 'suspicious-value' }
        : undefined;
    return ok(v, `${hex2(v.value)}/${hex2(v.mask)}`, warning);
  },
};

export const tos: MatchModule = {
  kind: 'match',
  name: 'tos',
  families: BOTH_FAMILIES,
  summary: 'The TOS byte of the IPv4 header or the traffic class of the IPv6 header',
  doc: `Tests the TOS byte of the IPv4 header, or the traffic class byte of IPv6, through an optional mask. The TOS meanings (low delay, high throughput ...) are obsolete; DiffServ reuses the byte, so prefer \`-m dscp\` unless you need bits it does not cover.

\`\`\`iptables
-A PREROUTING -p tcp --dport 22 -m tos --tos 0x10/0x10 -j MARK --set-mark 1
\`\`\`

- Without a mask, the mask is \`0xff\`: the ECN bits count too, and an ECN-capable packet fails \`--tos 0x10\`. A mask such as \`0xfc\` leaves them out.
- The names (\`Minimize-Delay\` ...) imply the mask \`0x3f\`. It leaves out the top two bits, not the ECN bits.
- A value with bits outside the mask never matches.`,
  options: [
    {
      names: ['--tos'],
      args: [tosValue],
      negatable: true,
      doc: 'A byte `value/mask` (the mask defaults to `0xff`): the packet byte is ANDed with the mask, then compared with the value. A name such as `Minimize-Delay` stands for `0x10/0x3f`.',
    },
  ],
  check: (ext) => requireOneOf(ext, 'tos', ['--tos'], '--tos 0x10/0x3f'),
};

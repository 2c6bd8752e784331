import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { enumOf, ok, uint } from '../values';
import { exclusive, findOption, requireOneOf } from '../grammars/header';

/** DiffServ class names and their DSCP values. */
export const DSCP_CLASSES: Readonly<Record<string, number>> = {
  CS0: 0, CS1: 8, CS2: 16, CS3: 24, CS4: 32, CS5: 40, CS6: 48, CS7: 56, BE: 0,
  AF11: 10, AF12: 12, AF13: 14, AF21: 18, AF22: 20, AF23: 22,
  AF31: 26, AF32: 28, AF33: 30, AF41: 34, AF42: 36, AF43: 38, EF: 46,
};

const hex2 = (v: number): string => '0x' + v.toString(16).padStart(2, '0');

const number = uint('DSCP value', 0, 63);
const className = enumOf('DiffServ class', Object.keys(DSCP_CLASSES), { caseInsensitive: true });

/** Value: the 6-bit DSCP number; printed as iptables-save does, `0x` and two hex digits. */
const dscpValue: ValueGrammar = {
  name: 'DSCP value (0-63)',
  parse(text, ctx) {
    const r = number.parse(text, ctx);
    return r.ok ? ok(r.value, hex2(r.value as number)) : r;
  },
};

/** Value: the class's DSCP number (names in any case). */
const dscpClass: ValueGrammar = {
  name: 'DiffServ class (EF, AF11-AF43, CS0-CS7, BE)',
  choices: className.choices,
  parse(text, ctx) {
    const r = className.parse(text, ctx);
    return r.ok ? ok(DSCP_CLASSES[r.value as string], hex2(DSCP_CLASSES[r.value as string])) : r;
  },
};

const OPTIONS = ['--dscp', '--dscp-class'];

export const dscp: MatchModule = {
  kind: 'match',
  name: 'dscp',
  families: BOTH_FAMILIES,
  summary: 'The DSCP (DiffServ) field of the IP header',
  doc: `Tests the DSCP, the 6-bit class that DiffServ networks use for quality of service. It sits in the upper six bits of the IPv4 TOS byte or of the IPv6 traffic class. Use it to send marked traffic, such as voice marked EF, to the right queue.

\`\`\`iptables
-A POSTROUTING -o eth0 -m dscp --dscp-class EF -j CLASSIFY --set-class 1:10
\`\`\`

- The value is the DSCP, 0 to 63, not the whole byte. EF is \`46\` (\`0x2e\`), while a packet capture shows the TOS byte \`0xb8\`.
- A class name is saved as its number: \`--dscp-class EF\` comes back as \`--dscp 0x2e\`.
- Give \`--dscp\` or \`--dscp-class\`, not both.
- The two ECN bits below the DSCP are ignored.`,
  options: [
    { names: ['--dscp'], args: [dscpValue], negatable: true, doc: 'The DSCP as a number from 0 to 63, in decimal or hex: `46` or `0x2e` for EF.' },
    { names: ['--dscp-class'], args: [dscpClass], negatable: true, doc: 'A DiffServ class name: `EF`, `AF11` to `AF43`, `CS0` to `CS7` or `BE`. iptables turns it into the number.' },
  ],
  check: (ext) => [...requireOneOf(ext, 'dscp', OPTIONS, '--dscp-class EF'), ...exclusive(ext, OPTIONS, ': give the value either as a number or as a class')],
  // A class is stored as its number and printed back as --dscp.
  print(ext) {
    const o = findOption(ext, '--dscp') ?? findOption(ext, '--dscp-class');
    return o ? [...(o.negated ? ['!'] : []), '--dscp', o.canonical[0]] : [];
  },
};

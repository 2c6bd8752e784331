import { BOTH_FAMILIES, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { requireOne } from '../grammars/mangle-targets';

export interface ClassValue {
  /** tc class major and minor numbers, 16 bits each. */
  readonly major: number;
  readonly minor: number;
}

/**
 * Reads one `%x` conversion as C's sscanf does: optional blanks and sign, optional `0x`,
 * hex digits; the number is cut to 32 bits as it is stored in an unsigned int. Returns the value and where it stopped.
 */
function scanHex(text: string, from: number): { value: number; end: number } | undefined {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') negative = text[i++] === '-';
  let digits = '';
  let prefixed = false;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    prefixed = true;
    i += 2;
  }
  while (i < text.length && /[0-9a-fA-F]/.test(text[i])) digits += text[i++];
  if (digits === '' && !prefixed) return undefined;
  let value = digits === '' ? 0n : BigInt('0x' + digits);
  if (value > 0xffffffffffffffffn) value = 0xffffffffffffffffn; // strtoul saturates
  if (negative) value = -value;
  return { value: Number(BigInt.asUintN(32, value)), end: i };
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/**
 * `major:minor`, both hexadecimal even without `0x` (iptables reads them with sscanf
 * "%x:%x"). Value: ClassValue. Printed as `%04x:%04x`. What sscanf lets through but cannot
 * mean what it says (numbers above ffff, a sign, text after the minor) gets a warning.
 */
const tcClass: ValueGrammar = {
  name: 'class (major:minor, hexadecimal)',
  parse(text) {
    const major = scanHex(text, 0);
    if (!major || text[major.end] !== ':') return fail(`'${text}' is not a tc class: write major:minor in hexadecimal, e.g. 1:10`);
    const minor = scanHex(text, major.end + 1);
    if (!minor) return fail(`'${text}' is not a tc class: the minor number after ':' is missing (write major:minor, e.g. 1:10)`, { at: [major.end + 1, text.length] });
    const value: ClassValue = { major: major.value & 0xffff, minor: minor.value & 0xffff };
    const canonical = `${hex4(value.major)}:${hex4(value.minor)}`;
    const clean = /^(0[xX])?[0-9a-fA-F]+:(0[xX])?[0-9a-fA-F]+$/.test(text) && major.value <= 0xffff && minor.value <= 0xffff;
    if (clean) return ok(value, canonical);
    return ok(value, canonical, {
      message: `iptables reads '${text}' as class ${canonical}: major and minor are 16-bit hexadecimal numbers (0 to ffff), and anything after the minor is ignored`,
      kind: 'suspicious-value',
    });
  },
};

export const CLASSIFY: TargetSpec = {
  kind: 'target',
  name: 'CLASSIFY',
  families: BOTH_FAMILIES,
  terminating: false,
  // The kernel accepts it in any table, but only on the way out (priority is read when queueing).
  hooks: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
  summary: 'Set the packet priority (tc class major:minor) used by the queueing discipline',
  doc: `CLASSIFY puts the packet straight into a traffic-control class: it sets the packet's priority to a tc class ID, \`major:minor\`. A classful qdisc on the outgoing interface (HTB, HFSC, PRIO ...) then queues it in that class without any tc filter. The packet goes on to the next rule.

It works in any table, but only on the way out: FORWARD, OUTPUT and POSTROUTING. Mangle POSTROUTING is the usual place.

\`\`\`iptables
*mangle
-A POSTROUTING -o eth0 -p tcp --sport 22 -j CLASSIFY --set-class 1:10
COMMIT
\`\`\`

- Both numbers are hexadecimal, as in tc: \`1:10\` here is the class tc shows as \`1:10\`, minor 16 in decimal.
- The class must exist on the interface the packet leaves by (\`tc class add dev eth0 parent 1: classid 1:10 ...\`); otherwise the qdisc's default class gets the packet.
- Like a mark, the priority stays inside the host.`,
  options: [
    { names: ['--set-class'], args: [tcClass], doc: `The tc class as \`major:minor\`, both hexadecimal with or without \`0x\`, e.g. \`1:10\`. The major number is the qdisc handle, the minor one the class inside it.` },
  ],
  check(ext) {
    return requireOne(ext, ['--set-class'], '-j CLASSIFY needs --set-class MAJOR:MINOR (hexadecimal), e.g. --set-class 1:10');
  },
};

import { BOTH_FAMILIES, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';
import { findOption, flag, requireOne } from '../grammars/mangle-targets';

/** The trigger is named `netfilter-ID` in 27 bytes, leaving 16 for the ID. */
const MAX_ID = 16;

/** --led-trigger-id: value is the ID string; iptables-save always prints it in double quotes. */
const triggerId: ValueGrammar = {
  name: 'trigger id',
  parse(text) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_ID) return fail(`The trigger id is ${bytes} bytes long: at most ${MAX_ID} are allowed (the kernel names the trigger netfilter-ID)`);
    return ok(text, `"${text.replace(/["\\]/g, (c) => '\\' + c)}"`);
  },
};

/** Stands for "leave the LED on for good" (the kernel's -1). */
export const LED_FOREVER = 0xffffffff;

/**
 * --led-delay: milliseconds (32-bit, C syntax) or anything starting with `inf`. Value:
 * number of ms, LED_FOREVER for inf. iptables-save prints it with %d, so inf and numbers
 * from 2^31 come out negative.
 */
const ledDelay: ValueGrammar = {
  name: 'delay in ms (or inf)',
  parse(text) {
    const signed = (n: number) => String(n | 0);
    if (text.toLowerCase().startsWith('inf'))
      return ok(LED_FOREVER, signed(LED_FOREVER), { message: "iptables-save writes --led-delay inf back as '-1', which iptables-restore refuses: the saved rules will not load", kind: 'suspicious-value' });
    const v = parseCUnsigned(text);
    if (v === undefined || v > 0xffffffffn) return fail(`'${text}' is not a valid delay: expected milliseconds from 0 to 4294967295, or inf`);
    const n = Number(v);
    const warning = n > 0x7fffffff ? { message: `iptables-save prints ${n} as a negative number, which iptables-restore refuses: use at most 2147483647`, kind: 'suspicious-value' } : undefined;
    return ok(n, signed(n), warning);
  },
};

export const LED: TargetSpec = {
  kind: 'target',
  name: 'LED',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Blink or light an LED trigger (netfilter-ID) when a packet matches',
  doc: `LED creates an LED trigger called \`netfilter-\` plus your ID, and fires it whenever a packet hits the rule, so a light blinks on matching traffic. You connect the trigger to a real LED through sysfs. The packet goes on to the next rule.

It works in any table and chain.

\`\`\`iptables
-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j LED --led-trigger-id ssh --led-delay 2000
\`\`\`

Then attach it: \`echo netfilter-ssh > /sys/class/leds/NAME/trigger\`.

- The trigger exists only while a rule uses it.
- \`--led-delay inf\` keeps the LED on for good, but iptables-save writes it back as \`-1\`, which iptables-restore refuses.
- A packet that hits while the LED is lit only extends the delay; add \`--led-always-blink\` to see each one.`,
  options: [
    { names: ['--led-trigger-id'], args: [triggerId], doc: `Your part of the trigger name: the trigger is called \`netfilter-ID\`. At most 16 characters.` },
    { names: ['--led-delay'], args: [ledDelay], doc: `How long the LED stays lit after a packet, in milliseconds. 0 (the default) gives a short blink; \`inf\` leaves it on until you detach the trigger.` },
    flag('--led-always-blink', { doc: `Blinks on every packet, even while the LED is already lit, so a long delay still shows new traffic.` }),
  ],
  check(ext) {
    return requireOne(ext, ['--led-trigger-id'], '-j LED needs --led-trigger-id ID (the LED trigger is then called netfilter-ID)');
  },
  print(ext) {
    const out: string[] = [];
    const id = findOption(ext, '--led-trigger-id');
    if (id) out.push('--led-trigger-id', id.canonical[0]);
    // A delay of 0 is the default and is left out.
    const delay = findOption(ext, '--led-delay');
    if (delay && delay.values[0] !== 0) out.push('--led-delay', delay.canonical[0]);
    if (findOption(ext, '--led-always-blink')) out.push('--led-always-blink');
    return out;
  },
};

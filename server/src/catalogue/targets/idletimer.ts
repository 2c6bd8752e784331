import { BOTH_FAMILIES, ExtensionProblem, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';
import { findOption, flag } from '../grammars/mangle-targets';

/** The kernel keeps 27 bytes of a label (MAX_IDLETIMER_LABEL_SIZE minus the NUL). */
const MAX_LABEL = 27;

/**
 * --timeout: seconds, a 32-bit number for iptables; the kernel refuses 0 and anything from
 * INT_MAX/1000 (2147483) on. Value: number of seconds.
 */
const timeoutSeconds: ValueGrammar = {
  name: 'timeout in seconds',
  parse(text) {
    const v = parseCUnsigned(text);
    if (v === undefined || v > 0xffffffffn) return fail(`'${text}' is not a valid timeout: expected a number of seconds from 1 to 2147482`);
    if (v === 0n) return fail('A timeout of 0 is refused by the kernel: give the idle time in seconds (1 or more)');
    if (v >= 2147483n) return fail(`Timeout ${text} is refused by the kernel: at most 2147482 seconds (about 24 days)`);
    return ok(Number(v), String(v));
  },
};

/**
 * --label: the timer's name, which becomes a sysfs file name. Value: the label as the kernel
 * gets it (cut to 27 bytes). iptables-save prints it without quotes.
 */
const timerLabel: ValueGrammar = {
  name: 'label',
  parse(text) {
    const kept = Buffer.from(text, 'utf8').subarray(0, MAX_LABEL).toString('utf8');
    if (kept === '' || kept === '.' || kept === '..' || kept.includes('/'))
      return fail(`Label '${text}' is refused by the kernel: it names a file in /sys/class/xt_idletimer/timers, so it cannot be empty, '.', '..' or contain '/'`);
    if (['power', 'subsystem', 'uevent'].includes(kept))
      return fail(`Label '${kept}' is refused by the kernel: it is a reserved name in /sys/class/xt_idletimer; choose another one`);
    if (kept !== text) return ok(kept, kept, { message: `The label is longer than ${MAX_LABEL} bytes: iptables cuts it to '${kept}'`, kind: 'suspicious-value' });
    if (/[\s"'\\]/.test(text))
      return ok(text, text, { message: 'iptables-save prints the label without quotes, so a saved ruleset with this label does not load back: avoid spaces and quotes', kind: 'suspicious-value' });
    return ok(text, text);
  },
};

export const IDLETIMER: TargetSpec = {
  kind: 'target',
  name: 'IDLETIMER',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Restart a named idle timer; user space is notified when it expires (sysfs)',
  doc: `IDLETIMER restarts a named timer each time a packet hits the rule. When no packet has come for \`--timeout\` seconds, the kernel notifies user space through sysfs (/sys/class/xt_idletimer/timers/LABEL), and a program can react, e.g. take down a mobile link to save power. The packet goes on to the next rule.

It works in any table and chain.

\`\`\`iptables
-A OUTPUT -o wwan0 -j IDLETIMER --timeout 300 --label wwan0-idle
-A INPUT -i wwan0 -j IDLETIMER --timeout 300 --label wwan0-idle
\`\`\`

- Rules with the same label share one timer, so traffic through any of them keeps it running.
- The label becomes a file name: no \`/\`, at most 27 characters.
- The timer only reports; nothing happens unless a program watches for the notification.`,
  options: [
    { names: ['--timeout'], args: [timeoutSeconds], doc: `Idle time in seconds (1 up to about 24 days) after which the notification fires.` },
    { names: ['--label'], args: [timerLabel], doc: `Name of the timer and of its sysfs file: at most 27 characters, no \`/\`. Rules with the same label share the timer.` },
    flag('--alarm', { doc: `Uses an alarm timer, which keeps counting while the system is suspended and can wake it when it expires.` }),
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    if (!findOption(ext, '--timeout')) problems.push({ kind: 'missing-required-option', message: '-j IDLETIMER needs --timeout SECONDS' });
    if (!findOption(ext, '--label')) problems.push({ kind: 'missing-required-option', message: '-j IDLETIMER needs --label NAME: the timer appears as /sys/class/xt_idletimer/timers/NAME' });
    return problems;
  },
};

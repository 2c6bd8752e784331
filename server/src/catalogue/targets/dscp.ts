import { BOTH_FAMILIES, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { cNumber, exclusive, findOption, hexPadded, requireOne } from '../grammars/mangle-targets';

/** DiffServ class names and their code points, in the order iptables tries them. */
export const DSCP_CLASSES: ReadonlyArray<readonly [string, number]> = [
  ['CS0', 0x00], ['CS1', 0x08], ['CS2', 0x10], ['CS3', 0x18], ['CS4', 0x20], ['CS5', 0x28], ['CS6', 0x30], ['CS7', 0x38],
  ['BE', 0x00],
  ['AF11', 0x0a], ['AF12', 0x0c], ['AF13', 0x0e], ['AF21', 0x12], ['AF22', 0x14], ['AF23', 0x16],
  ['AF31', 0x1a], ['AF32', 0x1c], ['AF33', 0x1e], ['AF41', 0x22], ['AF42', 0x24], ['AF43', 0x26],
  ['EF', 0x2e],
];

/**
 * A DiffServ class name (EF, BE, CS0-CS7, AF11-AF43), any case. iptables accepts the first
 * class whose name starts the text and ignores what follows (`cs0x` is CS0), which gets a
 * warning. Value: the code point (0-63).
 */
export const dscpClass: ValueGrammar = {
  name: 'DiffServ class',
  choices: DSCP_CLASSES.map(([n]) => n),
  parse(text) {
    const found = DSCP_CLASSES.find(([n]) => text.toUpperCase().startsWith(n));
    if (!found) return fail(`'${text}' is not a DiffServ class: use EF, BE, CS0 to CS7 or AF11 to AF43`);
    const [name, value] = found;
    const warning =
      text.length > name.length ? { message: `iptables reads only the class '${name}' at the start of '${text}' and ignores the rest`, kind: 'suspicious-value' } : undefined;
    return ok(value, name, warning);
  },
};

export const DSCP: TargetSpec = {
  kind: 'target',
  name: 'DSCP',
  families: BOTH_FAMILIES,
  terminating: false,
  // The kernel registers DSCP for the mangle table only (any of its chains).
  tables: ['mangle'],
  summary: 'Rewrite the DSCP field (the upper six bits of the IPv4 TOS / IPv6 traffic class)',
  doc: `DSCP rewrites the DiffServ code point: the upper six bits of the IPv4 TOS byte or IPv6 traffic class, which routers use for quality of service. The two ECN bits stay as they are. The packet goes on to the next rule.

It works only in the mangle table. POSTROUTING or OUTPUT mark what leaves the host; PREROUTING or FORWARD re-mark routed traffic.

\`\`\`iptables
*mangle
-A POSTROUTING -o eth0 -p udp --dport 5004 -j DSCP --set-dscp-class EF
COMMIT
\`\`\`

- The value helps only where routers honour it: your own network, or a provider that agreed to it. Many providers reset it.
- Your own queueing ignores DSCP unless it is set up to read it (CAKE with diffserv, or tc filters).
- It overwrites whatever DSCP the application chose.`,
  options: [
    // Value: the code point, 0-63.
    { names: ['--set-dscp'], args: [cNumber('DSCP value', 0, 0x3f, 2)], doc: `The code point as a number from 0 to 63, decimal or \`0x\` hexadecimal; 46 is EF.` },
    { names: ['--set-dscp-class'], args: [dscpClass], doc: `The code point by class name: \`EF\`, \`BE\`, \`CS0\` to \`CS7\`, or \`AF11\` to \`AF43\`. iptables-save prints the number instead.` },
  ],
  check(ext) {
    return [
      ...requireOne(ext, ['--set-dscp', '--set-dscp-class'], '-j DSCP needs --set-dscp VALUE (0-63) or --set-dscp-class CLASS (e.g. EF, AF41)'),
      ...exclusive(ext, ['--set-dscp', '--set-dscp-class'], 'both set the same field'),
    ];
  },
  print(ext) {
    // A class is stored as its number: iptables-save always prints --set-dscp 0x%02x.
    const o = findOption(ext, '--set-dscp') ?? findOption(ext, '--set-dscp-class');
    return o ? ['--set-dscp', hexPadded(o.values[0] as number, 2)] : [];
  },
};

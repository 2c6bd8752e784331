import { BOTH_FAMILIES, ParsedOption, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';
import { cNumber, exclusive, findOption, hexPadded, requireOne } from '../grammars/mangle-targets';

export interface TosValue {
  /** The kernel clears the bits of `mask`, then XORs `value` in. */
  readonly value: number;
  readonly mask: number;
}

/** The symbolic TOS names iptables knows (compared without case); they imply mask 0x3f. */
const TOS_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['Minimize-Delay', 0x10],
  ['Maximize-Throughput', 0x08],
  ['Maximize-Reliability', 0x04],
  ['Minimize-Cost', 0x02],
  ['Normal-Service', 0x00],
];

const byte = (text: string): number | undefined => {
  const v = parseCUnsigned(text);
  return v !== undefined && v <= 0xffn ? Number(v) : undefined;
};

/**
 * `value[/mask]` (bytes in C syntax, mask 0xff when left out) or a symbolic name (mask
 * 0x3f, no mask allowed). Value: TosValue. Printed as `0x%02x/0x%02x`.
 */
const tosValueMask: ValueGrammar = {
  name: 'value[/mask] or TOS name',
  choices: TOS_NAMES.map(([n]) => n),
  parse(text) {
    const slash = text.indexOf('/');
    const valueText = slash === -1 ? text : text.slice(0, slash);
    const value = byte(valueText);
    if (value !== undefined) {
      const mask = slash === -1 ? 0xff : byte(text.slice(slash + 1));
      if (mask === undefined) return fail(`'${text.slice(slash + 1)}' is not a valid TOS mask: expected a number from 0 to 0xff`, { at: [slash + 1, text.length] });
      return ok({ value, mask } satisfies TosValue, `${hexPadded(value, 2)}/${hexPadded(mask, 2)}`);
    }
    const named = TOS_NAMES.find(([n]) => n.toLowerCase() === text.toLowerCase());
    if (named) return ok({ value: named[1], mask: 0x3f } satisfies TosValue, `${hexPadded(named[1], 2)}/0x3f`);
    if (slash !== -1 && TOS_NAMES.some(([n]) => n.toLowerCase() === valueText.toLowerCase()))
      return fail(`A TOS name cannot take a mask: write '${valueText}' alone (it implies /0x3f), or a number with a mask`);
    return fail(`'${text}' is not a TOS value: write a number up to 0xff with an optional /mask, or one of ${TOS_NAMES.map(([n]) => n).join(', ')}`);
  },
};

const ACTIONS = ['--set-tos', '--and-tos', '--or-tos', '--xor-tos'];

/** The value/mask pair an action stands for (the and/or/xor forms are shorthands). */
function tosOf(o: ParsedOption): TosValue {
  const v = o.values[0];
  switch (o.spec.names[0]) {
    case '--and-tos':
      return { value: 0, mask: ~(v as number) & 0xff };
    case '--or-tos':
      return { value: v as number, mask: v as number };
    case '--xor-tos':
      return { value: v as number, mask: 0 };
    default:
      return v as TosValue;
  }
}

export const TOS: TargetSpec = {
  kind: 'target',
  name: 'TOS',
  families: BOTH_FAMILIES,
  terminating: false,
  // The kernel registers TOS for the mangle table only (any of its chains).
  tables: ['mangle'],
  summary: 'Change the IPv4 TOS byte / IPv6 traffic class (set, and, or, xor bits)',
  doc: `TOS changes the IPv4 TOS byte or the IPv6 traffic class, whole or bit by bit, with a value and a mask. That byte holds the DSCP (upper six bits) and the ECN bits (lower two). The packet goes on to the next rule.

It works only in the mangle table, in any chain.

\`\`\`iptables
*mangle
-A OUTPUT -p tcp --dport 22 -j TOS --set-tos Minimize-Delay
COMMIT
\`\`\`

- A number without a mask replaces all eight bits, ECN included: write a mask such as \`0x10/0xfc\` to leave the ECN bits alone.
- The TOS names come from an old scheme (RFC 1349) that DiffServ replaced. For quality of service today, use the DSCP target.
- Routers on the way may ignore the byte or reset it.`,
  options: [
    { names: ['--set-tos'], args: [tosValueMask], doc: `\`value[/mask]\`: clears the \`mask\` bits (all eight when left out), then flips the \`value\` bits. Or a name: \`Minimize-Delay\`, \`Maximize-Throughput\`, \`Maximize-Reliability\`, \`Minimize-Cost\` or \`Normal-Service\` (these use mask 0x3f).` },
    // Values: a byte (0-255).
    { names: ['--and-tos'], args: [cNumber('TOS bits', 0, 0xff)], doc: `Keeps only the bits that are also set in this byte; the others become 0.` },
    { names: ['--or-tos'], args: [cNumber('TOS bits', 0, 0xff)], doc: `Sets the bits of this byte, leaving the others as they are.` },
    { names: ['--xor-tos'], args: [cNumber('TOS bits', 0, 0xff)], doc: `Flips the bits of this byte.` },
  ],
  check(ext) {
    return [
      ...requireOne(ext, ACTIONS, '-j TOS needs an action: --set-tos VALUE[/MASK], --and-tos, --or-tos or --xor-tos'),
      ...exclusive(ext, ACTIONS, 'a TOS rule does one action'),
    ];
  },
  print(ext) {
    // iptables stores every action as value/mask and saves it as --set-tos.
    const o = ACTIONS.map((n) => findOption(ext, n)).find((x) => x !== undefined);
    if (!o) return [];
    const { value, mask } = tosOf(o);
    return ['--set-tos', `${hexPadded(value, 2)}/${hexPadded(mask, 2)}`];
  },
};

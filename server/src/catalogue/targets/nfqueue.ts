import { BOTH_FAMILIES, ExtensionProblem, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';
import { cNumber, exclusive, findOption, flag } from '../grammars/mangle-targets';

/** Highest queue a balance range may end on (the kernel counts the queues in 16 bits). */
const LAST_QUEUE = 65534;

/**
 * --queue-balance `first:last`, first below last; an empty end means 0 or 65534. Value:
 * { min, max } queue numbers.
 */
const queueRange: ValueGrammar = {
  name: 'first:last',
  parse(text) {
    const parts = text.split(':');
    if (parts.length !== 2) return fail(`'${text}' is not a queue range: write FIRST:LAST, e.g. 0:3`);
    const [lo, hi] = parts.map((p, i) => (p === '' ? (i === 0 ? 0n : BigInt(LAST_QUEUE)) : parseCUnsigned(p)));
    if (lo === undefined || lo > BigInt(LAST_QUEUE)) return fail(`'${parts[0]}' is not a valid queue number: expected 0 to ${LAST_QUEUE}`, { at: [0, parts[0].length] });
    if (hi === undefined || hi > BigInt(LAST_QUEUE)) return fail(`'${parts[1]}' is not a valid last queue: expected up to ${LAST_QUEUE}`, { at: [parts[0].length + 1, text.length] });
    if (lo >= hi) return fail(`Queue range ${text} must go from a lower to a higher queue number (for one queue use --queue-num ${lo})`);
    return ok({ min: Number(lo), max: Number(hi) }, `${lo}:${hi}`);
  },
};

export const NFQUEUE: TargetSpec = {
  kind: 'target',
  name: 'NFQUEUE',
  families: BOTH_FAMILIES,
  terminating: true,
  summary: 'Hand the packet to a user-space program through an nfnetlink queue; it decides the verdict',
  doc: `NFQUEUE hands the packet to a user-space program through a numbered queue: an IPS such as Suricata, or your own tool built on libnetfilter_queue. The chain ends for the packet here. The program's verdict decides, and an accepted packet moves on to the next table or hook, not to the next rule.

It works in any table and chain; filter INPUT or FORWARD are usual.

\`\`\`iptables
-A FORWARD -p tcp --dport 80 -j NFQUEUE --queue-balance 0:3 --queue-bypass
\`\`\`

- When no program listens on the queue, every packet sent there is dropped: the traffic stops with the program. \`--queue-bypass\` lets it through instead, which keeps things running but unchecked.
- When the queue is full, further packets are dropped unless the program asked for fail-open.
- Every queued packet goes through user space: queue only what the program must see.`,
  options: [
    // Value: queue number.
    { names: ['--queue-num'], args: [cNumber('queue number', 0, 65535)], doc: `The queue number (0 to 65535) the program listens on. Default 0.` },
    { names: ['--queue-balance'], args: [queueRange], doc: `\`first:last\`: spreads packets over several queues, for several copies of the program; all packets of a connection go to the same queue.` },
    flag('--queue-bypass', { doc: `When no program listens on the queue, accepts the packet instead of dropping it. It then goes on to the next table, not to the next rule.` }),
    flag('--queue-cpu-fanout', { doc: `With \`--queue-balance\`, picks the queue by the CPU handling the packet instead of by connection: one queue per CPU.` }),
  ],
  check(ext) {
    const problems: ExtensionProblem[] = exclusive(ext, ['--queue-num', '--queue-balance'], 'one names a single queue, the other a range');
    const fanout = findOption(ext, '--queue-cpu-fanout');
    if (fanout && !findOption(ext, '--queue-balance'))
      problems.push({ kind: 'missing-required-option', message: '--queue-cpu-fanout picks a queue from a range: add --queue-balance FIRST:LAST', option: fanout });
    return problems;
  },
  print(ext) {
    // Without a range iptables-save always names the queue, 0 by default.
    const balance = findOption(ext, '--queue-balance');
    const out = balance ? ['--queue-balance', balance.canonical[0]] : ['--queue-num', findOption(ext, '--queue-num')?.canonical[0] ?? '0'];
    if (findOption(ext, '--queue-bypass')) out.push('--queue-bypass');
    if (findOption(ext, '--queue-cpu-fanout')) out.push('--queue-cpu-fanout');
    return out;
  },
};

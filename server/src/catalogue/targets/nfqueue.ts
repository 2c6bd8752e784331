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
  options: [
    // Value: queue number.
    { names: ['--queue-num'], args: [cNumber('queue number', 0, 65535)] },
    { names: ['--queue-balance'], args: [queueRange] },
    flag('--queue-bypass'),
    flag('--queue-cpu-fanout'),
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

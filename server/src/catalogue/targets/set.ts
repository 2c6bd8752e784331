import { OUTGOING_HOOKS } from '../grammars/placement';
import { BOTH_FAMILIES, ExtensionProblem, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { cNumber, findOption, flag } from '../grammars/mangle-targets';

/** ipset names have at most 31 characters. */
const MAX_SET_NAME = 31;

/** An ipset name. Value: the name. Whether the set exists is only known on the target machine. */
export const setName: ValueGrammar = {
  name: 'set name',
  parse(text) {
    if (text === '') return fail('Empty set name: give the name of an ipset');
    if (text.length > MAX_SET_NAME) return fail(`Set name '${text}' is too long: ipset names have at most ${MAX_SET_NAME} characters`);
    return ok(text, text);
  },
};

/** `src,dst,...`: which address/port of the packet fills each dimension of the set entry (1 to 6). Value: ('src' | 'dst')[]. */
export const setDirections: ValueGrammar = {
  name: 'src|dst[,src|dst...]',
  choices: ['src', 'dst'],
  parse(text) {
    const parts = text.split(',');
    let offset = 0;
    for (const p of parts) {
      if (p !== 'src' && p !== 'dst') return fail(`'${p}' is not a direction: use src or dst (lower case), one per dimension of the set, e.g. src,dst`, { at: [offset, offset + p.length] });
      offset += p.length + 1;
    }
    if (parts.length > 6) return fail(`${parts.length} directions given: a set entry has at most 6 dimensions`);
    return ok(parts, text);
  },
};

const SET_ARGS = [setName, setDirections];
const MAP_FLAGS = ['--map-mark', '--map-prio', '--map-queue'];

export const SET: TargetSpec = {
  kind: 'target',
  name: 'SET',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Add the packet\'s addresses/ports to an ipset, delete them, or map skb info from a set',
  // iptables accepts '!' before these options and ignores it (see check).
  options: [
    { names: ['--add-set'], args: SET_ARGS, negatable: true },
    { names: ['--del-set'], args: SET_ARGS, negatable: true },
    { names: ['--map-set'], args: SET_ARGS, negatable: true },
    // Value: seconds; 4294967295 is reserved for "the set's default".
    { names: ['--timeout'], args: [cNumber('timeout in seconds', 0, 0xfffffffe)], negatable: true, repeatable: true },
    flag('--exist', { negatable: true, repeatable: true }),
    flag('--map-mark', { negatable: true, repeatable: true }),
    flag('--map-prio', { negatable: true, repeatable: true }),
    flag('--map-queue', { negatable: true, repeatable: true }),
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    const add = findOption(ext, '--add-set');
    const map = findOption(ext, '--map-set');
    if (!add && !findOption(ext, '--del-set') && !map)
      problems.push({ kind: 'missing-required-option', message: '-j SET needs --add-set, --del-set or --map-set SETNAME src|dst[,...]' });
    for (const o of ext.options) {
      const name = o.spec.names[0];
      if (o.negated) problems.push({ kind: 'suspicious-value', message: `iptables ignores '!' before ${o.written}: remove it`, option: o });
      if ((name === '--timeout' || name === '--exist') && !add)
        problems.push({ kind: 'missing-required-option', message: `${o.written} only applies to entries added with --add-set: add --add-set SETNAME src|dst or remove ${o.written}`, option: o });
      if (MAP_FLAGS.includes(name) && !map)
        problems.push({ kind: 'missing-required-option', message: `${o.written} takes its value from a set given with --map-set SETNAME src|dst: add one or remove ${o.written}`, option: o });
    }
    if (map && !MAP_FLAGS.some((n) => findOption(ext, n)))
      problems.push({ kind: 'missing-required-option', message: '--map-set needs at least one of --map-mark, --map-prio or --map-queue to say what to copy from the set', option: map });
    // The kernel checks --map-set's table itself (any chain of mangle).
    if (map && rule.table && rule.table !== 'mangle')
      problems.push({ kind: 'target-not-allowed', message: `--map-set works only in the mangle table, not in ${rule.table}: the kernel refuses the rule`, option: map });
    // --map-prio/--map-queue: the kernel accepts them only on the way out.
    const outgoingOnly = findOption(ext, '--map-prio') ?? findOption(ext, '--map-queue');
    if (outgoingOnly && (rule.chain === 'PREROUTING' || rule.chain === 'INPUT'))
      problems.push({ kind: 'target-not-allowed', message: `${outgoingOnly.written} works only in OUTPUT, FORWARD and POSTROUTING: the kernel refuses it in ${rule.chain}`, option: outgoingOnly });
    return problems;
  },
  hooksFor: (ext) => (findOption(ext, '--map-prio') ?? findOption(ext, '--map-queue') ? OUTGOING_HOOKS : undefined),
  print(ext) {
    // iptables-save: each set with its own flags, in a fixed order; '!' is dropped.
    const out: string[] = [];
    const add = findOption(ext, '--add-set');
    if (add) {
      out.push('--add-set', ...add.canonical);
      if (findOption(ext, '--exist')) out.push('--exist');
      const timeout = findOption(ext, '--timeout');
      if (timeout) out.push('--timeout', timeout.canonical[0]);
    }
    const del = findOption(ext, '--del-set');
    if (del) out.push('--del-set', ...del.canonical);
    const map = findOption(ext, '--map-set');
    if (map) {
      out.push('--map-set', ...map.canonical);
      for (const f of MAP_FLAGS) if (findOption(ext, f)) out.push(f);
    }
    return out;
  },
};

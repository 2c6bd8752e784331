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
  doc: `SET adds the packet's address (and port, if the set stores ports) to an ipset, removes it, or copies data stored in a set entry onto the packet. The packet goes on to the next rule.

It works in any table and chain; \`--map-set\` only in mangle.

\`\`\`iptables
-A INPUT -p tcp --dport 9999 -j SET --add-set knocked src --timeout 30
-A INPUT -p tcp --dport 22 -m set --match-set knocked src -j ACCEPT
\`\`\`

Here a client that touches port 9999 may open SSH for 30 seconds.

- The set must exist before the rules load (\`ipset restore\` first), or the whole restore fails.
- The \`src\`/\`dst\` list must fit the set type: a \`hash:ip,port\` set needs two, e.g. \`src,dst\` for source address and destination port.
- \`--timeout\` needs a set created with timeout support.`,
  // iptables accepts '!' before these options and ignores it (see check).
  options: [
    { names: ['--add-set'], args: SET_ARGS, negatable: true, doc: `\`SETNAME src|dst[,...]\`: adds an entry built from the packet; each \`src\` or \`dst\` fills one part of the entry (address, port ...) from the packet's source or destination.` },
    { names: ['--del-set'], args: SET_ARGS, negatable: true, doc: `\`SETNAME src|dst[,...]\`: removes the entry built from the packet, if it is in the set.` },
    { names: ['--map-set'], args: SET_ARGS, negatable: true, doc: `\`SETNAME src|dst[,...]\`: looks the packet up in a set created with \`skbinfo\` and copies the data of the entry chosen with \`--map-mark\`, \`--map-prio\` or \`--map-queue\`. Mangle table only.` },
    // Value: seconds; 4294967295 is reserved for "the set's default".
    { names: ['--timeout'], args: [cNumber('timeout in seconds', 0, 0xfffffffe)], negatable: true, repeatable: true, doc: `Lifetime in seconds of the entry \`--add-set\` creates, instead of the set's default. The set needs timeout support.` },
    flag('--exist', { negatable: true, repeatable: true, doc: `When the entry is already in the set, refreshes its timeout instead of leaving it alone.` }),
    flag('--map-mark', { negatable: true, repeatable: true, doc: `Copies the entry's \`skbmark\` into the packet mark.` }),
    flag('--map-prio', { negatable: true, repeatable: true, doc: `Copies the entry's \`skbprio\` into the packet priority (its tc class). Only in FORWARD, OUTPUT and POSTROUTING.` }),
    flag('--map-queue', { negatable: true, repeatable: true, doc: `Copies the entry's \`skbqueue\` into the packet's transmit queue on the network card. Only in FORWARD, OUTPUT and POSTROUTING.` }),
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

import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { ok, text, uint } from '../values';
import { findOption as find } from '../parsed';

/** The kernel's XT_CGROUP_PATH_MAX (512 bytes with the terminating NUL). */
const MAX_PATH = 511;
const pathText = text('cgroup path', 100000);

/**
 * A cgroup2 path relative to the hierarchy's root, printed quoted unless it is a plain
 * word. The kernel resolves it when the rule is loaded. Value: the path.
 */
const cgroupPath: ValueGrammar = {
  name: 'cgroup2 path',
  parse(value, ctx) {
    const r = pathText.parse(value, ctx);
    if (!r.ok) return r;
    if (Buffer.byteLength(value, 'utf8') > MAX_PATH)
      return ok(r.value, r.canonical, { message: `The path is longer than ${MAX_PATH} bytes: iptables cuts it, so it will not name the cgroup you mean`, kind: 'suspicious-value' });
    return r;
  },
};

export const cgroup: MatchModule = {
  kind: 'match',
  name: 'cgroup',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  // The kernel refuses it in PREROUTING and FORWARD: those packets have no local socket.
  hooks: ['INPUT', 'OUTPUT', 'POSTROUTING'],
  summary: 'The control group (cgroup2 path or net_cls class id) of the local socket',
  options: [
    { names: ['--path'], args: [cgroupPath], negatable: true },
    // Value: number.
    { names: ['--cgroup'], args: [uint('net_cls class id', 0, 0xffffffff)], negatable: true },
  ],
  check(ext) {
    const path = find(ext, '--path');
    const id = find(ext, '--cgroup');
    if (!path && !id) return [{ kind: 'missing-required-option', message: '-m cgroup needs --path CGROUP2-PATH or --cgroup CLASSID' }];
    // Both are accepted by iptables but refused by the kernel.
    if (path && id) return [{ kind: 'conflicting-options', message: '--path and --cgroup exclude each other: match either the cgroup2 path or the net_cls class id', option: path.index > id.index ? path : id }];
    return [];
  },
};

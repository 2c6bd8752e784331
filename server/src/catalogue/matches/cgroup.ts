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
  doc: `Matches by the control group of the local process that owns the socket: a cgroup2 path, as systemd creates them, or a net_cls class id. Use it to give one service or container its own rules without knowing its user or ports.

\`\`\`iptables
-A OUTPUT ! -d 10.0.0.0/8 -m cgroup --path system.slice/backup.service -j REJECT
\`\`\`

- The path is resolved when the rule is loaded: the cgroup must exist then, or the load fails. A systemd service's cgroup exists only while the service runs.
- If the cgroup is removed and created again (a service restart), the rule keeps pointing at the old one and stops matching: reload the rule.
- Use it in OUTPUT and POSTROUTING. The kernel refuses PREROUTING and FORWARD, and in INPUT it only sees packets that were tied to a socket early.`,
  options: [
    { names: ['--path'], args: [cgroupPath], negatable: true, doc: 'cgroup2 path relative to the root of the hierarchy, without /sys/fs/cgroup, e.g. `system.slice/nginx.service`. Processes in that cgroup or any cgroup below it match.' },
    // Value: number.
    { names: ['--cgroup'], args: [uint('net_cls class id', 0, 0xffffffff)], negatable: true, doc: 'net_cls class id (cgroup v1) of the socket\'s process, as a number. It cannot be combined with `--path`.' },
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

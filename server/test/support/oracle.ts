// The kernel packet oracle (scripts/kernel-oracle.py) seen from TypeScript: load a ruleset
// into a throwaway network namespace, inject witness packets, and get back what the real
// kernel did with each one (verdict, deciding rule, every rule matched, conntrack state).
// The script runs as root and creates its own namespace; it never touches the host's tables.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './paths';

export type OracleFamily = 'ipv4' | 'ipv6';
export type OracleBackend = 'nft' | 'legacy';
export type ConntrackState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export const ORACLE_SCRIPT = path.join(ROOT, 'scripts', 'kernel-oracle.py');

/** A witness packet. Absent fields get defaults, which the result's notes name. */
export interface OraclePacket {
  readonly proto?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | string | number;
  readonly src?: string;
  readonly dst?: string;
  readonly sport?: number;
  readonly dport?: number;
  /** Arriving interface. `in` only: INPUT path; `in` and `out`: FORWARD; `out` only: OUTPUT. */
  readonly in?: string;
  readonly out?: string;
  readonly state?: ConntrackState;
  /** TCP flags, comma-separated: "SYN", "SYN,ACK", "FIN,ACK" ... */
  readonly flags?: string;
  readonly icmp_type?: number;
  readonly icmp_code?: number;
  /** Whole IP packet length in bytes (what -m length sees). */
  readonly length?: number;
  readonly ttl?: number;
  readonly tos?: number;
  /** Locally generated packets only: socket owner and mark. */
  readonly uid?: number;
  readonly gid?: number;
  readonly mark?: number;
  readonly payload?: string;
  readonly mss?: number;
  readonly mac_src?: string;
  /** ESTABLISHED: whether the packet goes in the ORIGINAL (default) or REPLY direction. */
  readonly ctdir?: 'ORIGINAL' | 'REPLY';
  /** RELATED: the tracked flow the ICMP error quotes (default: udp dst:40000 -> src:53). */
  readonly related_to?: { proto?: string; src?: string; dst?: string; sport?: number; dport?: number };
}

export interface RuleRef {
  readonly table: string;
  readonly chain: string;
  /** 1-based, as `iptables -L --line-numbers` counts. */
  readonly rule: number;
  /** Line of the ruleset file, when the oracle could map it. */
  readonly line?: number;
}

export interface PolicyRef {
  readonly table: string;
  readonly chain: string;
  readonly policy: string;
}

export interface OracleSuccess {
  readonly ok: true;
  /** The filter table's decision, or NOT_REACHED when the packet never got there. */
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT' | 'NOT_REACHED' | string;
  readonly decided_by: RuleRef | PolicyRef | null;
  /** NOT_REACHED because of a rule in raw/mangle/nat. */
  readonly stopped_by?: RuleRef | PolicyRef;
  /** Every rule whose counter moved, in traversal order. */
  readonly matched: readonly RuleRef[];
  /** The conntrack state the packet really had (null when no rule makes the kernel track). */
  readonly state: ConntrackState | null;
  readonly ctdir?: 'ORIGINAL' | 'REPLY';
  /** Base chains whose counters moved, as "table/CHAIN". */
  readonly path: readonly string[];
  /** What left the namespace (after NAT), for forwarded and locally generated packets. */
  readonly emitted?: ReadonlyArray<{ dev: string; proto: number; src: string; dst: string; sport?: number; dport?: number }>;
  readonly notes: readonly string[];
}

export interface OracleFailure {
  readonly ok: false;
  readonly error: string;
  readonly observed?: OracleSuccess;
}

export type OracleResult = OracleSuccess | OracleFailure;

export interface OracleOptions {
  readonly family?: OracleFamily;
  readonly backend?: OracleBackend;
  /**
   * How the oracle sees which rules matched. trace: nf_tables trace events (nft only, the
   * default there); counters: rule counters over netlink (nft) or getsockopt (legacy, the
   * default there); save: rule counters from iptables-save -c (slowest, for cross-checks).
   */
  readonly method?: 'auto' | 'trace' | 'counters' | 'save';
}

function commandWorks(command: string, args: readonly string[]): boolean {
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  return probe.status === 0;
}

/** Why the oracle cannot run here, or undefined when it can. */
export function oracleUnavailable(backends: readonly OracleBackend[] = ['nft', 'legacy']): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root (the oracle needs a network namespace)';
  if (!commandWorks('python3', ['--version'])) return 'python3 is missing';
  if (!commandWorks('unshare', ['--version'])) return 'unshare is missing (util-linux)';
  for (const backend of backends) {
    for (const prog of ['iptables', 'ip6tables']) {
      if (!commandWorks(`${prog}-${backend}-restore`, ['--version'])) return `${prog}-${backend}-restore is missing (Debian package iptables)`;
    }
  }
  if (!fs.existsSync('/dev/net/tun')) return '/dev/net/tun is missing (no TUN/TAP)';
  return undefined;
}

export class OracleError extends Error {}

/**
 * Runs the oracle on one ruleset and a list of packets; returns one result per packet, in
 * order. Throws when the ruleset cannot be loaded or the script fails as a whole.
 */
export function runOracle(rulesetText: string, packets: readonly OraclePacket[], options: OracleOptions = {}): OracleResult[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iptables-lint-oracle-'));
  try {
    const rulesetFile = path.join(dir, 'ruleset');
    fs.writeFileSync(rulesetFile, rulesetText);
    const args = [ORACLE_SCRIPT, rulesetFile, '-', '--family', options.family ?? 'ipv4', '--backend', options.backend ?? 'nft'];
    if (options.method) args.push('--method', options.method);
    // `unshare -n` as the brief's invocation; the script also makes its own namespace.
    const run = spawnSync('unshare', ['-n', 'python3', ...args], {
      input: packets.map((p) => JSON.stringify(p)).join('\n') + '\n',
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (run.error) throw new OracleError(`kernel oracle did not start: ${run.error.message}`);
    if (run.status !== 0) throw new OracleError(`kernel oracle failed (rc ${run.status}): ${run.stderr.trim()}`);
    const results = run.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as OracleResult);
    if (results.length !== packets.length) throw new OracleError(`kernel oracle answered ${results.length} lines for ${packets.length} packets: ${run.stderr.trim()}`);
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** "filter/INPUT#3" or "filter/INPUT:DROP" (policy): a compact name for assertions. */
export function refName(ref: RuleRef | PolicyRef | null | undefined): string {
  if (!ref) return '-';
  return 'rule' in ref ? `${ref.table}/${ref.chain}#${ref.rule}` : `${ref.table}/${ref.chain}:${ref.policy}`;
}

#!/usr/bin/env python3
"""Kernel packet oracle for iptables-lint.

Loads an iptables-save ruleset into a throwaway network namespace and tells, for each
witness packet, what the real Linux kernel does with it: verdict, deciding rule, every
rule matched, and the conntrack state the packet really had.

    python3 scripts/kernel-oracle.py RULESET_FILE PACKETS.jsonl [--family ipv4|ipv6]
                                     [--backend nft|legacy] [--method auto|trace|counters|save]

Output: one JSON line per input line, same order. Exit 0 when the ruleset loaded (packet
errors are reported per line), 2 on bad usage, 3 when the ruleset could not be loaded.

Requirements (Debian 12): python3 (standard library only), root (CAP_NET_ADMIN and
CAP_NET_RAW), the `iptables` package (iptables-nft/-legacy restore and save), and a
kernel with network namespaces, TUN/TAP, nf_tables and conntrack netlink. No other
package: conntrack entries, nft tables, addresses, routes and rules are all made over
netlink by this script itself.

Safety: the script moves itself into a new network namespace (unshare(CLONE_NEWNET))
before touching anything and refuses to go on if that fails. Everything it creates
(TAP devices, addresses, routes, rules, tables, conntrack entries) lives in that
namespace, which the kernel frees when the process exits, also after an error.
It works the same when started under `unshare -n`.

Determinism and state: conntrack is flushed before every packet; everything else keeps
state across the packets of one run, as it would on a real host: limit, hashlimit,
recent, quota, connlimit, statistic ... see the packets in input order.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kernel_oracle.oracle import Oracle, SetupError  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('ruleset')
    parser.add_argument('packets', help='JSON lines, one packet each ("-" for standard input)')
    parser.add_argument('--family', choices=('ipv4', 'ipv6'), default=None,
                        help='default: ipv6 when the ruleset was saved by ip6tables, else ipv4')
    parser.add_argument('--backend', choices=('nft', 'legacy'), default='nft')
    parser.add_argument('--method', choices=('auto', 'trace', 'counters', 'save'), default='auto',
                        help='how matched rules are seen. trace: nf_tables trace events (nft only); '
                             'counters: rule counters read over netlink (nft) or getsockopt (legacy); '
                             'save: rule counters from iptables-save -c. auto: trace on nft, counters on legacy')
    return parser.parse_args(argv)


def guess_family(text):
    head = text[:300]
    return 'ipv6' if 'ip6tables' in head else 'ipv4'


def read_packets(path):
    stream = sys.stdin if path == '-' else open(path, encoding='utf-8')
    with stream:
        return [line for line in stream.read().splitlines() if line.strip()]


def decode(line):
    try:
        return json.loads(line), None
    except json.JSONDecodeError as error:
        return None, f'not JSON: {error}'


def emit(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=False) + '\n')
    sys.stdout.flush()


def main(argv):
    args = parse_args(argv)
    with open(args.ruleset, encoding='utf-8') as f:
        text = f.read()
    lines = read_packets(args.packets)
    family = args.family or guess_family(text)
    if args.method == 'trace' and args.backend != 'nft':
        sys.stderr.write('kernel-oracle: --method trace needs --backend nft\n')
        return 2
    oracle = Oracle(text, family, args.backend, method=args.method)
    try:
        try:
            oracle.setup()
        except (SetupError, OSError) as error:
            for _ in lines:
                emit({'ok': False, 'error': f'setup failed: {error}'})
            sys.stderr.write(f'kernel-oracle: {error}\n')
            return 3
        for note in oracle.setup_notes:
            sys.stderr.write(f'kernel-oracle: {note}\n')
        for line in lines:
            spec, error = decode(line)
            emit({'ok': False, 'error': error} if error else oracle.check(spec))
        return 0
    finally:
        oracle.close()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

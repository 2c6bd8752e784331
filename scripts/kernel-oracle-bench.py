#!/usr/bin/env python3
"""Throughput of scripts/kernel-oracle.py: packets per second for generated rulesets.

    python3 scripts/kernel-oracle-bench.py [--rules 10,1000] [--packets 1000] [--family ipv4|ipv6]

Each measurement runs the oracle once with one packet (setup cost) and once with all the
packets; packets/s = (packets - 1) / (time of the full run - time of the one-packet run).
Rulesets and packets are pseudo-random with a fixed seed, so every run measures the same work.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ORACLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'kernel-oracle.py')
CONFIGS = (('nft', 'trace'), ('nft', 'counters'), ('legacy', 'counters'), ('nft', 'save'), ('legacy', 'save'))


def address(family, net, host):
    return f'2001:db8:{net:x}::{host:x}' if family == 'ipv6' else f'10.{net // 256}.{net % 256}.{host}'


def ruleset(rules, family, rng):
    prefix = 112 if family == 'ipv6' else 24
    lines = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':USER - [0:0]',
             '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT']
    for _ in range(rules - 3):
        chain = rng.choice(['INPUT', 'INPUT', 'FORWARD', 'OUTPUT', 'USER'])
        target = rng.choice(['ACCEPT', 'DROP', 'RETURN' if chain == 'USER' else 'DROP'])
        lines.append(f'-A {chain} -s {address(family, rng.randrange(64), 0)}/{prefix} -p {rng.choice(["tcp", "udp"])} '
                     f'--dport {rng.randrange(1, 1024)} -j {target}')
    lines += ['-A INPUT -p tcp -j USER', '-A USER -p tcp --dport 22 -j ACCEPT', 'COMMIT']
    return '\n'.join(lines) + '\n'


def packets(count, family, rng):
    loopback = '::1' if family == 'ipv6' else '127.0.0.1'
    out = []
    for _ in range(count):
        p = {'proto': rng.choice(['tcp', 'udp']), 'src': address(family, rng.randrange(64), rng.randrange(1, 250)),
             'dst': address(family, 200, 1), 'dport': rng.randrange(1, 1024)}
        kind = rng.choice(['in', 'forward', 'out', 'lo'])
        if kind == 'in':
            p['in'] = 'eth0'
        elif kind == 'forward':
            p.update({'in': 'eth0', 'out': 'eth1', 'dst': address(family, 201, 9)})
        elif kind == 'out':
            p.update({'out': 'eth1', 'src': address(family, 200, 1), 'dst': p['src']})
        else:
            p.update({'in': 'lo', 'src': loopback, 'dst': loopback})
        if rng.random() < 0.2:
            p['state'] = 'ESTABLISHED'
        out.append(json.dumps(p))
    return out


def timed_run(rules_file, packet_lines, family, backend, method, workdir):
    packets_file = os.path.join(workdir, 'packets.jsonl')
    with open(packets_file, 'w') as f:
        f.write('\n'.join(packet_lines) + '\n')
    start = time.monotonic()
    run = subprocess.run([sys.executable, ORACLE, rules_file, packets_file, '--family', family, '--backend', backend,
                          '--method', method], capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if run.returncode != 0:
        raise RuntimeError(run.stderr)
    failed = sum(1 for line in run.stdout.splitlines() if '"ok": false' in line)
    return elapsed, failed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--rules', default='10,1000')
    parser.add_argument('--packets', type=int, default=1000)
    parser.add_argument('--family', choices=('ipv4', 'ipv6'), default='ipv4')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        for rules in (int(n) for n in args.rules.split(',')):
            rng = random.Random(7)
            rules_file = os.path.join(workdir, 'ruleset')
            with open(rules_file, 'w') as f:
                f.write(ruleset(rules, args.family, rng))
            lines = packets(args.packets, args.family, rng)
            for backend, method in CONFIGS:
                setup, _ = timed_run(rules_file, lines[:1], args.family, backend, method, workdir)
                full, failed = timed_run(rules_file, lines, args.family, backend, method, workdir)
                rate = (len(lines) - 1) / max(full - setup, 1e-6)
                print(f'{args.family} {rules:>5} rules  {backend:<6} {method:<8}  one-packet run {setup * 1000:6.0f} ms  '
                      f'{rate:7.0f} packets/s  ({failed} not injectable)', flush=True)


if __name__ == '__main__':
    main()

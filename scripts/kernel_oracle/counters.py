"""Reading every rule's packet counter after each packet.

Readers return {(table, chain): ([packets of rule 1..n], policy packets)}.
  * SaveCounters runs `iptables-save -c`: works for both backends, costs one process
    and a full dump per read.
  * LegacyCounters reads the x_tables blob of each table with getsockopt (legacy backend),
    the same call iptables-legacy-save makes, without the process and the text.
  * NftCounters reads the same numbers straight from nf_tables over netlink (nft backend):
    no process, no text; the rule order of the dump is the chain order.
"""

import ctypes
import os
import socket
import struct
import subprocess

from .nftables import NFPROTO_IPV4, NFPROTO_IPV6, NFT_TRACETYPE_POLICY, NFT_TRACETYPE_RULE
from .ruleset import parse_save_counters


class CounterReadError(RuntimeError):
    pass


def save_command(family, backend):
    return [f"{'ip6tables' if family == 'ipv6' else 'iptables'}-{backend}-save", '-c']


def run_save(family, backend):
    run = subprocess.run(save_command(family, backend), capture_output=True, text=True)
    if run.returncode != 0:
        raise CounterReadError(f'{" ".join(save_command(family, backend))} failed: {run.stderr.strip()}')
    return run.stdout


class SaveCounters:
    name = 'iptables-save -c'

    def __init__(self, family, backend):
        self.family, self.backend = family, backend

    def read(self):
        return parse_save_counters(run_save(self.family, self.backend))


class NftCounters:
    name = 'nf_tables netlink'

    def __init__(self, nft, family, tables):
        self.nft = nft
        self.nfproto = NFPROTO_IPV6 if family == 'ipv6' else NFPROTO_IPV4
        self.shape = {key: len(rules) for key, (rules, _) in tables.counts().items()}

    def read(self):
        rules = self.nft.rule_counters(self.nfproto)
        policies = self.nft.chain_counters(self.nfproto)
        counts = {}
        for key, length in self.shape.items():
            packets = rules.get(key, [])
            if len(packets) != length or any(p is None for p in packets):
                raise CounterReadError(f'nft dump of {key[0]}/{key[1]} does not match iptables-save')
            counts[key] = (packets, policies.get(key, 0))
        return counts


IPT_SO_GET_INFO, IPT_SO_GET_ENTRIES = 64, 65
HOOK_CHAINS = ('PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING')
# Offsets inside struct ipt_entry / ip6t_entry: (target_offset, next_offset, packet counter).
ENTRY_LAYOUT = {'ipv4': (88, 90, 96), 'ipv6': (140, 142, 152)}
GET_ENTRIES_HEADER = 40  # char name[32]; unsigned int size; then 8-byte aligned entries
XT_TARGET_NAME = slice(2, 31)


class LegacyCounters:
    name = 'x_tables getsockopt'

    def __init__(self, family, tables):
        self.family = family
        self.level = socket.IPPROTO_IPV6 if family == 'ipv6' else socket.IPPROTO_IP
        fam = socket.AF_INET6 if family == 'ipv6' else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_RAW)
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.table_names = list(tables)
        self.shape = {key: len(rules) for key, (rules, _) in tables.counts().items()}

    def close(self):
        self.sock.close()

    def _getsockopt(self, option, request, size):
        buf = ctypes.create_string_buffer(request, size)
        length = ctypes.c_uint(size)
        if self.libc.getsockopt(self.sock.fileno(), self.level, option, buf, ctypes.byref(length)) != 0:
            err = ctypes.get_errno()
            raise CounterReadError(f'getsockopt: {os.strerror(err)}')
        return buf.raw[:length.value]

    def _table(self, name):
        info = self._getsockopt(IPT_SO_GET_INFO, name.encode(), 84)
        valid_hooks, = struct.unpack_from('=I', info, 32)
        hook_entry = struct.unpack_from('=5I', info, 36)
        underflow = struct.unpack_from('=5I', info, 56)
        size, = struct.unpack_from('=I', info, 80)
        blob = self._getsockopt(IPT_SO_GET_ENTRIES, struct.pack('=32sI4x', name.encode(), size),
                                GET_ENTRIES_HEADER + size)[GET_ENTRIES_HEADER:]
        return blob, valid_hooks, hook_entry, underflow

    def _entries(self, blob):
        """(offset, packets, target name, target data) of every entry, in order."""
        target_at, next_at, counter_at = ENTRY_LAYOUT[self.family]
        offset = 0
        while offset < len(blob):
            target_offset, next_offset = struct.unpack_from('=HH', blob, offset + target_at)
            packets, = struct.unpack_from('=Q', blob, offset + counter_at)
            target = blob[offset + target_offset:offset + next_offset]
            yield offset, packets, target[XT_TARGET_NAME].split(b'\0', 1)[0].decode(), target[32:]
            offset += next_offset

    def read(self):
        counts = {}
        for table in self.table_names:
            blob, valid_hooks, hook_entry, underflow = self._table(table)
            entries = list(self._entries(blob))
            by_offset = {e[0]: i for i, e in enumerate(entries)}
            for hook, chain in enumerate(HOOK_CHAINS):
                if valid_hooks & (1 << hook):
                    first, last = by_offset[hook_entry[hook]], by_offset[underflow[hook]]
                    counts[(table, chain)] = ([e[1] for e in entries[first:last]], entries[last][1])
            for i, (_, _, target, data) in enumerate(entries):
                if target == 'ERROR' and i + 1 < len(entries):
                    chain = data.split(b'\0', 1)[0].decode()
                    end = next((j for j in range(i + 1, len(entries)) if entries[j][2] == 'ERROR'), len(entries))
                    if chain != 'ERROR':
                        counts[(table, chain)] = ([e[1] for e in entries[i + 1:end - 1]], 0)
        for key, length in self.shape.items():
            if len(counts.get(key, ([], 0))[0]) != length:
                raise CounterReadError(f'x_tables blob of {key[0]}/{key[1]} does not match iptables-save')
        return counts


class TraceCounters:
    """Counts built from nf_tables trace events instead of reading counters (nft backend).

    Costs nothing per rule: the kernel reports only what the packet touched, so the price
    does not grow with the ruleset. Same shape and meaning as the counter readers: a rule
    event is a rule whose counter moved, a policy event a policy counter.
    """
    name = 'nf_tables trace'

    def __init__(self, nft, listener, family, tables):
        self.listener = listener
        self.counts = {key: ([0] * len(rules), 0) for key, (rules, _) in tables.counts().items()}
        self.position = {}
        nfproto = NFPROTO_IPV6 if family == 'ipv6' else NFPROTO_IPV4
        for key, handles in nft.rule_handles(nfproto).items():
            if key in self.counts and len(handles) != len(self.counts[key][0]):
                raise CounterReadError(f'nft rules of {key[0]}/{key[1]} do not match iptables-save')
            for index, handle in enumerate(handles):
                self.position[(key[0], key[1], handle)] = index

    def close(self):
        self.listener.close()

    def read(self):
        for table, chain, handle, kind in self.listener.events():
            key = (table, chain)
            if key not in self.counts:
                continue  # the oracle's own guard table
            rules, policy = self.counts[key]
            if kind == NFT_TRACETYPE_RULE and (table, chain, handle) in self.position:
                rules[self.position[(table, chain, handle)]] += 1
            elif kind == NFT_TRACETYPE_POLICY:
                self.counts[key] = (rules, policy + 1)
        return {key: (list(rules), policy) for key, (rules, policy) in self.counts.items()}


def deltas(before, after):
    """(rule deltas, policy deltas) between two reads."""
    rule_deltas, policy_deltas = {}, {}
    for key, (rules, policy) in after.items():
        old_rules, old_policy = before.get(key, ([0] * len(rules), 0))
        rule_deltas[key] = [new - old for new, old in zip(rules, old_rules)]
        policy_deltas[key] = policy - old_policy
    return rule_deltas, policy_deltas

"""The oracle: one namespace, one loaded ruleset, then one packet at a time."""

import ctypes
import os
import select
import socket
import subprocess

from . import netns
from .conntrack import Conntrack
from .counters import (CounterReadError, LegacyCounters, NftCounters, SaveCounters, TraceCounters, deltas,
                       run_save)
from .environment import Environment, loopback_sender
from .nftables import CT_STATE_BITS, Nftables, TraceListener
from .packets import (ICMPV6, ICMPV6_UNTRACKED_TYPES, PacketError, build_l3, describe_emitted, destination_mac,
                      ethernet_frame, mac_bytes, parse_packet)
from .ruleset import has_notrack, map_lines, parse_save, uses_conntrack, uses_masquerade
from .verdict import decide

SO_MARK = 36
EMIT_WAIT_SECONDS = 0.05


class SetupError(RuntimeError):
    pass


def restore_command(family, backend):
    prog = 'ip6tables' if family == 'ipv6' else 'iptables'
    command = [f'{prog}-{backend}-restore']
    if backend == 'legacy':
        command += ['-w', '10']  # the legacy lock file is shared with the host's iptables
    return command


class Oracle:
    def __init__(self, ruleset_text, family, backend, method='auto'):
        self.text, self.family, self.backend, self.method = ruleset_text, family, backend, method
        self.nft = self.env = self.ct = self.lo_sender = self.trace = None
        self.conntrack_used = uses_conntrack(ruleset_text)
        self.notrack_present = has_notrack(ruleset_text)
        self.setup_notes = []

    # ------------------------------------------------------------------ setup

    def setup(self):
        netns.enter_new_netns()
        netns.configure_sysctls(self.family)
        self._load_ruleset()
        self.tables = parse_save(run_save(self.family, self.backend))
        map_lines(self.text, self.tables)
        if self.conntrack_used:
            netns.configure_conntrack_sysctls()
        self.nft = Nftables()
        use_trace = self.backend == 'nft' and self.method in ('auto', 'trace')
        self.trace = TraceListener() if use_trace else None
        self.nft.install_guard(with_conntrack_probes=self.conntrack_used, with_trace=use_trace)
        self.env = Environment(self.family, uses_masquerade(self.text))
        if self.conntrack_used:
            self.ct = Conntrack()
        self.reader = self._counter_reader()
        self.last_counts = self.reader.read()
        self.last_probes = self.nft.guard_counters()

    def _load_ruleset(self):
        run = subprocess.run(restore_command(self.family, self.backend), input=self.text,
                             capture_output=True, text=True)
        if run.returncode != 0:
            message = ' '.join(line for line in run.stderr.strip().splitlines() if not line.startswith('Try '))
            raise SetupError(f'{restore_command(self.family, self.backend)[0]} refused the ruleset '
                             f'(rc {run.returncode}): {message}')

    def _counter_reader(self):
        """The fastest reader that sees exactly what iptables-save -c sees."""
        save = SaveCounters(self.family, self.backend)
        if self.method == 'save':
            return save
        candidates = []
        if self.trace is not None:
            candidates.append(lambda: TraceCounters(self.nft, self.trace, self.family, self.tables))
        if self.method != 'trace':
            candidates.append(lambda: NftCounters(self.nft, self.family, self.tables) if self.backend == 'nft'
                              else LegacyCounters(self.family, self.tables))
        for make in candidates:
            try:
                reader = make()
                if reader.read() == save.read():
                    return reader
                self.setup_notes.append(f'{reader.name} disagrees with iptables-save -c at setup; not used')
            except (CounterReadError, OSError) as error:
                self.setup_notes.append(f'cannot read counters: {error}')
        self.setup_notes.append('counters read with iptables-save -c')
        return save

    def close(self):
        for part in (self.env, self.ct, self.nft, self.lo_sender, getattr(self, 'reader', None)):
            if part is not None and hasattr(part, 'close'):
                try:
                    part.close()
                except OSError:
                    pass

    # ------------------------------------------------------------------ one packet

    def check(self, spec):
        """The result for one packet; echoes the packet's "id" when it has one."""
        result = self._check(spec)
        if isinstance(spec, dict) and 'id' in spec:
            result = {'id': spec['id'], **result}
        return result

    def _check(self, spec):
        try:
            packet = parse_packet(spec, self.family)
            self._preflight(packet)
        except PacketError as error:
            return {'ok': False, 'error': str(error)}
        try:
            return self._run(packet)
        except PacketError as error:
            self._resync()
            return {'ok': False, 'error': str(error)}
        except (OSError, CounterReadError) as error:
            self._resync()
            return {'ok': False, 'error': f'injection failed: {error}'}

    def _resync(self):
        """After a failed packet, forget whatever it moved so the next one starts clean."""
        try:
            self.env.drain()
            self.last_counts = self.reader.read()
            self.last_probes = self.nft.guard_counters()
        except (OSError, CounterReadError):
            pass

    def _preflight(self, packet):
        if packet.state == 'UNTRACKED' and self.conntrack_used and not self.notrack_present \
                and not (packet.proto == ICMPV6 and packet.icmp_type in ICMPV6_UNTRACKED_TYPES):
            raise PacketError('UNTRACKED needs a raw-table NOTRACK / CT --notrack rule in the ruleset; it has none')
        if packet.state == 'INVALID' and packet.direction == 'output' and packet.proto not in (6, 1, 58):
            raise PacketError('INVALID for a locally generated packet: conntrack checks checksums only in '
                              'PREROUTING; only tcp (bad flags) and icmp (unsolicited reply) can be made INVALID here')

    def _run(self, packet):
        packet.notes.extend(self.env.prepare(packet))
        self._set_conntrack(packet)
        self.env.drain()
        # Nothing moves the ruleset's counters between two packets (kernel-originated
        # packets die in the guard chain first), so the last read is the "before".
        before = self.last_counts
        self._inject(packet)
        probes_after = self.nft.guard_counters()
        probes = _probe_deltas(self.last_probes, probes_after)
        self.last_probes = probes_after
        emitted = self._emitted(packet, left_host=_flat(probes).get('postrouting_after', 0) > 0)
        after = self.reader.read()
        self.last_counts = after
        rule_deltas, policy_deltas = deltas(before, after)
        result = decide(packet, self.tables, rule_deltas, policy_deltas, _flat(probes))
        state, ctdir = self._observed_state(packet, probes)
        out = {'ok': True, 'verdict': result['verdict'], 'decided_by': result.get('decided_by')}
        if 'stopped_by' in result:
            out['stopped_by'] = result['stopped_by']
        out.update(matched=result['matched'], state=state)
        if ctdir:
            out['ctdir'] = ctdir
        out['path'] = result['path']
        if emitted:
            out['emitted'] = emitted
        out['notes'] = packet.notes + result['notes']
        return self._check_state(packet, out)

    def _set_conntrack(self, packet):
        if not self.conntrack_used:
            if packet.state != 'NEW':
                packet.notes.append(f'no rule uses conntrack, so the kernel tracks nothing and {packet.state} '
                                    'cannot matter')
            return
        self.ct.flush()
        if packet.state == 'ESTABLISHED':
            self.ct.add_established(packet, packet_is_reply=packet.ctdir == 'REPLY')
        elif packet.state == 'RELATED':
            self.ct.add_quoted_flow(packet.inner)

    def _check_state(self, packet, out):
        if not self.conntrack_used or out['state'] is None:
            return out
        if out['state'] == packet.state:
            return out
        if packet.state_given:
            return {'ok': False, 'error': f"the kernel saw this packet as {out['state']}, not {packet.state}",
                    'observed': out}
        out['notes'].append(f"no state was asked for; the kernel saw {out['state']}")
        return out

    def _observed_state(self, packet, probes):
        if not self.conntrack_used:
            return None, None
        chain = 'ct_output' if packet.direction == 'output' else 'ct_prerouting'
        counts = probes.get(chain, [])
        for position, name in enumerate(CT_STATE_BITS):
            if position < len(counts) and counts[position] > 0:
                reply = len(counts) > len(CT_STATE_BITS) and counts[len(CT_STATE_BITS)] > 0
                return name, ('REPLY' if reply else 'ORIGINAL') if name in ('NEW', 'ESTABLISHED', 'RELATED') else None
        return None, None

    # ------------------------------------------------------------------ sending

    def _inject(self, packet):
        l3 = build_l3(packet, bad_checksum=packet.state == 'INVALID' and packet.direction != 'output')
        if packet.direction == 'output':
            self._send_local(packet, l3)
        elif packet.in_dev == 'lo':
            if self.lo_sender is None:
                self.lo_sender = loopback_sender()
            self.lo_sender.send(ethernet_frame(b'\0' * 6, b'\0' * 6, self.family, l3))
        else:
            iface = self.env.interface(packet.in_dev)
            # A TAP write runs the whole receive path, hooks included, before it returns.
            dst_mac = destination_mac(self.family, packet.dst, iface.mac)
            os.write(iface.fd, ethernet_frame(dst_mac, mac_bytes(packet.mac_src), self.family, l3))

    def _send_local(self, packet, l3):
        """A raw IP_HDRINCL socket bound to the out interface; owned by uid/gid if asked."""
        fam = socket.AF_INET6 if self.family == 'ipv6' else socket.AF_INET
        with _file_owner(packet.uid, packet.gid):
            sock = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_RAW)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, packet.out_dev.encode())
            if packet.mark is not None:
                sock.setsockopt(socket.SOL_SOCKET, SO_MARK, int(packet.mark))
            target = (packet.dst, 0, 0, 0) if fam == socket.AF_INET6 else (packet.dst, 0)
            try:
                sock.sendto(l3, target)
            except PermissionError:
                packet.notes.append('sendto() answered EPERM: a netfilter hook dropped the packet')
        finally:
            sock.close()

    def _emitted(self, packet, left_host):
        if packet.direction == 'input':
            self.env.drain()
            return None
        frames = self.env.drain()
        out = self.env.interfaces.get(packet.out_dev)
        if not frames and out is not None and out.fd is not None and left_host:
            select.select([out.fd], [], [], EMIT_WAIT_SECONDS)
            frames = self.env.drain()
        seen = []
        for dev, dev_frames in sorted(frames.items()):
            for frame in dev_frames:
                entry = describe_emitted(self.family, frame[14:])
                entry['dev'] = dev
                seen.append(entry)
        return seen


class _file_owner:
    """Creates sockets as uid/gid for -m owner: xt_owner reads the socket file's fsuid/fsgid.

    setfsuid/setfsgid change only the filesystem ids, so CAP_NET_RAW stays and the raw
    socket can still be created; they are restored right after.
    """

    def __init__(self, uid, gid):
        self.uid, self.gid = uid, gid
        self.libc = ctypes.CDLL(None, use_errno=True) if uid is not None or gid is not None else None

    def __enter__(self):
        if self.gid is not None:
            self.libc.setfsgid(int(self.gid))
        if self.uid is not None:
            self.libc.setfsuid(int(self.uid))

    def __exit__(self, *exc):
        if self.uid is not None:
            self.libc.setfsuid(0)
        if self.gid is not None:
            self.libc.setfsgid(0)
        return False


def _probe_deltas(before, after):
    return {chain: [(a or 0) - (b or 0) for a, b in zip(after.get(chain, []), before.get(chain, []))]
            for chain in after}


def _flat(probes):
    """{chain: packets} for the single-rule probe chains."""
    return {chain: counts[0] for chain, counts in probes.items() if len(counts) == 1}

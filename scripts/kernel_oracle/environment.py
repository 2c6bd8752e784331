"""What one packet needs around it, set up lazily and only when it changes: TAP devices
named like its interfaces, which of its addresses are local, and the policy routes that
send it out of the interface it names."""

import errno
import ipaddress
import os
import socket
import struct

from . import netns
from .netlink import NetlinkError
from .rtnl import IFF_NOARP, IFF_UP, Rtnl

LOOPBACK_INDEX = 1
ROUTE_TABLE_BASE = 1000      # table of interface i: ROUTE_TABLE_BASE + ifindex
IIF_RULE_BASE = 10000        # pref of `iif IN lookup table(OUT)`
OIF_RULE_BASE = 20000        # pref of `oif OUT lookup table(OUT)`
# MASQUERADE needs an address on the outgoing interface, or it drops the packet.
MASQUERADE_ADDRESS = {'ipv4': '192.0.0.8', 'ipv6': 'fdff:ffff:ffff:ffff::8'}


class Interface:
    def __init__(self, name, index, fd, mac):
        self.name, self.index, self.fd, self.mac = name, index, fd, mac


class Environment:
    def __init__(self, family, masquerade_address):
        self.family = family
        self.rtnl = Rtnl()
        self.interfaces = {}
        self.added_local = {}      # address -> ifindex, only the ones this oracle added
        self.iif_rules = {}        # in name -> out name
        self.masquerade_address = masquerade_address
        self.joined = set()
        self.group_socket = None
        self.rtnl.set_link(LOOPBACK_INDEX, IFF_UP, IFF_UP)
        self.interfaces['lo'] = Interface('lo', LOOPBACK_INDEX, None, b'\0' * 6)

    def close(self):
        for iface in self.interfaces.values():
            if iface.fd is not None:
                os.close(iface.fd)  # a non-persistent TAP disappears with its fd
        self.interfaces.clear()
        if self.group_socket is not None:
            self.group_socket.close()
        self.rtnl.close()

    def interface(self, name):
        if name not in self.interfaces:
            self.interfaces[name] = self._create_tap(name)
        return self.interfaces[name]

    def _create_tap(self, name):
        fd, index = netns.open_tap(name)
        mac = bytes([0x02, 0, 0, 0, (index >> 8) & 0xFF, index & 0xFF])  # deterministic
        self.rtnl.set_link(index, IFF_UP | IFF_NOARP, IFF_UP | IFF_NOARP, mac=mac)
        if self.masquerade_address:
            self.rtnl.add_address(self.family, index, MASQUERADE_ADDRESS[self.family])
            self.rtnl.wait_until_local(self.family, MASQUERADE_ADDRESS[self.family], True)
        self.rtnl.add_default_route(self.family, ROUTE_TABLE_BASE + index, index)
        self.rtnl.add_rule(self.family, OIF_RULE_BASE + index, ROUTE_TABLE_BASE + index, oif=name)
        return Interface(name, index, fd, mac)

    # ------------------------------------------------------------------ per packet

    def prepare(self, packet):
        """Makes the namespace fit the packet; returns notes on what was set."""
        notes = []
        for dev in (packet.in_dev, packet.out_dev):
            if dev:
                self.interface(dev)
        if packet.direction == 'input':
            self._make_local(packet.dst, self.interfaces[packet.in_dev], notes)
            self._join_group(packet.dst, self.interfaces[packet.in_dev], notes)
            # On lo, a host talking to its own address: the source is that local address too.
            if not (packet.in_dev == 'lo' and packet.src == packet.dst):
                self._make_remote(packet.src)
        elif packet.direction == 'forward':
            self._make_remote(packet.src)
            self._make_remote(packet.dst)
            self._route_forward(packet.in_dev, packet.out_dev)
        else:
            self._make_local(packet.src, self.interfaces[packet.out_dev], notes)
            if packet.out_dev == 'lo':
                self._make_local(packet.dst, self.interfaces['lo'], notes)
            else:
                self._make_remote(packet.dst)
        return notes

    def _needs_address(self, address):
        ip = ipaddress.ip_address(address)
        if ip.is_multicast or ip.is_loopback or ip.is_unspecified or (ip.version == 4 and ip == ipaddress.ip_address('255.255.255.255')):
            return False
        return address != MASQUERADE_ADDRESS[self.family]

    def _make_local(self, address, iface, notes):
        if address in self.added_local or not self._needs_address(address):
            return
        self.rtnl.add_address(self.family, iface.index, address)
        self.rtnl.wait_until_local(self.family, address, True)
        self.added_local[address] = iface.index
        notes.append(f'{address} made a local address on {iface.name}')

    def _join_group(self, address, iface, notes):
        """Multicast reaches INPUT only for a group the host joined: join it on `in`."""
        if not ipaddress.ip_address(address).is_multicast or (address, iface.name) in self.joined:
            return
        if self.group_socket is None:
            fam = socket.AF_INET6 if self.family == 'ipv6' else socket.AF_INET
            self.group_socket = socket.socket(fam, socket.SOCK_DGRAM)
        group = socket.inet_pton(socket.AF_INET6 if self.family == 'ipv6' else socket.AF_INET, address)
        try:
            if self.family == 'ipv6':
                self.group_socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                                             group + struct.pack('=i', iface.index))
            else:
                self.group_socket.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                                             group + struct.pack('=4si', b'\0' * 4, iface.index))
            notes.append(f'joined multicast group {address} on {iface.name}')
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
        self.joined.add((address, iface.name))

    def _make_remote(self, address):
        index = self.added_local.pop(address, None)
        if index is not None:
            self.rtnl.delete_address(self.family, index, address)
            self.rtnl.wait_until_local(self.family, address, False)

    def _route_forward(self, in_name, out_name):
        """`ip rule iif IN lookup table(OUT)`: one rule per input interface, replaced when
        a later packet forwards from the same interface to another one. Keyed on the input
        interface only, so DNAT can still change the destination before routing."""
        if self.iif_rules.get(in_name) == out_name:
            return
        in_index = self.interfaces[in_name].index
        old = self.iif_rules.pop(in_name, None)
        if old is not None:
            try:
                self.rtnl.delete_rule(self.family, IIF_RULE_BASE + in_index,
                                      ROUTE_TABLE_BASE + self.interfaces[old].index, iif=in_name)
            except NetlinkError:
                pass
        self.rtnl.add_rule(self.family, IIF_RULE_BASE + in_index, ROUTE_TABLE_BASE + self.interfaces[out_name].index,
                           iif=in_name)
        self.iif_rules[in_name] = out_name

    # ------------------------------------------------------------------ frames

    def drain(self):
        """Frames waiting on every TAP: {name: [frame, ...]}; empties the queues."""
        seen = {}
        for iface in self.interfaces.values():
            if iface.fd is None:
                continue
            while True:
                try:
                    frame = os.read(iface.fd, 65536)
                except BlockingIOError:
                    break
                seen.setdefault(iface.name, []).append(frame)
        return seen


def loopback_sender():
    """A packet socket on lo: frames sent on it arrive on lo without crossing OUTPUT."""
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    sock.bind(('lo', 0))
    return sock

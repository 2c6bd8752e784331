"""rtnetlink requests the oracle needs: link flags and MAC, addresses, routes, policy rules."""

import socket
import struct
import time

from .netlink import (NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NETLINK_ROUTE, NetlinkSocket,
                      attr, attr_str, attr_u32)

RTM_NEWLINK, RTM_NEWADDR, RTM_DELADDR = 16, 20, 21
RTM_NEWROUTE, RTM_GETROUTE, RTM_NEWRULE, RTM_DELRULE = 24, 26, 32, 33
RTN_LOCAL = 2

IFF_UP = 0x1
IFF_NOARP = 0x80
IFLA_ADDRESS = 1
IFA_ADDRESS, IFA_LOCAL, IFA_FLAGS = 1, 2, 8
IFA_F_NODAD = 0x02
RTA_DST, RTA_OIF, RTA_TABLE = 1, 4, 15
RT_SCOPE_UNIVERSE, RT_SCOPE_LINK, RT_SCOPE_HOST = 0, 253, 254
RTN_UNICAST = 1
RTPROT_STATIC = 4
FRA_IIFNAME, FRA_PRIORITY, FRA_TABLE, FRA_OIFNAME = 3, 6, 15, 17
FR_ACT_TO_TBL = 1
RT_TABLE_UNSPEC = 0

_IFINFOMSG = struct.Struct('=BxHiII')
_IFADDRMSG = struct.Struct('=BBBBI')
_RTMSG = struct.Struct('=BBBBBBBBI')
_FIBRULEHDR = struct.Struct('=BBBBBBBBI')


def family_number(family):
    return socket.AF_INET6 if family == 'ipv6' else socket.AF_INET


def host_prefix(family):
    return 128 if family == 'ipv6' else 32


class Rtnl:
    """One rtnetlink socket inside the oracle's namespace."""

    def __init__(self):
        self.nl = NetlinkSocket(NETLINK_ROUTE)

    def close(self):
        self.nl.close()

    def set_link(self, ifindex, flags, mask, mac=None):
        payload = _IFINFOMSG.pack(socket.AF_UNSPEC, 0, ifindex, flags, mask)
        if mac is not None:
            payload += attr(IFLA_ADDRESS, mac)
        self.nl.request(RTM_NEWLINK, 0, payload, f'set link {ifindex}')

    def _address(self, kind, flags, family, ifindex, address, scope):
        packed = socket.inet_pton(family_number(family), address)
        payload = _IFADDRMSG.pack(family_number(family), host_prefix(family), 0, scope, ifindex)
        payload += attr(IFA_LOCAL, packed) + attr(IFA_ADDRESS, packed)
        if family == 'ipv6':
            # No duplicate address detection: a tentative address would not receive packets.
            payload += attr_u32(IFA_FLAGS, IFA_F_NODAD)
        self.nl.request(kind, flags, payload, f'address {address}')

    def add_address(self, family, ifindex, address, scope=RT_SCOPE_UNIVERSE):
        self._address(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, family, ifindex, address, scope)

    def delete_address(self, family, ifindex, address):
        self._address(RTM_DELADDR, 0, family, ifindex, address, RT_SCOPE_UNIVERSE)

    def is_local(self, family, address):
        """Whether routing now delivers `address` locally (a RTN_LOCAL route lookup)."""
        payload = _RTMSG.pack(family_number(family), host_prefix(family), 0, 0, 0, 0, 0, 0, 0)
        payload += attr(RTA_DST, socket.inet_pton(family_number(family), address))
        try:
            answers = self.nl.request(RTM_GETROUTE, 0, payload, f'route get {address}')
        except OSError:
            return False
        return any(kind == RTM_NEWROUTE and _RTMSG.unpack_from(body)[7] == RTN_LOCAL for kind, body in answers)

    def wait_until_local(self, family, address, local, timeout=2.0):
        """IPv6 installs the local route of a new address from a workqueue (the DAD work,
        even with NODAD), so the address is not usable when RTM_NEWADDR returns."""
        deadline = time.monotonic() + timeout
        while self.is_local(family, address) != local:
            if time.monotonic() > deadline:
                raise OSError(f'{address} did not become {"local" if local else "remote"} in {timeout} s')
            time.sleep(0.0005)

    def add_default_route(self, family, table, ifindex):
        """`default dev IFINDEX table TABLE`: an on-link default route, no gateway."""
        payload = _RTMSG.pack(family_number(family), 0, 0, 0, RT_TABLE_UNSPEC, RTPROT_STATIC,
                              RT_SCOPE_LINK, RTN_UNICAST, 0)
        payload += attr_u32(RTA_TABLE, table) + attr_u32(RTA_OIF, ifindex)
        self.nl.request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, payload, f'route table {table}')

    def _rule(self, kind, flags, family, priority, table, iif=None, oif=None):
        payload = _FIBRULEHDR.pack(family_number(family), 0, 0, 0, RT_TABLE_UNSPEC, 0, 0, FR_ACT_TO_TBL, 0)
        payload += attr_u32(FRA_PRIORITY, priority) + attr_u32(FRA_TABLE, table)
        if iif:
            payload += attr_str(FRA_IIFNAME, iif)
        if oif:
            payload += attr_str(FRA_OIFNAME, oif)
        self.nl.request(kind, flags, payload, f'rule pref {priority}')

    def add_rule(self, family, priority, table, iif=None, oif=None):
        self._rule(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, family, priority, table, iif, oif)

    def delete_rule(self, family, priority, table, iif=None, oif=None):
        self._rule(RTM_DELRULE, 0, family, priority, table, iif, oif)

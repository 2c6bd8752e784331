"""The oracle's own network namespace: creation, sysctls and TAP devices.

The namespace is anonymous: it is created with unshare(CLONE_NEWNET) on this process and
disappears, with every device, address, rule and table in it, when the process exits, also
after a crash. Nothing here can reach the host's own network or firewall.
"""

import ctypes
import fcntl
import os
import socket
import struct

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def _netns_id():
    return os.stat('/proc/self/ns/net').st_ino


def enter_new_netns():
    """Moves this process into a fresh network namespace; refuses to go on otherwise."""
    before = _netns_id()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f'unshare(CLONE_NEWNET) failed: {os.strerror(err)} (the oracle needs root)')
    if _netns_id() == before:
        raise OSError('unshare(CLONE_NEWNET) did not give a new network namespace')


def write_sysctl(name, value):
    """Writes /proc/sys/net/...; these files belong to the writer's network namespace."""
    path = '/proc/sys/' + name.replace('.', '/')
    with open(path, 'w') as f:
        f.write(str(value))


def try_sysctl(name, value):
    try:
        write_sysctl(name, value)
        return True
    except OSError:
        return False


def configure_sysctls(family):
    """Sets the namespace up as a quiet router that delivers whatever we inject.

    rp_filter off and no return routes; accept_local and route_localnet so spoofed local or
    127/8 sources are not martians; no redirects; liberal TCP window tracking, because the
    injected conntrack entries know no sequence numbers. IPv6 loses every source of noise
    (autoconf, RA, DAD, link-local addresses) before any device exists.
    """
    for scope in ('all', 'default', 'lo'):
        try_sysctl(f'net.ipv4.conf.{scope}.rp_filter', 0)
        try_sysctl(f'net.ipv4.conf.{scope}.accept_local', 1)
        try_sysctl(f'net.ipv4.conf.{scope}.route_localnet', 1)
        try_sysctl(f'net.ipv4.conf.{scope}.send_redirects', 0)
        try_sysctl(f'net.ipv4.conf.{scope}.accept_redirects', 0)
    write_sysctl('net.ipv4.ip_forward', 1)
    ipv6 = family == 'ipv6'
    for scope in ('default', 'all'):
        for key, value in (('accept_ra', 0), ('autoconf', 0), ('accept_dad', 0), ('dad_transmits', 0),
                           ('router_solicitations', 0), ('addr_gen_mode', 1), ('accept_redirects', 0),
                           ('forwarding', 1 if ipv6 else 0), ('disable_ipv6', 0 if ipv6 else 1)):
            try_sysctl(f'net.ipv6.conf.{scope}.{key}', value)
    try_sysctl('net.ipv6.conf.lo.disable_ipv6', 0 if ipv6 else 1)


def configure_conntrack_sysctls():
    """Only possible once conntrack is loaded; called after the ruleset is in."""
    try_sysctl('net.netfilter.nf_conntrack_tcp_be_liberal', 1)
    try_sysctl('net.netfilter.nf_conntrack_tcp_loose', 1)
    try_sysctl('net.netfilter.nf_conntrack_checksum', 1)


def open_tap(name):
    """A TAP device named `name` and the fd that reads and writes its frames.

    Not persistent: the device goes away with the fd, so the kernel cleans up after us.
    """
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH22x', name.encode(), IFF_TAP | IFF_NO_PI))
    except OSError:
        os.close(fd)
        raise
    return fd, socket.if_nametoindex(name)

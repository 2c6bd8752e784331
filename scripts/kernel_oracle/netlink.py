"""Minimal netlink plumbing: sockets, messages and attributes (TLVs).

Only what the oracle needs: rtnetlink (links, addresses, routes, rules), ctnetlink
(conntrack flush and entry injection) and nf_tables (the guard/probe table and rule
counters). Written against the stable kernel UAPI, so no third-party library is needed.
"""

import os
import socket
import struct

NETLINK_ROUTE = 0
NETLINK_NETFILTER = 12

NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_REPLACE = 0x100
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLM_F_APPEND = 0x800

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3FFF

_NLMSGHDR = struct.Struct('=IHHII')
_NLATTR = struct.Struct('=HH')


class NetlinkError(OSError):
    """A negative errno the kernel answered with, plus what we were doing."""

    def __init__(self, code, what):
        super().__init__(code, f'{what}: {os.strerror(code)}')
        self.code = code


def align4(n):
    return (n + 3) & ~3


def attr(kind, payload):
    """One attribute: header, payload and padding to 4 bytes."""
    header = _NLATTR.pack(_NLATTR.size + len(payload), kind)
    return header + payload + b'\0' * (align4(len(payload)) - len(payload))


def nested(kind, *children):
    return attr(kind | NLA_F_NESTED, b''.join(children))


def attr_str(kind, text):
    return attr(kind, text.encode() + b'\0')


def attr_u8(kind, value):
    return attr(kind, struct.pack('B', value))


def attr_be16(kind, value):
    return attr(kind, struct.pack('>H', value))


def attr_be32(kind, value):
    return attr(kind, struct.pack('>I', value & 0xFFFFFFFF))


def attr_u32(kind, value):
    return attr(kind, struct.pack('=I', value & 0xFFFFFFFF))


def parse_attrs(data):
    """Attributes of a payload as {type: [payload, ...]} (nested flag stripped)."""
    found = {}
    offset = 0
    while offset + _NLATTR.size <= len(data):
        length, kind = _NLATTR.unpack_from(data, offset)
        if length < _NLATTR.size:
            break
        found.setdefault(kind & NLA_TYPE_MASK, []).append(data[offset + _NLATTR.size:offset + length])
        offset += align4(length)
    return found


def first(attrs, kind, default=None):
    values = attrs.get(kind)
    return values[0] if values else default


class NetlinkSocket:
    """A netlink socket that sends requests and collects the answers to one sequence number."""

    def __init__(self, protocol):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, protocol)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        self.sock.bind((0, 0))
        self.seq = 1

    def close(self):
        self.sock.close()

    def next_seq(self):
        self.seq += 1
        return self.seq

    @staticmethod
    def message(kind, flags, seq, payload):
        return _NLMSGHDR.pack(_NLMSGHDR.size + len(payload), kind, flags, seq, 0) + payload

    def request(self, kind, flags, payload, what):
        """Sends one message and returns the payloads of the answers (a dump or an ack)."""
        seq = self.next_seq()
        self.sock.send(self.message(kind, flags | NLM_F_REQUEST | NLM_F_ACK, seq, payload))
        return self.collect({seq}, what)

    def send_batch(self, messages, what):
        """Sends an nf_tables batch in one datagram and waits for the ack of every message.

        messages: (kind, flags, payload, wants_ack). Batch begin/end markers ask for no ack.
        """
        blob = b''
        seqs = set()
        for kind, flags, payload, wants_ack in messages:
            seq = self.next_seq()
            if wants_ack:
                flags |= NLM_F_ACK
                seqs.add(seq)
            blob += self.message(kind, flags | NLM_F_REQUEST, seq, payload)
        self.sock.send(blob)
        return self.collect(seqs, what)

    def collect(self, seqs, what):
        """Answers until every sequence number got its ack (or NLMSG_DONE for a dump)."""
        answers = []
        pending = set(seqs)
        while pending:
            data = self.sock.recv(1 << 20)
            offset = 0
            while offset + _NLMSGHDR.size <= len(data):
                length, kind, flags, seq, _ = _NLMSGHDR.unpack_from(data, offset)
                body = data[offset + _NLMSGHDR.size:offset + length]
                offset += align4(length)
                if seq not in seqs:
                    continue
                if kind == NLMSG_ERROR:
                    code = -struct.unpack_from('=i', body)[0]
                    if code:
                        raise NetlinkError(code, what)
                    pending.discard(seq)
                elif kind == NLMSG_DONE:
                    pending.discard(seq)
                else:
                    answers.append((kind, body))
        return answers


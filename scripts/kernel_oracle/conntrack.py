"""ctnetlink: flushing the conntrack table and injecting the entries that make a packet
ESTABLISHED or RELATED, without a real handshake (which would need the ruleset to let it
through and would move its counters)."""

import socket
import struct

from .netlink import (NLM_F_CREATE, NLM_F_EXCL, NETLINK_NETFILTER, NetlinkSocket, attr, attr_be16,
                      attr_be32, attr_u8, nested)
from .packets import GRE, ICMP, ICMP_QUERY_REPLIES, ICMPV6, SCTP, SCTP_VTAG, TCP

NFNL_SUBSYS_CTNETLINK = 1
IPCTNL_MSG_CT_NEW, IPCTNL_MSG_CT_DELETE = 0, 2
CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_STATUS, CTA_PROTOINFO, CTA_TIMEOUT = 1, 2, 3, 4, 7
CTA_TUPLE_IP, CTA_TUPLE_PROTO = 1, 2
CTA_IP_V4_SRC, CTA_IP_V4_DST, CTA_IP_V6_SRC, CTA_IP_V6_DST = 1, 2, 3, 4
CTA_PROTO_NUM, CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT = 1, 2, 3
CTA_PROTO_ICMP = (4, 5, 6)    # id, type, code
CTA_PROTO_ICMPV6 = (7, 8, 9)
CTA_PROTOINFO_TCP, CTA_PROTOINFO_SCTP = 1, 3
CTA_PROTOINFO_TCP_STATE, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, CTA_PROTOINFO_TCP_FLAGS_REPLY = 1, 4, 5
CTA_PROTOINFO_SCTP_STATE, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, CTA_PROTOINFO_SCTP_VTAG_REPLY = 1, 2, 3
IPS_SEEN_REPLY, IPS_ASSURED, IPS_CONFIRMED = 0x2, 0x4, 0x8
TCP_CONNTRACK_ESTABLISHED = 3
SCTP_CONNTRACK_ESTABLISHED = 4
IP_CT_TCP_FLAG_BE_LIBERAL = 0x08
ENTRY_TIMEOUT = 600


class Tuple:
    """One direction of a connection as conntrack keys it."""

    def __init__(self, family, proto, src, dst, sport=None, dport=None, icmp=None):
        self.family, self.proto, self.src, self.dst = family, proto, src, dst
        self.sport, self.dport, self.icmp = sport, dport, icmp  # icmp: (id, type, code)

    def encode(self, kind):
        fam = socket.AF_INET6 if self.family == 'ipv6' else socket.AF_INET
        src_attr, dst_attr = (CTA_IP_V6_SRC, CTA_IP_V6_DST) if fam == socket.AF_INET6 else (CTA_IP_V4_SRC, CTA_IP_V4_DST)
        ip = nested(CTA_TUPLE_IP, attr(src_attr, socket.inet_pton(fam, self.src)),
                    attr(dst_attr, socket.inet_pton(fam, self.dst)))
        proto = [attr_u8(CTA_PROTO_NUM, self.proto)]
        if self.sport is not None:
            proto += [attr_be16(CTA_PROTO_SRC_PORT, self.sport), attr_be16(CTA_PROTO_DST_PORT, self.dport)]
        if self.icmp is not None:
            ident, kind_attr, code_attr = CTA_PROTO_ICMPV6 if self.proto == ICMPV6 else CTA_PROTO_ICMP
            proto += [attr_be16(ident, self.icmp[0]), attr_u8(kind_attr, self.icmp[1]), attr_u8(code_attr, self.icmp[2])]
        return nested(kind, ip, nested(CTA_TUPLE_PROTO, *proto))


def flow_tuples(packet, packet_is_reply):
    """(original, reply) tuples of the connection `packet` belongs to.

    packet_is_reply: the packet travels in the reply direction of that connection.
    """
    p = packet
    if p.proto in (ICMP, ICMPV6):
        replies = ICMP_QUERY_REPLIES['ipv6' if p.proto == ICMPV6 else 'ipv4']
        if p.icmp_type in replies:  # an echo reply answers a request going the other way
            request_type = replies[p.icmp_type]
            reply_type = p.icmp_type
            packet_is_reply = True
        else:
            request_type = p.icmp_type
            reply_type = {v: k for k, v in replies.items()}.get(p.icmp_type, p.icmp_type)
        a, b = (p.dst, p.src) if packet_is_reply else (p.src, p.dst)
        return (Tuple(p.family, p.proto, a, b, icmp=(p.icmp_id, request_type, 0)),
                Tuple(p.family, p.proto, b, a, icmp=(p.icmp_id, reply_type, 0)))
    if p.proto == GRE:  # conntrack keys GRE by its (PPTP) keys; plain GRE has key 0
        return (Tuple(p.family, p.proto, p.src, p.dst, 0, 0), Tuple(p.family, p.proto, p.dst, p.src, 0, 0))
    if packet_is_reply:
        a, b, sa, sb = p.dst, p.src, p.dport, p.sport
    else:
        a, b, sa, sb = p.src, p.dst, p.sport, p.dport
    return (Tuple(p.family, p.proto, a, b, sa, sb), Tuple(p.family, p.proto, b, a, sb, sa))


def _nfgenmsg(family):
    fam = {'ipv4': socket.AF_INET, 'ipv6': socket.AF_INET6}.get(family, socket.AF_UNSPEC)
    return struct.pack('=BBH', fam, 0, 0)


class Conntrack:
    def __init__(self):
        self.nl = NetlinkSocket(NETLINK_NETFILTER)

    def close(self):
        self.nl.close()

    def flush(self):
        """Empties the table so every packet starts from the same, known conntrack state."""
        self.nl.request((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE, 0, _nfgenmsg(None), 'conntrack flush')

    def add_established(self, packet, packet_is_reply):
        """An assured, two-way entry for the packet's own flow (ESTABLISHED)."""
        orig, reply = flow_tuples(packet, packet_is_reply)
        self._create(packet.family, orig, reply)

    def add_quoted_flow(self, inner):
        """The entry an ICMP error quotes, so the error is RELATED to it."""
        orig, reply = flow_tuples(inner, False)
        self._create(inner.family, orig, reply)

    def _create(self, family, orig, reply):
        payload = (_nfgenmsg(family) + orig.encode(CTA_TUPLE_ORIG) + reply.encode(CTA_TUPLE_REPLY) +
                   attr_be32(CTA_STATUS, IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED) + attr_be32(CTA_TIMEOUT, ENTRY_TIMEOUT))
        payload += _protoinfo(orig.proto)
        self.nl.request((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL,
                        payload, 'conntrack entry')


def _protoinfo(proto):
    if proto == TCP:
        liberal = struct.pack('BB', IP_CT_TCP_FLAG_BE_LIBERAL, IP_CT_TCP_FLAG_BE_LIBERAL)
        return nested(CTA_PROTOINFO, nested(CTA_PROTOINFO_TCP,
                                            attr_u8(CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED),
                                            attr(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, liberal),
                                            attr(CTA_PROTOINFO_TCP_FLAGS_REPLY, liberal)))
    if proto == SCTP:
        return nested(CTA_PROTOINFO, nested(CTA_PROTOINFO_SCTP,
                                            attr_u8(CTA_PROTOINFO_SCTP_STATE, SCTP_CONNTRACK_ESTABLISHED),
                                            attr_be32(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, SCTP_VTAG),
                                            attr_be32(CTA_PROTOINFO_SCTP_VTAG_REPLY, SCTP_VTAG)))
    return b''

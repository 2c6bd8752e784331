"""nf_tables over netlink: the oracle's own `inet oracle_guard` table and counter reads.

The guard table is invisible to iptables-save (it is an inet table, iptables-nft only
lists ip/ip6 tables, iptables-legacy none). It holds:
  * guard_out, output hook priority -1000, policy drop: lets through only packets that
    have a socket owned by a process (our raw sockets). Everything the kernel originates
    by itself (TCP RST, ICMP errors, REJECT answers, NDP, MLD, IGMP) has no such socket
    and is dropped before the user's raw/mangle/nat/filter OUTPUT chains see it.
  * probe chains that only count: which conntrack state the packet had (right after
    conntrack, priority -199), and whether it reached (-1) and passed (+1) the filter
    table's hook (filter is at priority 0 on both backends).
"""

import socket
import struct

from .netlink import (NLM_F_APPEND, NLM_F_CREATE, NLM_F_DUMP, NETLINK_NETFILTER, NetlinkSocket,
                      attr, attr_be32, attr_str, first, nested, parse_attrs)

NFNL_SUBSYS_NFTABLES = 10
NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END = 0x10, 0x11
(NFT_MSG_NEWTABLE, NFT_MSG_GETTABLE, NFT_MSG_DELTABLE, NFT_MSG_NEWCHAIN, NFT_MSG_GETCHAIN,
 NFT_MSG_DELCHAIN, NFT_MSG_NEWRULE, NFT_MSG_GETRULE) = range(8)
NFT_MSG_TRACE = 17
NFPROTO_INET, NFPROTO_IPV4, NFPROTO_IPV6 = 1, 2, 10
HOOKS = {'prerouting': 0, 'input': 1, 'forward': 2, 'output': 3, 'postrouting': 4}
NF_DROP, NF_ACCEPT = 0, 1

NFTA_TABLE_NAME = 1
NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME, NFTA_CHAIN_HOOK, NFTA_CHAIN_POLICY = 1, 3, 4, 5
NFTA_CHAIN_TYPE, NFTA_CHAIN_COUNTERS = 7, 8
NFTA_HOOK_HOOKNUM, NFTA_HOOK_PRIORITY = 1, 2
NFTA_RULE_TABLE, NFTA_RULE_CHAIN, NFTA_RULE_HANDLE, NFTA_RULE_EXPRESSIONS = 1, 2, 3, 4
NFTA_LIST_ELEM = 1
NFTA_EXPR_NAME, NFTA_EXPR_DATA = 1, 2
NFTA_COUNTER_BYTES, NFTA_COUNTER_PACKETS = 1, 2
NFTA_META_DREG, NFTA_META_KEY = 1, 2
NFTA_CT_DREG, NFTA_CT_KEY = 1, 2
NFTA_CMP_SREG, NFTA_CMP_OP, NFTA_CMP_DATA = 1, 2, 3
NFTA_DATA_VALUE, NFTA_DATA_VERDICT = 1, 2
NFTA_VERDICT_CODE = 1
NFTA_IMMEDIATE_DREG, NFTA_IMMEDIATE_DATA = 1, 2
NFT_REG_VERDICT, NFT_REG_1 = 0, 1
NFT_META_SKUID, NFT_META_NFTRACE = 10, 12
NFTA_META_SREG = 3
NFNLGRP_NFTRACE = 9
NFTA_TRACE_TABLE, NFTA_TRACE_CHAIN, NFTA_TRACE_RULE_HANDLE, NFTA_TRACE_TYPE = 1, 2, 3, 4
NFT_TRACETYPE_POLICY, NFT_TRACETYPE_RETURN, NFT_TRACETYPE_RULE = 1, 2, 3
NFT_CT_STATE, NFT_CT_DIRECTION = 0, 1
NFT_CMP_EQ = 0

GUARD_TABLE = 'oracle_guard'
# The bits `ct state` loads: exactly one is set for any packet.
CT_STATE_BITS = {'INVALID': 1, 'ESTABLISHED': 2, 'RELATED': 4, 'NEW': 8, 'UNTRACKED': 64}
FILTER_HOOKS = ('input', 'forward', 'output')


def _nfgenmsg(family, res_id=0):
    return struct.pack('=BBH', family, 0, socket.htons(res_id))


def _msg(kind):
    return (NFNL_SUBSYS_NFTABLES << 8) | kind


def _expr(name, *data):
    return nested(NFTA_LIST_ELEM, attr_str(NFTA_EXPR_NAME, name), nested(NFTA_EXPR_DATA, *data))


def _counter():
    return _expr('counter')


def _cmp_eq(value_bytes):
    return _expr('cmp', attr_be32(NFTA_CMP_SREG, NFT_REG_1), attr_be32(NFTA_CMP_OP, NFT_CMP_EQ),
                 nested(NFTA_CMP_DATA, attr(NFTA_DATA_VALUE, value_bytes)))


def _accept():
    verdict = nested(NFTA_DATA_VERDICT, attr_be32(NFTA_VERDICT_CODE, NF_ACCEPT))
    return _expr('immediate', attr_be32(NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT), nested(NFTA_IMMEDIATE_DATA, verdict))


def _ct_load(key):
    return _expr('ct', attr_be32(NFTA_CT_DREG, NFT_REG_1), attr_be32(NFTA_CT_KEY, key))


def _set_nftrace():
    """`meta nftrace set 1`: every nf_tables chain the packet crosses then reports it."""
    one = _expr('immediate', attr_be32(NFTA_IMMEDIATE_DREG, NFT_REG_1),
                nested(NFTA_IMMEDIATE_DATA, attr(NFTA_DATA_VALUE, b'\x01')))
    return one + _expr('meta', attr_be32(NFTA_META_SREG, NFT_REG_1), attr_be32(NFTA_META_KEY, NFT_META_NFTRACE))


def _meta_load(key):
    return _expr('meta', attr_be32(NFTA_META_DREG, NFT_REG_1), attr_be32(NFTA_META_KEY, key))


class Nftables:
    def __init__(self):
        self.nl = NetlinkSocket(NETLINK_NETFILTER)

    def close(self):
        self.nl.close()

    # ------------------------------------------------------------------ guard table

    def install_guard(self, with_conntrack_probes, with_trace):
        """Creates the guard table and its probe chains in one transaction.

        with_trace: also mark the injected packets for nf_tables tracing (nft backend).
        """
        family = NFPROTO_INET
        table = attr_str(NFTA_TABLE_NAME, GUARD_TABLE)
        body = [(NFT_MSG_NEWTABLE, NLM_F_CREATE, _nfgenmsg(family) + table)]
        body.append(self._chain('guard_out', 'output', -1000, NF_DROP))
        # A packet with an owning process socket passes; `meta skuid` breaks the rule otherwise.
        trace = (_set_nftrace(),) if with_trace else ()
        body.append(self._rule('guard_out', _meta_load(NFT_META_SKUID), *trace, _accept()))
        if with_trace:
            body.append(self._chain('trace_in', 'prerouting', -1000, NF_ACCEPT))
            body.append(self._rule('trace_in', *trace))
        if with_conntrack_probes:
            for hook in ('prerouting', 'output'):
                chain = f'ct_{hook}'
                body.append(self._chain(chain, hook, -199, NF_ACCEPT))
                for bit in CT_STATE_BITS.values():
                    body.append(self._rule(chain, _ct_load(NFT_CT_STATE), _cmp_eq(struct.pack('=I', bit)), _counter()))
                body.append(self._rule(chain, _ct_load(NFT_CT_DIRECTION), _cmp_eq(b'\x01'), _counter()))
        for hook in FILTER_HOOKS:
            for when, priority in (('before', -1), ('after', 1)):
                chain = f'{hook}_{when}'
                body.append(self._chain(chain, hook, priority, NF_ACCEPT))
                body.append(self._rule(chain, _counter()))
        body.append(self._chain('postrouting_after', 'postrouting', 1000, NF_ACCEPT))
        body.append(self._rule('postrouting_after', _counter()))
        self._commit(body, 'install the oracle_guard nft table')

    @staticmethod
    def _chain(name, hook, priority, policy):
        hook_attr = nested(NFTA_CHAIN_HOOK, attr_be32(NFTA_HOOK_HOOKNUM, HOOKS[hook]),
                           attr_be32(NFTA_HOOK_PRIORITY, priority))
        payload = (_nfgenmsg(NFPROTO_INET) + attr_str(NFTA_CHAIN_TABLE, GUARD_TABLE) +
                   attr_str(NFTA_CHAIN_NAME, name) + hook_attr + attr_be32(NFTA_CHAIN_POLICY, policy) +
                   attr_str(NFTA_CHAIN_TYPE, 'filter'))
        return (NFT_MSG_NEWCHAIN, NLM_F_CREATE, payload)

    @staticmethod
    def _rule(chain, *expressions):
        payload = (_nfgenmsg(NFPROTO_INET) + attr_str(NFTA_RULE_TABLE, GUARD_TABLE) +
                   attr_str(NFTA_RULE_CHAIN, chain) + nested(NFTA_RULE_EXPRESSIONS, *expressions))
        return (NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, payload)

    def _commit(self, body, what):
        begin = (NFNL_MSG_BATCH_BEGIN, 0, _nfgenmsg(0, NFNL_SUBSYS_NFTABLES), False)
        end = (NFNL_MSG_BATCH_END, 0, _nfgenmsg(0, NFNL_SUBSYS_NFTABLES), False)
        messages = [begin] + [(_msg(kind), flags, payload, True) for kind, flags, payload in body] + [end]
        self.nl.send_batch(messages, what)

    # ------------------------------------------------------------------ counters

    def rule_counters(self, family, table=None):
        """{(table, chain): [packets of each rule in order]} (None for a rule without counter)."""
        payload = _nfgenmsg(family) + (attr_str(NFTA_RULE_TABLE, table) if table else b'')
        found = {}
        for _, body in self.nl.request(_msg(NFT_MSG_GETRULE), NLM_F_DUMP, payload, 'dump nft rules'):
            key, packets = _rule_summary(body)
            found.setdefault(key, []).append(packets)
        return found

    def chain_counters(self, family):
        """{(table, chain): packets} of the policy counters of base chains."""
        found = {}
        payload = _nfgenmsg(family)
        for _, body in self.nl.request(_msg(NFT_MSG_GETCHAIN), NLM_F_DUMP, payload, 'dump nft chains'):
            attrs = parse_attrs(body[4:])
            counters = first(attrs, NFTA_CHAIN_COUNTERS)
            if counters is None:
                continue
            key = (_text(first(attrs, NFTA_CHAIN_TABLE)), _text(first(attrs, NFTA_CHAIN_NAME)))
            found[key] = _be64(first(parse_attrs(counters), NFTA_COUNTER_PACKETS))
        return found

    def rule_handles(self, family):
        """{(table, chain): [rule handle, ...]} in chain order."""
        found = {}
        for _, body in self.nl.request(_msg(NFT_MSG_GETRULE), NLM_F_DUMP, _nfgenmsg(family), 'dump nft rules'):
            attrs = parse_attrs(body[4:])
            key = (_text(first(attrs, NFTA_RULE_TABLE)), _text(first(attrs, NFTA_RULE_CHAIN)))
            found.setdefault(key, []).append(_be64(first(attrs, NFTA_RULE_HANDLE)))
        return found

    def guard_counters(self):
        """{chain: [packets per rule]} of the oracle's own probe chains."""
        return {chain: packets for (_, chain), packets in self.rule_counters(NFPROTO_INET, GUARD_TABLE).items()}


def _text(raw):
    return (raw or b'').split(b'\0', 1)[0].decode()


def _be64(raw):
    return struct.unpack('>Q', raw[:8])[0] if raw else 0


_COUNTER_NAME = attr_str(NFTA_EXPR_NAME, 'counter')
_ATTR = struct.Struct('=HH')


def _rule_summary(body):
    """((table, chain), packets) of one NFT_MSG_NEWRULE message.

    Runs for every rule after every packet, so instead of decoding every expression it
    reads the two leading attributes (the kernel always puts table then chain first) and
    jumps to the counter expression by its name attribute.
    """
    offset = 4  # nfgenmsg
    names = []
    for _ in range(2):
        length, _kind = _ATTR.unpack_from(body, offset)
        names.append(body[offset + 4:offset + length].split(b'\0', 1)[0].decode())
        offset += (length + 3) & ~3
    at = body.find(_COUNTER_NAME, offset)
    if at < 0:
        return tuple(names), None
    at += len(_COUNTER_NAME)
    length, _kind = _ATTR.unpack_from(body, at)   # NFTA_EXPR_DATA
    end, at = at + length, at + 4
    while at < end:
        length, kind = _ATTR.unpack_from(body, at)
        if kind & 0x3FFF == NFTA_COUNTER_PACKETS:
            return tuple(names), struct.unpack_from('>Q', body, at + 4)[0]
        at += (length + 3) & ~3
    return tuple(names), None


class TraceListener:
    """Receives nf_tables trace events (NFNLGRP_NFTRACE): one per rule a traced packet
    matched, per implicit RETURN and per base-chain policy. The kernel queues them while it
    processes the packet, so they are all waiting once the injection call returns."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024 * 1024)
        self.sock.bind((0, 1 << (NFNLGRP_NFTRACE - 1)))
        self.sock.setblocking(False)

    def close(self):
        self.sock.close()

    def events(self):
        """(table, chain, rule handle or None, trace type) of every waiting event."""
        found = []
        while True:
            try:
                data = self.sock.recv(1 << 20)
            except BlockingIOError:
                return found
            offset = 0
            while offset + 16 <= len(data):
                length, kind = struct.unpack_from('=IH', data, offset)
                if kind == _msg(NFT_MSG_TRACE):
                    attrs = parse_attrs(data[offset + 20:offset + length])
                    handle = first(attrs, NFTA_TRACE_RULE_HANDLE)
                    kind_raw = first(attrs, NFTA_TRACE_TYPE)
                    found.append((_text(first(attrs, NFTA_TRACE_TABLE)), _text(first(attrs, NFTA_TRACE_CHAIN)),
                                  _be64(handle) if handle else None,
                                  struct.unpack('>I', kind_raw)[0] if kind_raw else 0))
                offset += (length + 3) & ~3

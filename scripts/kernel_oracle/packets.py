"""Witness packets: reading the project's JSON format, filling in defaults, building bytes.

Every default the oracle picks is recorded in the packet's notes, so a result always says
which packet the kernel really saw.
"""

import ipaddress
import socket
import struct

PROTO_NUMBERS = {
    'tcp': 6, 'udp': 17, 'icmp': 1, 'icmpv6': 58, 'ipv6-icmp': 58, 'sctp': 132,
    'udplite': 136, 'gre': 47, 'esp': 50, 'ah': 51, 'dccp': 33, 'all': None,
}
TCP, UDP, ICMP, ICMPV6, SCTP, GRE = 6, 17, 1, 58, 132, 47
TCP_FLAG_BITS = {'FIN': 0x01, 'SYN': 0x02, 'RST': 0x04, 'PSH': 0x08, 'ACK': 0x10, 'URG': 0x20,
                 'ECE': 0x40, 'CWR': 0x80}
STATES = ('NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED')
ICMP_ERROR_TYPES = {'ipv4': {3, 4, 5, 11, 12}, 'ipv6': {1, 2, 3, 4}}
ICMP_ECHO = {'ipv4': (8, 0), 'ipv6': (128, 129)}  # (request, reply)
# MLD and NDP messages: conntrack never tracks them, they are UNTRACKED without any rule.
ICMPV6_UNTRACKED_TYPES = {130, 131, 132, 133, 134, 135, 136, 143}
ICMP_QUERY_REPLIES = {'ipv4': {0: 8, 14: 13, 16: 15, 18: 17}, 'ipv6': {129: 128}}
SCTP_VTAG = 0x5ca1ab1e  # the verification tag of injected SCTP associations

DEFAULT_ADDRESSES = {
    'ipv4': {'remote': '198.51.100.7', 'local': '10.0.0.1', 'loopback': '127.0.0.1'},
    'ipv6': {'remote': '2001:db8:100::7', 'local': '2001:db8::1', 'loopback': '::1'},
}
KNOWN_FIELDS = {
    'proto', 'src', 'dst', 'sport', 'dport', 'in', 'out', 'state', 'flags', 'icmp_type', 'icmp_code',
    'length', 'ttl', 'hop_limit', 'tos', 'mark', 'uid', 'gid', 'payload', 'payload_hex', 'mss',
    'mac_src', 'ctdir', 'related_to', 'icmp_id', 'id', 'comment', 'family',
}


class PacketError(ValueError):
    """The packet cannot be built or injected as described."""


class Packet:
    """A witness packet with every field resolved. `notes` lists the defaults taken."""

    def __init__(self):
        self.notes = []
        self.inner = None

    @property
    def direction(self):
        if self.in_dev and self.out_dev:
            return 'forward'
        return 'input' if self.in_dev else 'output'

    @property
    def l4_has_ports(self):
        return self.proto in (TCP, UDP, SCTP, 136, 33)


def _default(packet, spec, key, value, why=''):
    if key in spec and spec[key] is not None:
        return spec[key]
    packet.notes.append(f'{key} defaulted to {value}{" (" + why + ")" if why else ""}')
    return value


def _proto_number(value, family):
    if isinstance(value, int):
        return value
    text = str(value).lower()
    if text.isdigit():
        return int(text)
    if text == 'icmp' and family == 'ipv6':
        return ICMPV6
    if text not in PROTO_NUMBERS or PROTO_NUMBERS[text] is None:
        raise PacketError(f'unknown protocol {value!r}')
    return PROTO_NUMBERS[text]


def _address(value, family, what):
    try:
        parsed = ipaddress.ip_address(str(value))
    except ValueError:
        raise PacketError(f'{what} {value!r} is not an IP address') from None
    if (parsed.version == 6) != (family == 'ipv6'):
        raise PacketError(f'{what} {value} is not an {family} address (run with --family)')
    return str(parsed)


def _tcp_flags(text):
    bits = 0
    for name in str(text).upper().replace('|', ',').split(','):
        name = name.strip()
        if not name or name == 'NONE':
            continue
        if name == 'ALL':
            bits |= 0x3F
            continue
        if name not in TCP_FLAG_BITS:
            raise PacketError(f'unknown TCP flag {name!r}')
        bits |= TCP_FLAG_BITS[name]
    return bits


def parse_packet(spec, family):
    """A Packet from one JSON object of the witness format; raises PacketError."""
    if not isinstance(spec, dict):
        raise PacketError('a packet must be a JSON object')
    unknown = sorted(set(spec) - KNOWN_FIELDS)
    if unknown:
        raise PacketError(f'unknown field(s): {", ".join(unknown)}')
    if spec.get('family') not in (None, family):
        raise PacketError(f"packet family {spec['family']} in an {family} run (use --family)")
    p = Packet()
    p.family = family
    p.in_dev = spec.get('in')
    p.out_dev = spec.get('out')
    if not p.in_dev and not p.out_dev:
        p.in_dev = _default(p, spec, 'in', 'eth0', 'no direction given: INPUT path')
    for dev in (p.in_dev, p.out_dev):
        if dev is not None and (not isinstance(dev, str) or not 0 < len(dev) < 16 or '/' in dev or ' ' in dev):
            raise PacketError(f'bad interface name {dev!r}')
    if p.in_dev == 'lo' and p.out_dev:
        raise PacketError('a packet arriving on lo cannot be forwarded')
    p.state_given = spec.get('state') is not None
    p.state = str(_default(p, spec, 'state', 'NEW')).upper()
    if p.state not in STATES:
        raise PacketError(f'unknown state {p.state!r}')
    p.proto = _proto_number(_default(p, spec, 'proto', 'tcp'), family)
    if p.proto == ICMP and family == 'ipv6':
        raise PacketError('proto 1 (icmp) in an IPv6 run: use icmpv6')
    _resolve_addresses(p, spec)
    _resolve_l4(p, spec)
    if spec.get('state') is None and p.proto == ICMPV6 and p.icmp_type in ICMPV6_UNTRACKED_TYPES:
        p.state = 'UNTRACKED'
        p.notes = [n for n in p.notes if not n.startswith('state defaulted')]
        p.notes.append('state defaulted to UNTRACKED (conntrack never tracks NDP and MLD)')
    p.ttl = int(spec.get('ttl', spec.get('hop_limit', 64)))
    p.tos = int(spec.get('tos', 0))
    p.mark = spec.get('mark')
    p.uid = spec.get('uid')
    p.gid = spec.get('gid')
    if (p.mark is not None or p.uid is not None or p.gid is not None) and p.direction != 'output':
        raise PacketError('mark/uid/gid can only be set on locally generated packets (out only)')
    p.mac_src = spec.get('mac_src', '02:00:00:00:00:fe')
    p.ctdir = str(spec.get('ctdir', 'ORIGINAL')).upper()
    if p.ctdir not in ('ORIGINAL', 'REPLY'):
        raise PacketError('ctdir must be ORIGINAL or REPLY')
    p.payload = _payload(spec)
    p.length = spec.get('length')
    return p


def _resolve_addresses(p, spec):
    defaults = DEFAULT_ADDRESSES[p.family]
    if p.in_dev == 'lo' or p.out_dev == 'lo':
        src_default = dst_default = defaults['loopback']
    elif p.direction == 'output':
        src_default, dst_default = defaults['local'], defaults['remote']
    else:
        src_default, dst_default = defaults['remote'], defaults['local']
    p.src = _address(_default(p, spec, 'src', src_default), p.family, 'src')
    p.dst = _address(_default(p, spec, 'dst', dst_default), p.family, 'dst')


def _resolve_l4(p, spec):
    p.flags = None
    p.icmp_type = p.icmp_code = None
    p.mss = spec.get('mss')
    if p.l4_has_ports:
        p.sport = int(_default(p, spec, 'sport', 40000))
        p.dport = int(_default(p, spec, 'dport', 80))
        for port in (p.sport, p.dport):
            if not 0 <= port <= 65535:
                raise PacketError(f'port {port} out of range')
    else:
        p.sport = p.dport = None
        if spec.get('sport') is not None or spec.get('dport') is not None:
            raise PacketError(f'protocol {p.proto} has no ports')
    if p.proto == TCP:
        p.flags = _tcp_flags(_default(p, spec, 'flags', _default_tcp_flags(p), f'state {p.state}'))
    elif spec.get('flags') is not None:
        raise PacketError('flags only apply to tcp')
    if p.proto in (ICMP, ICMPV6):
        default_type, default_code = _default_icmp(p)
        p.icmp_type = int(_default(p, spec, 'icmp_type', default_type, f'state {p.state}'))
        p.icmp_code = int(_default(p, spec, 'icmp_code', default_code))
        p.icmp_id = int(spec.get('icmp_id', 1))
        if p.icmp_type in ICMP_ERROR_TYPES[p.family]:
            p.inner = _inner_flow(p, spec.get('related_to'))
        elif spec.get('related_to') is not None:
            raise PacketError('related_to needs an ICMP error type')
        else:
            p.inner = None
    elif spec.get('icmp_type') is not None or spec.get('icmp_code') is not None:
        raise PacketError('icmp_type/icmp_code need proto icmp or icmpv6')
    if p.state == 'RELATED' and not (p.proto in (ICMP, ICMPV6) and p.inner):
        raise PacketError('RELATED needs an ICMP error (icmp_type 3/4/5/11/12, or 1-4 for icmpv6) '
                          'quoting a tracked flow; TCP/UDP RELATED needs a helper expectation')


def _default_tcp_flags(p):
    if p.state == 'ESTABLISHED':
        return 'ACK'
    if p.state == 'INVALID' and p.direction == 'output':
        return 'SYN,FIN'  # conntrack checks flags on every hook, checksums only in PREROUTING
    return 'SYN'


def _default_icmp(p):
    request, reply = ICMP_ECHO[p.family]
    if p.state == 'RELATED':
        return (3, 3) if p.family == 'ipv4' else (1, 4)
    if p.state == 'INVALID' and p.direction == 'output':
        return reply, 0  # an unsolicited echo reply cannot start a connection
    return request, 0


def _inner_flow(p, spec):
    """The flow an ICMP error quotes: by default the reverse of the error's own addresses."""
    spec = dict(spec or {})
    if not spec:
        p.notes.append('related_to defaulted to a udp flow dst:40000 -> src:53 (the error quotes it)')
    inner = Packet()
    inner.family = p.family
    inner.proto = _proto_number(spec.get('proto', 'udp'), p.family)
    inner.src = _address(spec.get('src', p.dst), p.family, 'related_to.src')
    inner.dst = _address(spec.get('dst', p.src), p.family, 'related_to.dst')
    inner.sport = int(spec.get('sport', 40000)) if inner.l4_has_ports else None
    inner.dport = int(spec.get('dport', 53)) if inner.l4_has_ports else None
    inner.flags = _tcp_flags(spec.get('flags', 'SYN')) if inner.proto == TCP else None
    if inner.proto in (ICMP, ICMPV6):
        inner.icmp_type, inner.icmp_code, inner.icmp_id = ICMP_ECHO[p.family][0], 0, int(spec.get('icmp_id', 1))
    inner.ttl, inner.tos, inner.payload, inner.length, inner.mss = 64, 0, b'', None, None
    inner.state = 'ESTABLISHED'
    return inner


def _payload(spec):
    if spec.get('payload_hex') is not None:
        return bytes.fromhex(str(spec['payload_hex']))
    if spec.get('payload') is not None:
        return str(spec['payload']).encode()
    return b''


# ---------------------------------------------------------------------------- bytes


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC32C = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC32C[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _pseudo_header(p, l4_length):
    fam = socket.AF_INET6 if p.family == 'ipv6' else socket.AF_INET
    src, dst = socket.inet_pton(fam, p.src), socket.inet_pton(fam, p.dst)
    if p.family == 'ipv6':
        return src + dst + struct.pack('!IxxxB', l4_length, p.proto)
    return src + dst + struct.pack('!xBH', p.proto, l4_length)


def _tcp(p, payload):
    options = struct.pack('!BBH', 2, 4, int(p.mss)) if p.mss is not None else b''
    offset = (20 + len(options)) // 4
    ack = 1 if p.flags & TCP_FLAG_BITS['ACK'] else 0
    return struct.pack('!HHIIBBHHH', p.sport, p.dport, 1000, ack, offset << 4, p.flags, 64240, 0, 0) + options + payload


def _udp(p, payload):
    return struct.pack('!HHHH', p.sport, p.dport, 8 + len(payload), 0) + payload


def _icmp(p, payload):
    if p.inner is not None:
        body = build_l3(p.inner, quoted=True)
        rest = b'\0\0\0\0'
    else:
        body = payload
        rest = struct.pack('!HH', p.icmp_id, 1)
    return struct.pack('!BBH', p.icmp_type, p.icmp_code, 0) + rest + body


def _sctp(p, payload):
    if p.state == 'NEW' or p.state == 'UNTRACKED' or p.state == 'INVALID':
        vtag = 0
        chunk = struct.pack('!BBHIIHHI', 1, 0, 20, SCTP_VTAG, 65535, 1, 1, 1)  # INIT
    else:
        vtag = SCTP_VTAG
        data = payload or b'data'
        data += b'\0' * (-len(data) % 4)
        chunk = struct.pack('!BBHIHHI', 0, 3, 16 + len(data), 1, 0, 0, 0) + data  # DATA
    return struct.pack('!HHII', p.sport, p.dport, vtag, 0) + chunk


def _l4_with_checksum(p, bad_checksum):
    payload = p.payload
    header_only = {TCP: _tcp, UDP: _udp, ICMP: _icmp, ICMPV6: _icmp, SCTP: _sctp}.get(p.proto)
    segment = bytearray(header_only(p, payload) if header_only else (payload or b'\0' * 8))
    if p.length is not None and header_only in (_tcp, _udp, None):
        header = _header_length(p.family)
        missing = int(p.length) - header - len(segment)
        if missing < 0:
            raise PacketError(f'length {p.length} is shorter than the headers ({header + len(segment)})')
        segment += b'\0' * missing
        if p.proto == UDP:
            struct.pack_into('!H', segment, 4, len(segment))
    _fill_checksum(p, segment)
    if bad_checksum:
        _corrupt_checksum(p, segment)
    return bytes(segment)


def _fill_checksum(p, segment):
    if p.proto == TCP:
        struct.pack_into('!H', segment, 16, checksum(_pseudo_header(p, len(segment)) + bytes(segment)))
    elif p.proto == UDP:
        value = checksum(_pseudo_header(p, len(segment)) + bytes(segment)) or 0xFFFF
        struct.pack_into('!H', segment, 6, value)
    elif p.proto == ICMP:
        struct.pack_into('!H', segment, 2, checksum(bytes(segment)))
    elif p.proto == ICMPV6:
        struct.pack_into('!H', segment, 2, checksum(_pseudo_header(p, len(segment)) + bytes(segment)))
    elif p.proto == SCTP:
        struct.pack_into('<I', segment, 8, crc32c(bytes(segment)))


def _corrupt_checksum(p, segment):
    where = {TCP: 16, UDP: 6, ICMP: 2, ICMPV6: 2, SCTP: 8}.get(p.proto)
    if where is None:
        raise PacketError(f'INVALID cannot be produced for protocol {p.proto} (no checksum)')
    segment[where] ^= 0x5A


def _header_length(family):
    return 40 if family == 'ipv6' else 20


def build_l3(p, bad_checksum=False, quoted=False):
    """The IP packet as bytes. quoted=True gives what an ICMP error quotes (header + 8 bytes)."""
    segment = _l4_with_checksum(p, bad_checksum)
    if quoted:
        segment = segment[:8]
    fam = socket.AF_INET6 if p.family == 'ipv6' else socket.AF_INET
    src, dst = socket.inet_pton(fam, p.src), socket.inet_pton(fam, p.dst)
    if p.family == 'ipv6':
        first_word = (6 << 28) | (p.tos << 20)
        return struct.pack('!IHBB', first_word, len(segment), p.proto, p.ttl) + src + dst + segment
    total = 20 + len(segment)
    if quoted:
        total = 20 + len(_l4_with_checksum(p, False))
    header = bytearray(struct.pack('!BBHHHBBH', 0x45, p.tos, total, 0x1234, 0, p.ttl, p.proto, 0) + src + dst)
    struct.pack_into('!H', header, 10, checksum(bytes(header)))
    return bytes(header) + segment


def destination_mac(family, address, unicast_mac):
    """The Ethernet destination a real sender would use: group MACs for multicast and
    broadcast, so the kernel classifies the frame (pkttype) as it would on a wire."""
    ip = ipaddress.ip_address(address)
    if ip.is_multicast:
        if family == 'ipv6':
            return b'\x33\x33' + ip.packed[-4:]
        return bytes([0x01, 0x00, 0x5E, ip.packed[1] & 0x7F]) + ip.packed[2:]
    if family == 'ipv4' and address == '255.255.255.255':
        return b'\xff' * 6
    return unicast_mac


def mac_bytes(text):
    parts = str(text).split(':')
    if len(parts) != 6:
        raise PacketError(f'bad MAC address {text!r}')
    return bytes(int(x, 16) for x in parts)


def ethernet_frame(dst_mac, src_mac, family, l3):
    ethertype = 0x86DD if family == 'ipv6' else 0x0800
    return dst_mac + src_mac + struct.pack('!H', ethertype) + l3


def describe_emitted(family, l3):
    """The header fields of a packet seen leaving a TAP (to show NAT at work)."""
    try:
        if family == 'ipv6':
            proto, src, dst, l4 = l3[6], l3[8:24], l3[24:40], l3[40:]
            fam = socket.AF_INET6
        else:
            ihl = (l3[0] & 0x0F) * 4
            proto, src, dst, l4 = l3[9], l3[12:16], l3[16:20], l3[ihl:]
            fam = socket.AF_INET
        seen = {'proto': proto, 'src': socket.inet_ntop(fam, src), 'dst': socket.inet_ntop(fam, dst)}
        if proto in (TCP, UDP, SCTP) and len(l4) >= 4:
            seen['sport'], seen['dport'] = struct.unpack('!HH', l4[:4])
        return seen
    except (IndexError, ValueError, struct.error):
        return {'raw': l3[:64].hex()}

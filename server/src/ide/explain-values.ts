// What a value written in a rule means, in a sentence: a port's service, an address block's
// range, size and kind, an interface wildcard, a conntrack state, an ICMP type. Used by hover
// and by completion's documentation. Plain strings (markdown), no LSP.

import { familyBits, formatAddress, MaskedAddress, parseAddress } from '../catalogue/addresses';
import { SERVICES } from '../catalogue/data/netdb';
import { Family } from '../catalogue/types';
import { AddressRangeValue, HostValue, InterfaceValue, PortRangeValue, ProtocolValue, RateValue } from '../catalogue/values';
import { IcmpTypeName, IcmpTypeValue } from '../catalogue/grammars/icmp';
import { ICMP_TYPE_NAMES } from '../catalogue/matches/icmp';
import { ICMPV6_TYPE_NAMES } from '../catalogue/matches/icmp6';
import { OptionItem } from '../syntax/rule';

// ---------------------------------------------------------------------------- numbers

/** 16777216 -> "16,777,216". */
export function groupDigits(n: number | bigint): string {
  return BigInt(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Byte counts in readable units (decimal, as `iptables -L -v` does). */
export function readableBytes(bytes: bigint): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  if (bytes < 1000n) return `${bytes} ${bytes === 1n ? 'byte' : 'bytes'}`;
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A big count of addresses: exact below 2^32, as a power of two above. */
function addressCount(zeroBits: number): string {
  if (zeroBits <= 32) return `${groupDigits(1n << BigInt(zeroBits))} ${zeroBits === 0 ? 'address' : 'addresses'}`;
  return `2^${zeroBits} addresses`;
}

// ---------------------------------------------------------------------------- ports

/** Ports people recognise by number; our own short names. netdb fills in the rest. */
const WELL_KNOWN_PORTS: Readonly<Record<number, string>> = {
  20: 'FTP data',
  21: 'FTP control',
  22: 'SSH',
  23: 'Telnet (unencrypted remote login)',
  25: 'SMTP (mail between servers)',
  53: 'DNS',
  67: 'DHCP server (BOOTP)',
  68: 'DHCP client',
  69: 'TFTP',
  80: 'HTTP',
  110: 'POP3',
  111: 'RPC portmapper (rpcbind)',
  123: 'NTP (time)',
  137: 'NetBIOS name service',
  138: 'NetBIOS datagrams',
  139: 'NetBIOS sessions (old SMB)',
  143: 'IMAP',
  161: 'SNMP',
  162: 'SNMP traps',
  179: 'BGP',
  389: 'LDAP',
  443: 'HTTPS (and HTTP/3 over UDP)',
  445: 'SMB (Windows file sharing, Samba)',
  465: 'SMTP over TLS (submissions)',
  500: 'IPsec key exchange (IKE)',
  514: 'syslog (UDP) / rsh (TCP)',
  546: 'DHCPv6 client',
  547: 'DHCPv6 server',
  587: 'mail submission (SMTP with authentication)',
  631: 'IPP (CUPS printing)',
  636: 'LDAP over TLS',
  853: 'DNS over TLS',
  873: 'rsync',
  993: 'IMAP over TLS',
  995: 'POP3 over TLS',
  1194: 'OpenVPN',
  1433: 'Microsoft SQL Server',
  1521: 'Oracle database',
  1723: 'PPTP VPN',
  1812: 'RADIUS authentication',
  1813: 'RADIUS accounting',
  1883: 'MQTT',
  2049: 'NFS',
  2375: 'Docker API (unencrypted)',
  2376: 'Docker API over TLS',
  2379: 'etcd clients',
  2380: 'etcd peers',
  3000: 'Grafana and many development servers',
  3128: 'Squid HTTP proxy',
  3306: 'MySQL / MariaDB',
  3389: 'RDP (Windows remote desktop)',
  4500: 'IPsec NAT traversal',
  5060: 'SIP (VoIP signalling)',
  5061: 'SIP over TLS',
  5222: 'XMPP clients',
  5353: 'mDNS (Avahi, Bonjour)',
  5432: 'PostgreSQL',
  5601: 'Kibana',
  5672: 'AMQP (RabbitMQ)',
  5900: 'VNC',
  6379: 'Redis',
  6443: 'Kubernetes API server',
  8080: 'HTTP alternate (proxies, application servers)',
  8443: 'HTTPS alternate',
  9090: 'Prometheus',
  9100: 'Prometheus node exporter / raw printing (JetDirect)',
  9200: 'Elasticsearch',
  10250: 'Kubernetes kubelet API',
  11211: 'memcached',
  27017: 'MongoDB',
  51820: 'WireGuard',
};

/** netdb service names by port, per protocol: "3306" -> ["mysql"]. */
const serviceNames: ReadonlyMap<string, ReadonlyMap<number, readonly string[]>> = (() => {
  const byProto = new Map<string, Map<number, string[]>>();
  for (const [key, port] of Object.entries(SERVICES)) {
    const [name, proto] = key.split('/');
    const ports = byProto.get(proto) ?? new Map<number, string[]>();
    ports.set(port, [...(ports.get(port) ?? []), name]);
    byProto.set(proto, ports);
  }
  return byProto;
})();

/** The /etc/services names of a port for a protocol (tcp and udp when it is not a port protocol). */
export function servicesOf(port: number, protocol?: string): string[] {
  const protos = protocol && serviceNames.has(protocol) ? [protocol] : ['tcp', 'udp'];
  return [...new Set(protos.flatMap((p) => serviceNames.get(p)?.get(port) ?? []))];
}

/** Which of the three IANA port ranges a port is in. */
function portBand(port: number): string {
  if (port < 1024) return 'a well-known port: only root may listen on it';
  if (port < 49152) return 'a registered port';
  return 'in the dynamic range Linux uses for outgoing connections (ephemeral ports)';
}

/** "port 3306: MySQL / MariaDB (service name `mysql`)". */
export function describePort(port: number, protocol?: string): string {
  const known = WELL_KNOWN_PORTS[port];
  const names = servicesOf(port, protocol);
  const service = names.length ? ` (service name ${names.map((n) => `\`${n}\``).join(', ')})` : '';
  if (known) return `port ${port}: ${known}${service}`;
  if (names.length) return `port ${port}: ${names.map((n) => `\`${n}\``).join(', ')} in /etc/services`;
  return `port ${port}, ${portBand(port)}`;
}

export function describePortRange(range: PortRangeValue, protocol?: string): string {
  if (range.min === range.max) return describePort(range.min, protocol);
  if (range.min === 0 && range.max === 65535) return 'every port (0 to 65535)';
  const size = range.max - range.min + 1;
  const facts = [`${groupDigits(size)} ports`];
  if (range.max < 1024) facts.push('all privileged (below 1024)');
  else if (range.max >= 32768 && range.min < 61000) facts.push('overlapping the ephemeral ports Linux picks for outgoing connections (32768 to 60999)');
  const known = knownPortsIn(range);
  if (known.length) facts.push(`including ${known.join(', ')}`);
  return `ports ${range.min} to ${range.max} (${facts.join('; ')})`;
}

const MAX_NAMED_PORTS = 6;

/** The well-known services inside a small range: "22 SSH". */
function knownPortsIn(range: PortRangeValue): string[] {
  const ports = Object.keys(WELL_KNOWN_PORTS).map(Number).filter((p) => range.min <= p && p <= range.max);
  if (ports.length > MAX_NAMED_PORTS) return [];
  return ports.map((p) => `${p} ${WELL_KNOWN_PORTS[p]}`);
}

// ---------------------------------------------------------------------------- addresses

interface SpecialBlock {
  readonly cidr: string;
  readonly what: string;
}

const SPECIAL_V4: readonly SpecialBlock[] = [
  { cidr: '0.0.0.0/8', what: '"this network": not a valid source or destination on the wire, except 0.0.0.0 as the source of a DHCP request' },
  { cidr: '10.0.0.0/8', what: 'private network (RFC 1918): not routed on the Internet' },
  { cidr: '100.64.0.0/10', what: 'shared address space for carrier-grade NAT (RFC 6598)' },
  { cidr: '127.0.0.0/8', what: 'loopback: only ever seen on the `lo` interface' },
  { cidr: '169.254.0.0/16', what: 'link-local (RFC 3927): self-assigned addresses, never routed' },
  { cidr: '172.16.0.0/12', what: 'private network (RFC 1918): not routed on the Internet' },
  { cidr: '192.0.0.0/24', what: 'reserved for IETF protocol assignments' },
  { cidr: '192.0.2.0/24', what: 'documentation range TEST-NET-1 (RFC 5737): appears in examples, never on a real network' },
  { cidr: '192.168.0.0/16', what: 'private network (RFC 1918): not routed on the Internet' },
  { cidr: '198.18.0.0/15', what: 'reserved for network benchmark tests (RFC 2544)' },
  { cidr: '198.51.100.0/24', what: 'documentation range TEST-NET-2 (RFC 5737): appears in examples, never on a real network' },
  { cidr: '203.0.113.0/24', what: 'documentation range TEST-NET-3 (RFC 5737): appears in examples, never on a real network' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved (former class E): not usable' },
  { cidr: '255.255.255.255/32', what: 'limited broadcast: every host of the local network' },
];

const SPECIAL_V6: readonly SpecialBlock[] = [
  { cidr: '::/128', what: 'the unspecified address (a host that has no address yet)' },
  { cidr: '::1/128', what: 'loopback: only ever seen on the `lo` interface' },
  { cidr: '::ffff:0:0/96', what: 'IPv4-mapped addresses: IPv4 peers of a dual-stack socket; never on the wire' },
  { cidr: '64:ff9b::/96', what: 'NAT64 well-known prefix (RFC 6052)' },
  { cidr: '2001::/32', what: 'Teredo tunnelling' },
  { cidr: '2001:db8::/32', what: 'documentation range (RFC 3849): appears in examples, never on a real network' },
  { cidr: '2002::/16', what: '6to4 tunnelling' },
  { cidr: 'fc00::/7', what: 'unique local addresses (RFC 4193): the IPv6 counterpart of private networks' },
  { cidr: 'fe80::/10', what: 'link-local: valid on one link only; neighbour discovery and router advertisements use them' },
  { cidr: 'ff00::/8', what: 'multicast (neighbour discovery, DHCPv6 and MLD use it too)' },
  { cidr: '2000::/3', what: 'global unicast: Internet addresses' },
];

interface Block {
  readonly first: bigint;
  readonly last: bigint;
}

function parseCidr(family: Family, cidr: string): Block {
  const [addr, len] = cidr.split('/');
  const value = parseAddress(family, addr)!;
  const host = familyBits(family) - Number(len);
  return { first: value, last: value | ((1n << BigInt(host)) - 1n) };
}

const specials = (family: Family) => (family === 'ipv4' ? SPECIAL_V4 : SPECIAL_V6).map((s) => ({ ...s, block: parseCidr(family, s.cidr) }));
const SPECIAL_BLOCKS: Readonly<Record<Family, ReturnType<typeof specials>>> = { ipv4: specials('ipv4'), ipv6: specials('ipv6') };

/** What kind of addresses a block holds: the smallest special block around it, or those inside it. */
export function classifyBlock(family: Family, block: Block): string | undefined {
  const bits = familyBits(family);
  if (block.first === 0n && block.last === (1n << BigInt(bits)) - 1n) return 'every address';
  const table = SPECIAL_BLOCKS[family];
  const around = table.filter((s) => s.block.first <= block.first && block.last <= s.block.last);
  if (around.length) {
    const smallest = around.reduce((a, b) => (b.block.last - b.block.first < a.block.last - a.block.first ? b : a));
    return smallest.what;
  }
  const inside = table.filter((s) => block.first <= s.block.first && s.block.last <= block.last);
  if (inside.length) return `includes ${inside.map((s) => `${s.cidr} (${s.what.split(/[:(]/)[0].trim()})`).join(', ')}`;
  return family === 'ipv4' ? 'public addresses' : undefined;
}

/** "10.0.0.0/8: 10.0.0.0 to 10.255.255.255, 16,777,216 addresses; private network (RFC 1918)". */
export function describeMaskedAddress(m: MaskedAddress): string {
  const bits = familyBits(m.family);
  const hostMask = ((1n << BigInt(bits)) - 1n) ^ m.mask;
  const zeroBits = hostMask.toString(2).replace(/0/g, '').length; // host bits (a mask may have holes)
  const first = m.address;
  const last = m.address | hostMask;
  const written = m.prefix === undefined ? `${formatAddress(m.family, m.address)}/${formatAddress(m.family, m.mask)}` : m.prefix === bits ? formatAddress(m.family, first) : `${formatAddress(m.family, first)}/${m.prefix}`;
  const kind = classifyBlock(m.family, { first, last });
  const kindText = kind ? `; ${kind}` : '';
  if (m.prefix === undefined) return `\`${written}\`: a mask with holes, matching ${addressCount(zeroBits)} spread between ${formatAddress(m.family, first)} and ${formatAddress(m.family, last)}${kindText}`;
  if (m.prefix === bits) return `\`${written}\`: one address${kindText}`;
  return `\`${written}\`: ${formatAddress(m.family, first)} to ${formatAddress(m.family, last)}, ${addressCount(zeroBits)}${kindText}`;
}

export function describeHost(value: HostValue): string[] {
  if (value.hostname) return [`\`${value.hostname}\` is a host name: iptables looks it up once, when the rules are loaded, and uses the addresses it gets then`];
  return value.addresses.map(describeMaskedAddress);
}

export function describeAddressRange(r: AddressRangeValue): string {
  const from = formatAddress(r.family, r.min);
  const to = formatAddress(r.family, r.max);
  if (r.min > r.max) return `${from} to ${to}: reversed, so no address is in it`;
  if (r.min === r.max) {
    const kind = classifyBlock(r.family, { first: r.min, last: r.max });
    return `\`${from}\`: one address${kind ? `; ${kind}` : ''}`;
  }
  const size = r.max - r.min + 1n;
  const count = size < 1n << 32n ? `${groupDigits(size)} ${size === 1n ? 'address' : 'addresses'}` : 'more than 2^32 addresses';
  const kind = classifyBlock(r.family, { first: r.min, last: r.max });
  return `${from} to ${to}, ${count}${kind ? `; ${kind}` : ''}`;
}

// ---------------------------------------------------------------------------- interfaces

export function describeInterface(value: InterfaceValue): string {
  if (value.wildcard && value.name === '') return '`+`: any interface';
  if (value.wildcard) return `\`${value.name}+\`: every interface whose name starts with \`${value.name}\` (${value.name}0, ${value.name}1, ...)`;
  if (value.name === 'lo') return '`lo`: the loopback interface, for traffic from this machine to itself';
  return `\`${value.name}\`: exactly this interface (the rule never matches if no interface has this name)`;
}

// ---------------------------------------------------------------------------- protocols, states, ICMP

export function describeProtocol(value: ProtocolValue): string {
  if (value.number === 0) return '`all`: every protocol';
  return `\`${value.name}\`: IP protocol number ${value.number}`;
}

/** Conntrack states, in our words. */
export const CT_STATE_TEXT: Readonly<Record<string, string>> = {
  NEW: 'the first packet of a connection conntrack has not seen before (for TCP usually a SYN)',
  ESTABLISHED: 'a packet of a connection that has seen packets in both directions, or that follows up on one this host already let through',
  RELATED: 'a packet that starts a new connection tied to an existing one, such as an ICMP error about it or an FTP data connection (with its helper)',
  INVALID: 'a packet conntrack cannot place in any connection (malformed, or out of the TCP window): usually dropped',
  UNTRACKED: 'a packet exempted from tracking in the raw table (-j CT --notrack or -j NOTRACK)',
  SNAT: 'a virtual state: the connection\'s source address was translated (original source differs from reply destination)',
  DNAT: 'a virtual state: the connection\'s destination address was translated (original destination differs from reply source)',
};

export const CT_STATUS_TEXT: Readonly<Record<string, string>> = {
  NONE: 'none of the status bits is set',
  EXPECTED: 'the connection was expected by a helper (an FTP data connection, say)',
  SEEN_REPLY: 'packets have been seen in both directions',
  ASSURED: 'the connection is established enough that it will not be evicted early when the table fills',
  CONFIRMED: 'the connection has left the first packet\'s path and is in the conntrack table',
};

export function describeStates(states: readonly string[], table: Readonly<Record<string, string>> = CT_STATE_TEXT): string[] {
  return states.map((s) => `\`${s}\`: ${table[s] ?? 'a state iptables-lint has no description for'}`);
}

export function icmpNames(family: Family): readonly IcmpTypeName[] {
  return family === 'ipv4' ? ICMP_TYPE_NAMES : ICMPV6_TYPE_NAMES;
}

/** "type 8 (echo-request, ping): every code" or "type 3 code 3 (port-unreachable)". */
export function describeIcmpType(value: IcmpTypeValue, family: Family): string {
  const names = icmpNames(family);
  const allCodes = value.code.min === 0 && value.code.max === 255;
  if (family === 'ipv4' && value.type === 255) return '`any`: every ICMP type';
  const label = family === 'ipv4' ? 'ICMP' : 'ICMPv6';
  const typeNames = names.filter((n) => n.type === value.type && n.code === undefined).map((n) => n.name);
  const typeText = `${label} type ${value.type}${typeNames.length ? ` (${typeNames.join(', ')})` : ''}`;
  if (allCodes) return `${typeText}, any code`;
  if (value.code.min === value.code.max) {
    const codeName = names.find((n) => n.type === value.type && n.code === value.code.min);
    return `${typeText}, code ${value.code.min}${codeName ? ` (${codeName.name})` : ''}`;
  }
  return `${typeText}, codes ${value.code.min} to ${value.code.max}`;
}

/** What kind of ICMP message a type number is about, for completion details. */
export function icmpNameDetail(entry: IcmpTypeName, family: Family): string {
  const label = family === 'ipv4' ? 'ICMP' : 'ICMPv6';
  return entry.code === undefined ? `${label} type ${entry.type}` : `${label} type ${entry.type} code ${entry.code}`;
}

// ---------------------------------------------------------------------------- rates and levels

const LIMIT_SCALE = 10000;

export function describeRate(value: RateValue): string {
  const perSecond = LIMIT_SCALE / value.period;
  const perMinute = perSecond * 60;
  const text = perSecond >= 1 ? `${round(perSecond)} per second` : perMinute >= 1 ? `${round(perMinute)} per minute` : `${round(perMinute * 60)} per hour`;
  return `on average at most ${text} (one every ${round(value.period / LIMIT_SCALE)} s once the burst is used up)`;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1).replace(/\.?0+$/, '');
}

export const SYSLOG_LEVELS: readonly string[] = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];

export function describeLogLevel(level: number): string {
  return `level ${level} (${SYSLOG_LEVELS[level] ?? '?'})${level === 4 ? ', the default' : ''}`;
}

/** REJECT's answers, in our words. */
export const REJECT_TEXT: Readonly<Record<string, string>> = {
  'icmp-net-unreachable': 'ICMP "network unreachable"',
  'icmp-host-unreachable': 'ICMP "host unreachable"',
  'icmp-port-unreachable': 'ICMP "port unreachable", what a closed UDP port answers (the default)',
  'icmp-proto-unreachable': 'ICMP "protocol unreachable"',
  'icmp-net-prohibited': 'ICMP "network administratively prohibited"',
  'icmp-host-prohibited': 'ICMP "host administratively prohibited"',
  'icmp-admin-prohibited': 'ICMP "communication administratively prohibited"',
  'tcp-reset': 'a TCP RST, what a closed TCP port answers (needs -p tcp)',
  'icmp6-no-route': 'ICMPv6 "no route to destination"',
  'icmp6-adm-prohibited': 'ICMPv6 "administratively prohibited"',
  'icmp6-addr-unreachable': 'ICMPv6 "address unreachable"',
  'icmp6-port-unreachable': 'ICMPv6 "port unreachable", what a closed UDP port answers (the default)',
  'icmp6-policy-fail': 'ICMPv6 "source address failed ingress/egress policy"',
  'icmp6-reject-route': 'ICMPv6 "reject route to destination"',
};

// ---------------------------------------------------------------------------- a value in a rule

type Shape = Record<string, unknown>;
const isObject = (v: unknown): v is Shape => typeof v === 'object' && v !== null;
const isPortRange = (v: unknown): v is PortRangeValue => isObject(v) && typeof v.min === 'number' && typeof v.max === 'number';
const isAddressRange = (v: unknown): v is AddressRangeValue => isObject(v) && typeof v.min === 'bigint' && typeof v.max === 'bigint' && typeof v.family === 'string';
const isHost = (v: unknown): v is HostValue => isObject(v) && Array.isArray(v.addresses);
const isInterface = (v: unknown): v is InterfaceValue => isObject(v) && typeof v.name === 'string' && typeof v.wildcard === 'boolean';
const isProtocol = (v: unknown): v is ProtocolValue => isObject(v) && typeof v.number === 'number' && typeof v.name === 'string';
const isIcmp = (v: unknown): v is IcmpTypeValue => isObject(v) && typeof v.type === 'number' && isPortRange(v.code);
const isRate = (v: unknown): v is RateValue => isObject(v) && typeof v.period === 'number';
/** DNAT/SNAT `--to-*`: an optional address range and optional ports. */
const isNatRange = (v: unknown): v is { addresses?: AddressRangeValue; ports?: PortRangeValue } =>
  isObject(v) && ('addresses' in v || 'ports' in v) && !Array.isArray(v.addresses);

/**
 * What argument `argIndex` of an option means, one markdown line per fact. Empty when the
 * value is of a kind we have nothing to add to. `protocol` is the rule's -p, for service names.
 */
export function describeValue(item: OptionItem, argIndex: number, family: Family, protocol?: string): string[] {
  const word = item.args[argIndex];
  if (!word) return [];
  if (word.dynamic) return ['a shell expansion: the value is only known when the script runs'];
  const result = item.results[argIndex];
  if (!result) return [];
  if (!result.ok) return [`not a valid ${item.spec.args[argIndex]?.name ?? 'value'}: ${result.message}`];
  const lines = describeParsed(result.value, item.spec.names[0], item.spec.args[argIndex]?.name ?? '', family, protocol);
  if (!sameValueText(result.canonical, word.text)) lines.push(`iptables-save writes it as \`${result.canonical}\``);
  return lines;
}

/** iptables-save quotes values with spaces; that is not a different value. */
function sameValueText(canonical: string, written: string): boolean {
  return canonical.length === 0 || canonical === written || canonical === JSON.stringify(written);
}

function describeParsed(v: unknown, option: string, grammar: string, family: Family, protocol?: string): string[] {
  if (option === '--reject-with' && typeof v === 'string') return [`\`${v}\`: answers with ${REJECT_TEXT[v] ?? v}`];
  if (option === '--log-level' && typeof v === 'number') return [describeLogLevel(v)];
  if (option === '--ctstatus' && Array.isArray(v)) return describeStates(v as string[], CT_STATUS_TEXT);
  if ((option === '--ctstate' || option === '--state') && Array.isArray(v)) return describeStates(v as string[]);
  if (isHost(v)) return describeHost(v);
  if (isAddressRange(v)) return [describeAddressRange(v)];
  if (isInterface(v)) return [describeInterface(v)];
  if (isProtocol(v)) return [describeProtocol(v)];
  if (isIcmp(v)) return [describeIcmpType(v, family)];
  if (isRate(v)) return [describeRate(v)];
  if (/port/.test(grammar) && isPortRange(v)) return [describePortRange(v, protocol)];
  if (/port/.test(grammar) && Array.isArray(v) && v.every(isPortRange)) return v.map((r) => describePortRange(r, protocol));
  if (isNatRange(v)) return [...(v.addresses ? [`address ${describeAddressRange(v.addresses)}`] : []), ...(v.ports ? [describePortRange(v.ports, protocol)] : [])];
  return [];
}

import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { SERVICES } from '../data/netdb';
import { enumOf, fail, ok, protocol, ProtocolValue } from '../values';
import { hostMask } from '../grammars/host-mask';
import { findOption as find } from '../parsed';

/** Protocol by name (any case) or number, printed as the number. Value: ProtocolValue. */
const vproto: ValueGrammar = {
  name: 'protocol',
  choices: protocol.choices,
  parse(text, ctx) {
    const r = protocol.parse(text, ctx);
    return r.ok ? ok(r.value, String((r.value as ProtocolValue).number)) : r;
  },
};

/**
 * A port as a decimal number or a service name, printed as the number. iptables resolves it
 * with getaddrinfo, which reads only decimal and keeps the low 16 bits of larger numbers.
 * Value: number.
 */
const vport: ValueGrammar = {
  name: 'port',
  parse(text) {
    if (/^\d+$/.test(text)) {
      const n = Number(BigInt(text) % 65536n);
      if (BigInt(text) > 65535n) return ok(n, String(n), { message: `Port ${text} is out of range: iptables keeps only its low 16 bits and matches port ${n}`, kind: 'suspicious-value' });
      return ok(n, String(n));
    }
    const port = SERVICES[`${text}/tcp`] ?? SERVICES[`${text}/udp`];
    return port === undefined ? fail(`'${text}' is not a decimal port number or a known service name`) : ok(port, String(port));
  },
};

export const ipvs: MatchModule = {
  kind: 'match',
  name: 'ipvs',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Properties of the IPVS (load balancer) connection the packet belongs to',
  doc: `Matches packets by their IPVS (Linux Virtual Server) connection: whether the kernel load balancer handles them, for which virtual address, port and protocol, in which direction and with which forwarding method. Use it on an IPVS director, e.g. one run by keepalived, to treat balanced traffic apart.

\`\`\`iptables
*nat
-A POSTROUTING -m ipvs --vaddr 203.0.113.10/32 --vport 80 -j SNAT --to-source 10.0.0.1
\`\`\`

- A packet only counts as IPVS traffic once IPVS has handled it, so rules for balanced requests belong in OUTPUT or POSTROUTING, not in PREROUTING.
- SNAT of balanced traffic needs conntrack entries for it: set \`net.ipv4.vs.conntrack=1\`.
- After NAT the packet carries the real server's address; \`--vaddr\` still names the virtual address the client used.`,
  options: [
    // Every other option implies --ipvs.
    { names: ['--ipvs'], args: [], negatable: true, doc: 'Matches packets that belong to an IPVS connection. Every other ipvs option implies it.' },
    { names: ['--vproto'], args: [vproto], negatable: true, doc: 'Protocol of the virtual service: `tcp`, `udp`, `sctp` or a number.' },
    // Value: HostMaskValue (the address is kept unmasked).
    { names: ['--vaddr'], args: [hostMask], negatable: true, doc: 'Virtual address of the service (address[/mask]): the address clients connect to.' },
    { names: ['--vport'], args: [vport], negatable: true, doc: 'Port of the virtual service, as a number or a service name.' },
    // Value: 'ORIGINAL' | 'REPLY'.
    { names: ['--vdir'], args: [enumOf('direction', ['ORIGINAL', 'REPLY'], { caseInsensitive: true })], doc: '`ORIGINAL` for packets from the client towards the service, `REPLY` for the answers.' },
    // Value: 'GATE' | 'IPIP' | 'MASQ'.
    { names: ['--vmethod'], args: [enumOf('forwarding method', ['GATE', 'IPIP', 'MASQ'], { caseInsensitive: true })], negatable: true, doc: 'How IPVS forwards to the real server: `MASQ` (NAT), `GATE` (direct routing) or `IPIP` (tunnel).' },
    { names: ['--vportctl'], args: [vport], negatable: true, doc: 'Port of the controlling connection of the virtual service, for protocols with separate data connections, such as 21 for FTP.' },
  ],
  check(ext) {
    if (ext.options.length === 0) return [{ kind: 'missing-required-option', message: '-m ipvs needs an option, such as --ipvs or --vaddr ADDRESS' }];
    const flag = find(ext, '--ipvs');
    if (flag?.negated && ext.options.length > 1)
      return [{ kind: 'conflicting-options', message: "'! --ipvs' (not an IPVS packet) cannot be combined with the other ipvs options, which all imply an IPVS packet", option: flag }];
    return [];
  },
  print(ext) {
    const out: string[] = [];
    for (const spec of ipvs.options) {
      const o = find(ext, spec.names[0]);
      // A plain --ipvs is implied by the other options and then not printed.
      if (!o || (spec.names[0] === '--ipvs' && ext.options.length > 1)) continue;
      out.push(...(o.negated ? ['!'] : []), spec.names[0], ...o.canonical);
    }
    return out;
  },
};

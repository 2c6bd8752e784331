import { BOTH_FAMILIES, ExtensionProblem, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { SERVICES } from '../data/netdb';
import { formatAddress, parseHost } from '../grammars/xt-host';
import { formatXMark, xmark } from '../grammars/mark-xmark';

/**
 * --on-port: iptables asks getaddrinfo, which reads decimal digits only (`080` is 80,
 * `0x50` is refused) and keeps the low 16 bits, so 65536 quietly becomes 0 ("keep the
 * original port"); otherwise a service name. Value: number.
 */
export const tproxyPort: ValueGrammar = {
  name: 'port',
  parse(text) {
    if (/^[0-9]+$/.test(text)) {
      const port = Number(BigInt(text) % 65536n);
      if (BigInt(text) > 65535n)
        return ok(port, String(port), { message: `Port ${text} is out of range: iptables keeps only its low 16 bits, which gives ${port}${port === 0 ? ' (keep the original port)' : ''}` });
      return ok(port, String(port));
    }
    for (const proto of ['tcp', 'udp', 'sctp', 'dccp']) {
      const port = SERVICES[`${text}/${proto}`];
      if (port !== undefined) return ok(port, String(port));
    }
    return fail(`'${text}' is not a port: use a decimal number (0 keeps the original port) or a service name`);
  },
};

export interface HostValue {
  readonly address?: bigint;
  readonly hostname?: string;
}

/** One address (IPv4 read as inet_aton does) or a host name resolved at load time. Value: HostValue. */
export const hostAddress: ValueGrammar = {
  name: 'address',
  parse(text, ctx) {
    const r = parseHost(text, ctx.family);
    if (!r.ok) return fail(r.message, r.kind ? { kind: r.kind } : {});
    if (r.address === undefined) return ok({ hostname: r.hostname } satisfies HostValue, text, r.warning);
    return ok({ address: r.address } satisfies HostValue, formatAddress(ctx.family, r.address), r.warning);
  },
};

export const TPROXY: TargetSpec = {
  kind: 'target',
  name: 'TPROXY',
  families: BOTH_FAMILIES,
  terminating: true,
  // Checked with both backends: mangle PREROUTING only (and user chains reached only from it).
  tables: ['mangle'],
  hooks: ['PREROUTING'],
  // The kernel refuses anything but a plain -p tcp or -p udp.
  protocols: ['tcp', 'udp'],
  summary: 'Deliver the packet to a local (transparent proxy) socket without rewriting it',
  doc: `TPROXY hands the packet to a local proxy socket without touching its addresses or ports, so the proxy sees where the client really wanted to go. The chain ends for the packet: it goes to the socket, or is dropped when no matching socket exists.

It works only in the mangle table, in PREROUTING, in a rule with \`-p tcp\` or \`-p udp\`.

\`\`\`iptables
*mangle
-A PREROUTING -p tcp --dport 80 -j TPROXY --on-port 3129 --tproxy-mark 0x1/0x1
COMMIT
\`\`\`

- The mark alone does nothing: policy routing must deliver marked packets locally, e.g. \`ip rule add fwmark 0x1/0x1 lookup 100\` and \`ip route add local 0.0.0.0/0 dev lo table 100\`. Without it the packets are routed onwards instead.
- The proxy must open its socket with \`IP_TRANSPARENT\` (Squid's \`tproxy\` mode, for example).
- TPROXY is for traffic passing through the host; for connections the host starts itself, use REDIRECT in nat OUTPUT.`,
  options: [
    { names: ['--on-port'], args: [tproxyPort], doc: `The port the proxy listens on; 0 keeps the original destination port.` },
    { names: ['--on-ip'], args: [hostAddress], doc: `The local address the proxy listens on. Without it, the address of the interface the packet arrived on is used.` },
    { names: ['--tproxy-mark'], args: [xmark], doc: `\`value[/mask]\` written into the packet mark when the packet goes to the proxy; your \`ip rule ... fwmark\` must match it so the packet is delivered locally.` },
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    if (!ext.options.some((o) => o.spec.names[0] === '--on-port'))
      problems.push({ kind: 'missing-required-option', message: 'TPROXY needs --on-port PORT (the local port the proxy listens on; 0 keeps the original port)' });
    return problems;
  },
  // iptables-save prints all three options, with the unspecified address and an empty mark.
  print(ext, rule) {
    const get = (name: string) => ext.options.find((o) => o.spec.names[0] === name)?.canonical[0];
    return [
      '--on-port', get('--on-port') ?? '0',
      '--on-ip', get('--on-ip') ?? (rule.family === 'ipv4' ? '0.0.0.0' : '::'),
      '--tproxy-mark', get('--tproxy-mark') ?? formatXMark({ value: 0, mask: 0 }),
    ];
  },
};

import { BOTH_FAMILIES, ExtensionProblem, Family, ParsedOption, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseUInt } from '../numbers';
import { closest } from '../suggest';

const CT_EVENTS = ['new', 'related', 'destroy', 'reply', 'assured', 'protoinfo', 'helper', 'mark', 'natseqinfo', 'secmark'];
const EXP_EVENTS = ['new'];

/** Comma-separated event names (exact, lower case), printed in table order without repeats. Value: string[]. */
function eventList(names: readonly string[]): ValueGrammar {
  return {
    name: 'event[,event...]',
    choices: names,
    parse(text) {
      const chosen = new Set<string>();
      let offset = 0;
      for (const part of text.split(',')) {
        if (!names.includes(part)) {
          const suggestion = part.toLowerCase() !== part && names.includes(part.toLowerCase()) ? part.toLowerCase() : closest(part, names);
          const what = part === '' ? 'Empty event name' : `Unknown event '${part}'`;
          return fail(`${what}: use ${names.join(', ')}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`, { at: [offset, offset + part.length], suggestion });
        }
        chosen.add(part);
        offset += part.length + 1;
      }
      const ordered = names.filter((n) => chosen.has(n));
      return ok(ordered, ordered.join(','));
    },
  };
}

export type ZoneValue = number | 'mark';

/** A zone number (0-65535) or `mark` (zone taken from the packet mark). Value: ZoneValue. */
const zone: ValueGrammar = {
  name: 'zone id or mark',
  parse(text) {
    if (text.toLowerCase() === 'mark') return ok('mark', 'mark');
    const n = parseUInt(text, 0, 65535);
    return n === undefined ? fail(`'${text}' is not a zone: use a number from 0 to 65535, or mark`) : ok(n, String(n));
  },
};

/** A name iptables copies into a fixed buffer, cutting what does not fit. Value: string. */
function boundedName(what: string, max: number): ValueGrammar {
  return {
    name: what,
    parse(text) {
      if (text.length <= max) return ok(text, text);
      const cut = text.slice(0, max);
      return ok(cut, cut, { message: `The ${what} is longer than ${max} characters: iptables keeps '${cut}'`, at: [max, text.length] });
    },
  };
}

/** The conntrack helpers of the kernel: the protocols and families they are registered for. */
const KERNEL_HELPERS: Readonly<Record<string, { protocols: readonly string[]; families: readonly Family[] }>> = {
  ftp: { protocols: ['tcp'], families: BOTH_FAMILIES },
  irc: { protocols: ['tcp'], families: ['ipv4'] },
  sip: { protocols: ['udp', 'tcp'], families: BOTH_FAMILIES },
  tftp: { protocols: ['udp'], families: BOTH_FAMILIES },
  amanda: { protocols: ['udp'], families: BOTH_FAMILIES },
  pptp: { protocols: ['tcp'], families: ['ipv4'] },
  sane: { protocols: ['tcp'], families: BOTH_FAMILIES },
  RAS: { protocols: ['udp'], families: BOTH_FAMILIES },
  'Q.931': { protocols: ['tcp'], families: BOTH_FAMILIES },
  snmp: { protocols: ['udp'], families: ['ipv4'] },
  snmp_trap: { protocols: ['udp'], families: ['ipv4'] },
  'netbios-ns': { protocols: ['udp'], families: ['ipv4'] },
};

const ORIG = 1;
const REPLY = 2;

/** The zone iptables-save prints: directions accumulate, the last number wins, `mark` sticks. */
function printZone(zones: readonly ParsedOption[]): string[] {
  let dirs = 0;
  let id = 0;
  let mark = false;
  for (const o of zones) {
    const name = o.spec.names[0];
    if (name === '--zone-orig') dirs |= ORIG;
    if (name === '--zone-reply') dirs |= REPLY;
    const v = o.values[0] as ZoneValue;
    id = v === 'mark' ? 0 : v;
    if (v === 'mark') mark = true;
  }
  if (!mark && id === 0) return [];
  const suffix = dirs === ORIG ? '-orig' : dirs === REPLY ? '-reply' : '';
  return [`--zone${suffix}`, mark ? 'mark' : String(id)];
}

export const CT: TargetSpec = {
  kind: 'target',
  name: 'CT',
  families: BOTH_FAMILIES,
  terminating: false,
  // Checked with both backends: raw PREROUTING and OUTPUT only.
  tables: ['raw'],
  summary: 'Set conntrack parameters for new connections: no tracking, helper, zone, events, timeouts',
  doc: `CT decides how conntrack handles the connection this packet starts: skip tracking, attach a protocol helper (FTP, SIP ...), use a timeout policy, limit the events reported, or put it in a separate zone. The packet goes on to the next rule.

It works only in the raw table (PREROUTING and OUTPUT), which runs before conntrack sees the packet.

\`\`\`iptables
*raw
-A PREROUTING -p tcp --dport 21 -j CT --helper ftp
-A OUTPUT -p tcp --dport 21 -j CT --helper ftp
COMMIT
\`\`\`

- The settings apply when a connection is created; connections already tracked keep theirs.
- Since Linux 4.7 helpers are no longer attached by port number automatically: \`--helper\` is how FTP data or SIP media connections become RELATED.
- \`--notrack\` packets are UNTRACKED: rules that accept ESTABLISHED replies do not cover them, and NAT skips them.`,
  // getopt table order; iptables-save prints notrack, helper, timeout, events, then the zone.
  options: [
    { names: ['--notrack'], args: [], doc: `Conntrack ignores the packet: its state is UNTRACKED and NAT does not apply. Same as \`-j NOTRACK\`.` },
    { names: ['--helper'], args: [boundedName('helper name', 15)], doc: `The conntrack helper for the connection, such as \`ftp\`, \`sip\`, \`tftp\`, \`irc\` or \`pptp\`. The rule must match the helper's protocol, e.g. \`-p tcp\` for ftp.` },
    { names: ['--timeout'], args: [boundedName('timeout policy name', 31)], doc: `Name of a timeout policy created beforehand with \`nfct timeout add\`; the connection uses its timeouts instead of the global sysctl values.` },
    { names: ['--ctevents'], args: [eventList(CT_EVENTS)], doc: `Comma-separated conntrack events to report for this connection (\`new\`, \`destroy\`, \`assured\` ...); the others are not sent to listeners such as \`conntrack -E\`, which saves work on busy hosts.` },
    { names: ['--expevents'], args: [eventList(EXP_EVENTS)], doc: `Expectation events to report for this connection; \`new\` is the only one.` },
    { names: ['--zone-orig'], args: [zone], doc: `Conntrack zone for packets in the original direction only: a number from 0 to 65535, or \`mark\` to take it from the packet mark.` },
    { names: ['--zone-reply'], args: [zone], doc: `Conntrack zone for packets in the reply direction only: a number from 0 to 65535, or \`mark\` to take it from the packet mark.` },
    { names: ['--zone'], args: [zone], doc: `Conntrack zone for both directions: a number from 0 to 65535 (default 0), or \`mark\` to take it from the packet mark. Separate zones keep connections apart when the same addresses appear behind different interfaces.` },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    // With --notrack the kernel skips the helper and timeout set-up entirely.
    if (ext.options.some((o) => o.spec.names[0] === '--notrack')) return problems;
    for (const o of ext.options) {
      const name = o.spec.names[0];
      if (name !== '--helper' && name !== '--timeout') continue;
      const what = name === '--helper' ? 'a conntrack helper' : 'a timeout policy';
      if (!rule.protocol || rule.protocolNegated || rule.protocol === 'all') {
        problems.push({ kind: 'protocol-required', message: `CT ${name} needs the rule to match one protocol (e.g. -p tcp, without '!'): the kernel looks up ${what} per protocol`, option: o });
        continue;
      }
      const helper = o.values[0] as string;
      const known = name === '--helper' && Object.prototype.hasOwnProperty.call(KERNEL_HELPERS, helper) ? KERNEL_HELPERS[helper] : undefined;
      if (known) {
        if (!known.families.includes(rule.family))
          problems.push({ kind: 'invalid-value', message: `The ${helper} conntrack helper exists only for IPv4 (iptables)`, option: o });
        else if (!known.protocols.includes(rule.protocol))
          problems.push({ kind: 'protocol-required', message: `The ${helper} conntrack helper works with -p ${known.protocols.join(' or -p ')}, not -p ${rule.protocol}`, option: o });
      }
    }
    return problems;
  },
  print(ext) {
    const out: string[] = [];
    for (const spec of CT.options.slice(0, 5)) {
      const o = ext.options.find((x) => x.spec === spec);
      if (o) out.push(spec.names[0], ...o.canonical);
    }
    const zones = ext.options.filter((o) => o.spec.names[0].startsWith('--zone')).sort((a, b) => a.index - b.index);
    return [...out, ...printZone(zones)];
  },
};

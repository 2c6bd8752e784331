// Markdown descriptions of what the catalogue knows: tables, built-in chains, iptables' own
// options, match modules, targets and their options. Shared by hover and by completion's
// documentation, so both say the same thing. Texts are our own; facts come from the
// catalogue (and iptables-extensions(8)).

import { BuiltinId, BuiltinOption } from '../catalogue/builtin';
import { BUILTIN_CHAINS, ExtensionBase, Family, Hook, MatchModule, OptionSpec, TableName, TargetSpec } from '../catalogue/types';
import { MODULE_MODELS } from '../semantics/modules';

// ---------------------------------------------------------------------------- tables and chains

export const TABLE_PURPOSE: Readonly<Record<TableName, string>> = {
  filter: 'The default table: it decides which packets may pass. ACCEPT, DROP and REJECT rules belong here.',
  nat: 'Address and port translation (port forwarding, masquerading). Only the first packet of each connection goes through it; the later packets get the same translation without being looked at again.',
  mangle: 'Changes fields of the packet or its metadata (TOS/DSCP, TTL, marks) for routing decisions and traffic shaping.',
  raw: 'Seen before connection tracking; used mainly to exempt traffic from tracking (-j CT --notrack) or to attach helpers.',
  security: 'Mandatory access control (SELinux SECMARK/CONNSECMARK labels); traversed after the filter table.',
};

export const HOOK_TEXT: Readonly<Record<Hook, string>> = {
  PREROUTING: 'every packet that arrives, before the kernel decides whether it is for this host or to be forwarded',
  INPUT: 'packets addressed to this host, after the routing decision',
  FORWARD: 'packets routed through this host, from one interface to another',
  OUTPUT: 'packets sent by processes on this host',
  POSTROUTING: 'every packet about to leave, after routing, just before it goes out',
};

/** One line per table, for completion details. */
export const TABLE_SUMMARY: Readonly<Record<TableName, string>> = {
  filter: 'Which packets may pass (the default table)',
  nat: 'Address and port translation, first packet of each connection',
  mangle: 'Change packet fields and marks',
  raw: 'Before connection tracking: exempt traffic from it',
  security: 'SELinux security labels',
};

export function tableMarkdown(table: TableName): string {
  const chains = BUILTIN_CHAINS[table].map((c) => `- \`${c}\`: ${HOOK_TEXT[c]}`).join('\n');
  return `**\`*${table}\`** table\n\n${TABLE_PURPOSE[table]}\n\nBuilt-in chains:\n${chains}`;
}

export function hookMarkdown(table: TableName | undefined, hook: Hook): string {
  const natNote = table === 'nat' && hook !== 'INPUT' ? ' (in nat, only the first packet of each connection)' : table === 'nat' ? ' (in nat, only the first packet of each connection addressed to this host)' : '';
  return `Sees ${HOOK_TEXT[hook]}${natNote}.`;
}

export const POLICY_TEXT: Readonly<Record<string, string>> = {
  ACCEPT: 'packets that reach the end of the chain without a verdict are let through',
  DROP: 'packets that reach the end of the chain without a verdict are dropped silently',
  '-': 'a user-defined chain has no policy: a packet that reaches its end goes back to the rule after the jump that brought it here',
};

// ---------------------------------------------------------------------------- iptables' own options

const BUILTIN_TEXT: Partial<Record<BuiltinId, string>> = {
  append: 'Appends the rule at the end of the chain.',
  insert: 'Inserts the rule at a position in the chain (1, the top, when no number is given); the rules from there on move down.',
  delete: 'Deletes a rule from the chain, by number or by repeating its text.',
  replace: 'Replaces the rule at a position in the chain.',
  check: 'Checks whether the chain holds this rule (changes nothing).',
  list: 'Lists the rules (no effect in a rules file).',
  'list-rules': 'Prints the rules as commands (no effect in a rules file).',
  flush: 'Deletes every rule of the chain (of every chain of the table when none is named).',
  zero: 'Sets the packet and byte counters to zero.',
  'new-chain': 'Creates a user-defined chain.',
  'delete-chain': 'Deletes an empty user-defined chain that nothing jumps to (every such chain when none is named).',
  'rename-chain': 'Renames a user-defined chain; jumps to it follow the new name.',
  policy: 'Sets the policy of a built-in chain: what happens to packets that reach its end (ACCEPT or DROP).',
  source: 'Matches the source address of the packet: an address, a block `address/prefix` or `address/mask`. A comma-separated list becomes one rule per entry when loaded.',
  destination: 'Matches the destination address of the packet: an address, a block `address/prefix` or `address/mask`. A comma-separated list becomes one rule per entry when loaded.',
  protocol: 'Matches the IP protocol (tcp, udp, icmp, a number, or all). It also makes the protocol\'s match module available, so its options (`--dport` after `-p tcp`) can follow.',
  'in-interface': 'Matches the interface the packet arrived on; `eth+` matches every name starting with eth. Not available in OUTPUT and POSTROUTING, where packets have no input interface.',
  'out-interface': 'Matches the interface the packet will leave through; `eth+` matches every name starting with eth. Not available in PREROUTING and INPUT, where the route is not chosen yet.',
  fragment: 'Matches second and later fragments of fragmented IPv4 packets, which carry no ports or ICMP type.',
  jump: 'The rule\'s target: what happens to a packet that matches. A verdict (ACCEPT, DROP, RETURN), a target extension (REJECT, LOG, DNAT ...) or a user-defined chain to run next.',
  goto: 'Continues in a user-defined chain; when that chain ends, the packet does not come back here but returns to the chain that called this one.',
  match: 'Loads a match module, whose options can then follow.',
  'set-counters': 'Sets the rule\'s packet and byte counters when it is loaded.',
  table: 'Names the table (only on the command line; in a rules file the `*table` line does it).',
  numeric: 'Listing flag: no effect on rules.',
  verbose: 'Listing flag: no effect on rules.',
  exact: 'Listing flag: no effect on rules.',
  'line-numbers': 'Listing flag: no effect on rules.',
  wait: 'Waits for the xtables lock (command line only).',
  'wait-interval': 'How often to retry the xtables lock (command line only).',
  modprobe: 'Which modprobe to run to load kernel modules (command line only).',
  ipv4: 'Only for IPv4 (in a file read by both iptables and ip6tables, ip6tables skips the line).',
  ipv6: 'Only for IPv6 (in a file read by both iptables and ip6tables, iptables skips the line).',
  version: 'Prints the version (command line only).',
  help: 'Prints help (command line only).',
};

/** The catalogue's doc when it has one, else our short text. */
export function builtinText(spec: BuiltinOption): string {
  return spec.doc ?? BUILTIN_TEXT[spec.id] ?? '';
}

/** `-s, --source` */
export function builtinNames(spec: BuiltinOption): string {
  return [`-${spec.short}`, ...spec.names].join(', ');
}

export function builtinMarkdown(spec: BuiltinOption): string {
  const value = spec.args.length ? ` *${spec.args.map((a) => a.name).join(' ')}*` : '';
  const neg = spec.negatable ? '\n\nCan be negated: `! ' + `-${spec.short}` + ' ...`.' : '';
  return `**\`${builtinNames(spec)}\`**${value}\n\n${builtinText(spec)}${neg}`;
}

// ---------------------------------------------------------------------------- extension options

/** Meanings of the most used extension options, keyed "module:--option" (targets in capitals). */
const OPTION_TEXT: Readonly<Record<string, string>> = {
  'tcp:--sport': 'The TCP source port, or a range `first:last`.',
  'tcp:--dport': 'The TCP destination port (the service being reached), or a range `first:last`.',
  'tcp:--tcp-flags': 'Looks at the flags in the first list and requires exactly those of the second list to be set among them.',
  'tcp:--syn': 'Only packets that open a TCP connection: SYN set, ACK, RST and FIN clear.',
  'tcp:--tcp-option': 'Packets that carry this TCP option number.',
  'udp:--sport': 'The UDP source port, or a range `first:last`.',
  'udp:--dport': 'The UDP destination port, or a range `first:last`.',
  'multiport:--dports': 'Any of up to 15 destination ports (a range `a:b` counts as two).',
  'multiport:--sports': 'Any of up to 15 source ports (a range `a:b` counts as two).',
  'multiport:--ports': 'Packets whose source or destination port is in the list.',
  'conntrack:--ctstate': 'The connection tracking state of the packet: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED, or the virtual SNAT/DNAT states.',
  'conntrack:--ctstatus': 'Status bits of the connection.',
  'conntrack:--ctproto': 'The protocol of the connection.',
  'conntrack:--ctorigsrc': 'The source address of the connection\'s first direction (before any NAT).',
  'conntrack:--ctorigdst': 'The destination address of the connection\'s first direction (before DNAT: what the client asked for).',
  'conntrack:--ctreplsrc': 'The source address of reply packets.',
  'conntrack:--ctrepldst': 'The destination address of reply packets (after SNAT: the translated source).',
  'conntrack:--ctdir': 'Which direction of the connection the packet goes: ORIGINAL (like the first packet) or REPLY.',
  'conntrack:--ctexpire': 'The remaining lifetime of the conntrack entry, in seconds.',
  'state:--state': 'The connection tracking state of the packet: NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED.',
  'icmp:--icmp-type': 'The ICMP message type (and code): a name such as echo-request, a number, or type/code.',
  'icmp6:--icmpv6-type': 'The ICMPv6 message type (and code): a name such as echo-request, a number, or type/code.',
  'limit:--limit': 'The average rate of packets that match; the others do not match this rule (they go on to the next rule, they are not dropped).',
  'limit:--limit-burst': 'How many packets may match at once before the rate applies (default 5).',
  'comment:--comment': 'A note kept with the rule in the kernel and shown by iptables-save; it matches every packet.',
  'mac:--mac-source': 'The Ethernet source address of the frame (only for packets that arrived on an Ethernet-like interface).',
  'iprange:--src-range': 'The source address lies within from-to (inclusive).',
  'iprange:--dst-range': 'The destination address lies within from-to (inclusive).',
  'recent:--name': 'The name of the address list (default DEFAULT).',
  'recent:--set': 'Adds the packet\'s address to the list (always matches).',
  'recent:--rcheck': 'Matches if the address is in the list.',
  'recent:--update': 'Matches if the address is in the list, and refreshes its last-seen time.',
  'recent:--remove': 'Removes the address from the list; matches if it was there.',
  'recent:--seconds': 'Only counts entries seen within this many seconds.',
  'recent:--hitcount': 'Only matches when the address was seen at least this many times.',
  'owner:--uid-owner': 'The user (name or uid, or a range) of the local process that sent the packet; only in OUTPUT and POSTROUTING.',
  'owner:--gid-owner': 'The group of the local process that sent the packet; only in OUTPUT and POSTROUTING.',
  'addrtype:--src-type': 'The routing type of the source address (LOCAL, UNICAST, BROADCAST, MULTICAST ...).',
  'addrtype:--dst-type': 'The routing type of the destination address (LOCAL means one of this host\'s addresses).',
  'set:--match-set': 'Membership in an ipset: the set name, then which addresses/ports to look up (src, dst, comma-separated).',
  'connlimit:--connlimit-above': 'Matches when the number of connections from the address (block) is above this number.',
  'connlimit:--connlimit-upto': 'Matches while the number of connections is at most this number.',
  'length:--length': 'The packet length (layer-3 payload), or a range.',
  'pkttype:--pkt-type': 'The link-layer type: unicast, broadcast or multicast.',
  'mark:--mark': 'The packet mark, `value[/mask]`.',
  'connmark:--mark': 'The connection mark, `value[/mask]`.',
  'LOG:--log-prefix': 'Text put at the start of each log line (up to 29 characters), to find the lines in the log.',
  'LOG:--log-level': 'Syslog level of the log lines (default warning).',
  'REJECT:--reject-with': 'The error sent back to the sender.',
  'DNAT:--to-destination': 'The new destination: `address[-address][:port[-port]]`.',
  'SNAT:--to-source': 'The new source: `address[-address][:port[-port]]`.',
  'MASQUERADE:--to-ports': 'The source ports to use (with -p tcp/udp).',
  'REDIRECT:--to-ports': 'The local port(s) to send the packet to.',
  'MARK:--set-mark': 'Sets the packet mark (`value[/mask]`).',
  'MARK:--set-xmark': 'Sets the mark bits in the mask to value (XOR form).',
  'CONNMARK:--set-mark': 'Sets the connection mark.',
  'TCPMSS:--clamp-mss-to-pmtu': 'Lowers the MSS of SYN packets to fit the path MTU (fixes stalls behind PPPoE and tunnels).',
  'TCPMSS:--set-mss': 'Sets the MSS of SYN packets to this value.',
};

/** The meaning of an option: the catalogue's doc, else our table, else nothing. */
export function optionText(ownerName: string, spec: OptionSpec): string {
  return spec.doc ?? OPTION_TEXT[`${ownerName}:${spec.names[0]}`] ?? '';
}

/** `[!] --dport port[:port]` */
export function optionSignature(spec: OptionSpec): string {
  const args = spec.args.map((a) => a.name).join(' ');
  const value = args ? (spec.optionalArg ? ` [${args}]` : ` ${args}`) : '';
  return `${spec.negatable ? '[!] ' : ''}${spec.names[0]}${value}`;
}

function optionLine(ownerName: string, spec: OptionSpec): string {
  const args = spec.args.map((a) => a.name).join(' ');
  const value = args ? (spec.optionalArg ? ` *[${args}]*` : ` *${args}*`) : '';
  const text = optionText(ownerName, spec);
  const removed = spec.removed ? ' (removed)' : '';
  return `- \`${spec.negatable ? '[!] ' : ''}${spec.names[0]}\`${value}${removed}${text ? `: ${text}` : ''}`;
}

/** The options with their value formats; with `compact`, one line of signatures (the doc says the rest). */
function optionsList(ext: ExtensionBase, family: Family, compact = false): string {
  const options = ext.options.filter((o) => (!o.family || o.family === family) && !o.removed);
  if (!options.length) return '';
  if (compact) return `**Options:** ${options.map((o) => `\`${optionSignature(o)}\``).join(' · ')}`;
  return `**Options**\n${options.map((o) => optionLine(ext.name, o)).join('\n')}`;
}

// ---------------------------------------------------------------------------- modules and targets

function familyText(ext: ExtensionBase): string {
  if (ext.families.length === 2) return 'IPv4 and IPv6';
  return ext.families[0] === 'ipv4' ? 'IPv4 only (iptables)' : 'IPv6 only (ip6tables)';
}

function placementText(ext: ExtensionBase): string[] {
  const lines: string[] = [];
  if (ext.tables) lines.push(`Only in the ${ext.tables.map((t) => `\`${t}\``).join(', ')} table${ext.tables.length > 1 ? 's' : ''}.`);
  if (ext.hooks) lines.push(`Only in chains reached from ${ext.hooks.map((h) => `\`${h}\``).join(', ')}.`);
  return lines;
}

function protocolText(protocols: readonly string[] | undefined, what: string): string[] {
  return protocols ? [`The rule must match ${protocols.map((p) => `\`-p ${p}\``).join(' or ')} for this ${what}.`] : [];
}

/** Whether iptables-lint's reachability checks know exactly which packets the module matches. */
export function moduleIsPredictable(module: MatchModule): boolean {
  return module.semantics !== 'unknown' && MODULE_MODELS[module.name] !== undefined;
}

function predictionText(module: MatchModule): string[] {
  if (module.semantics === 'unknown')
    return ['iptables-lint cannot predict which packets this matches: it depends on state outside the packet (history, time, sockets, sets ...). The reachability checks treat the rule as one that may or may not match.'];
  if (!moduleIsPredictable(module)) return ['iptables-lint does not model this match yet: the reachability checks treat the rule as one that may or may not match.'];
  return [];
}

/** The header and description of a match module, doc first, summary and options as a fallback. */
export function moduleMarkdown(module: MatchModule, family: Family): string {
  const parts = [`**\`-m ${module.name}\`** match module · ${familyText(module)}`];
  if (module.removed) parts.push(`**Removed:** ${module.removed}`);
  parts.push(module.doc ? module.doc.trim() : `${module.summary}.`, optionsList(module, family, !!module.doc));
  parts.push(...protocolText(module.protocols, 'match'), ...placementText(module), ...predictionText(module));
  return parts.filter((p) => p.length > 0).join('\n\n');
}

export const VERDICT_TEXT: Readonly<Record<string, string>> = {
  ACCEPT: 'Lets the packet through this table: no later rule of this table sees it (later tables and hooks still do).',
  DROP: 'Discards the packet without telling the sender, who waits until it times out.',
  RETURN: 'Leaves this chain: the packet goes back to the rule after the jump that brought it here; in a built-in chain, the chain\'s policy decides.',
  QUEUE: 'Hands the packet to a user-space program on queue 0 (NFQUEUE is the modern form).',
};

function terminationText(target: TargetSpec): string {
  if (target.name === 'RETURN') return 'Ends this chain (but not the packet\'s path through the table).';
  if (target.terminating === 'some') return 'Terminating for some packets only: the others go on to the next rule.';
  return target.terminating
    ? 'Terminating: a matching packet stops here; no later rule in this chain sees it.'
    : 'Not terminating: the packet goes on to the next rule.';
}

/** The header and description of a target, doc first, summary and options as a fallback. */
export function targetMarkdown(target: TargetSpec, family: Family, table?: TableName): string {
  const parts = [`**\`-j ${target.name}\`** ${target.standard ? 'verdict' : 'target'} · ${familyText(target)}`];
  if (target.removed) parts.push(`**Removed:** ${target.removed}`);
  if (target.doc) parts.push(target.doc.trim());
  else parts.push(VERDICT_TEXT[target.name] ?? `${target.summary}.`);
  if (!target.standard || target.name === 'RETURN') parts.push(terminationText(target));
  parts.push(optionsList(target, family, !!target.doc));
  parts.push(...protocolText(target.protocols, 'target'), ...placementText(target));
  if (table && target.tables && !target.tables.includes(table)) parts.push(`⚠ Not valid in the \`${table}\` table.`);
  return parts.filter((p) => p.length > 0).join('\n\n');
}

/** The header and description of one extension option. */
export function extensionOptionMarkdown(ext: MatchModule | TargetSpec, spec: OptionSpec): string {
  const what = ext.kind === 'match' ? `option of the \`${ext.name}\` match` : `option of the \`${ext.name}\` target`;
  const parts = [`**\`${optionSignature(spec)}\`** · ${what}`];
  const text = optionText(ext.name, spec);
  if (text) parts.push(text);
  const facts: string[] = [];
  if (spec.names.length > 1) facts.push(`Also written ${spec.names.slice(1).map((n) => `\`${n}\``).join(', ')}.`);
  if (spec.repeatable) facts.push('May be given more than once.');
  if (spec.family) facts.push(spec.family === 'ipv4' ? 'IPv4 only.' : 'IPv6 only.');
  if (spec.removed) facts.push(`**Removed:** ${spec.removed}`);
  if (facts.length) parts.push(facts.join(' '));
  return parts.join('\n\n');
}

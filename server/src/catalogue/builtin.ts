// The options iptables itself defines (not extensions): commands such as -A and -P, the
// generic matches -s/-d/-p/-i/-o/-f, and -j/-g/-m. Names and argument counts follow the
// option table of iptables 1.8 (xshared.c), so that abbreviations resolve the same way.

import { OptionSpec, ValueGrammar } from './types';
import { hostList, interfaceName, protocol } from './values';

export type BuiltinId =
  // commands
  | 'append'
  | 'delete'
  | 'check'
  | 'insert'
  | 'replace'
  | 'list'
  | 'list-rules'
  | 'flush'
  | 'zero'
  | 'new-chain'
  | 'delete-chain'
  | 'rename-chain'
  | 'policy'
  // rule parts
  | 'source'
  | 'destination'
  | 'protocol'
  | 'in-interface'
  | 'out-interface'
  | 'fragment'
  | 'jump'
  | 'goto'
  | 'match'
  | 'set-counters'
  // program flags
  | 'table'
  | 'numeric'
  | 'verbose'
  | 'wait'
  | 'wait-interval'
  | 'exact'
  | 'version'
  | 'help'
  | 'line-numbers'
  | 'modprobe'
  | 'ipv4'
  | 'ipv6';

export interface BuiltinOption extends OptionSpec {
  readonly id: BuiltinId;
  /** A command: the first of its arguments names a chain. */
  readonly command?: boolean;
  /**
   * How the command reads words after it that do not start with `-` or `!`
   * (iptables' own look-ahead, e.g. the optional rule number of -I).
   */
  readonly trailing?: 'rulenum' | 'chain' | 'chain-rulenum' | 'new-name' | 'policy';
  /** Argument is optional and taken only when present (`-F [chain]`). */
  readonly optionalArg?: boolean;
  /** Has no effect in a rule (listing and output flags). */
  readonly noEffect?: boolean;
}

/** A chain name argument; its validity is decided by the model, not the grammar. */
export const chainName: ValueGrammar = {
  name: 'chain',
  parse: (text) => ({ ok: true, value: text, canonical: text }),
};

const targetName: ValueGrammar = { name: 'target or chain', parse: (text) => ({ ok: true, value: text, canonical: text }) };
const moduleName: ValueGrammar = { name: 'match module', parse: (text) => ({ ok: true, value: text, canonical: text }) };
const anyText: ValueGrammar = { name: 'value', parse: (text) => ({ ok: true, value: text, canonical: text }) };

const cmd = (id: BuiltinId, short: string, trailing?: BuiltinOption['trailing'], optionalArg = false): BuiltinOption => ({
  id,
  names: ['--' + id],
  short,
  args: [chainName],
  command: true,
  trailing,
  optionalArg,
});

/** In the order of iptables' option table, which decides how abbreviations resolve. */
export const BUILTIN_OPTIONS: readonly BuiltinOption[] = [
  { ...cmd('append', 'A'), doc: 'Adds the rule at the end of the chain. Every rule line of an iptables-save dump is an `-A` line, and the kernel tries the rules of a chain in the order of these lines.' },
  { ...cmd('delete', 'D', 'rulenum'), doc: 'Removes one rule from the chain: give either its position (1 is the first rule) or the rule itself, written as it was added. iptables fails when no rule matches.' },
  { ...cmd('check', 'C'), doc: 'Asks whether the chain already holds this exact rule, without changing anything: exit status 0 means yes, so `-C ... || -A ...` adds a rule only once. In a restore file, a missing rule makes the whole load fail.' },
  { ...cmd('insert', 'I', 'rulenum'), doc: 'Adds the rule at a position in the chain: before the rule that holds that number now, or at the top when you give no number. Rules at the top are tried first, so this is how an exception goes before a broader rule.' },
  { ...cmd('replace', 'R', 'rulenum'), doc: 'Overwrites the rule at the given position (counting from 1) with this one. The position is required, and the rule must expand to a single rule: one source and one destination address.' },
  { ...cmd('list', 'L', 'rulenum', true), doc: 'Prints the rules of one chain, or of the whole table, as a table for people (`-n` skips slow name look-ups, `-v` adds counters and interfaces). For output you can load again, use `-S` or iptables-save.' },
  { ...cmd('list-rules', 'S', 'rulenum', true), doc: 'Prints the rules of one chain, or of the whole table, as `-P`, `-N` and `-A` lines like those of iptables-save; nothing changes. With a chain and a number, it prints that one rule.' },
  { ...cmd('flush', 'F', undefined, true), doc: 'Deletes every rule of the chain, or of every chain of the table when you name none. Chains and policies stay: with a DROP policy, a flushed INPUT chain drops everything, your SSH session included.' },
  { ...cmd('zero', 'Z', 'rulenum', true), doc: 'Resets packet and byte counters to zero: of every chain, of one chain, or of one rule when you give a chain and a position.' },
  { ...cmd('new-chain', 'N'), doc: 'Creates an empty user-defined chain, named with at most 28 characters and not after a target such as ACCEPT or LOG. A dump declares it with a `:NAME - [0:0]` line instead.' },
  { ...cmd('delete-chain', 'X', undefined, true), doc: 'Deletes a user-defined chain, which must be empty and unreferenced: flush it and remove the rules that jump to it first. Without a name, it deletes every user-defined chain of the table, and fails if one of them is still in use.' },
  { ...cmd('rename-chain', 'E', 'new-name'), doc: 'Renames a user-defined chain. The rules that jump to it follow the new name; nothing else changes.' },
  { ...cmd('policy', 'P', 'policy'), doc: 'Sets what happens to packets that reach the end of a built-in chain: ACCEPT or DROP; a user-defined chain has no policy and hands the packet back to its caller. A dump writes the policy on the `:CHAIN POLICY [packets:bytes]` line.' },
  { id: 'source', names: ['--source', '--src'], short: 's', args: [hostList], negatable: true, doc: 'The source address: one address, or a network as `address/prefix` or `address/netmask` (host bits are dropped: `10.1.2.3/8` becomes `10.0.0.0/8`). A comma-separated list becomes one rule per address, and host names are resolved once, when the rule is loaded.' },
  { id: 'destination', names: ['--destination', '--dst'], short: 'd', args: [hostList], negatable: true, doc: 'The destination address: one address, or a network as `address/prefix` or `address/netmask` (host bits are dropped). A comma-separated list becomes one rule per address, and host names are resolved once, when the rule is loaded.' },
  { id: 'protocol', names: ['--protocol'], short: 'p', args: [protocol], negatable: true, doc: 'The protocol carried by the IP packet: a name such as `tcp`, `udp`, `icmp` or `ipv6-icmp`, a number, or `all` (also 0); it is what makes options such as `--dport` known. In ip6tables it names the upper-layer protocol after the extension headers, so `-p icmp` there never matches ICMPv6.' },
  { id: 'in-interface', names: ['--in-interface'], short: 'i', args: [interfaceName], negatable: true, doc: 'The interface the packet arrived on; a name ending in `+` matches every interface that starts with it (`eth+`), and it need not exist yet. Locally generated packets have none, so iptables refuses `-i` in OUTPUT and POSTROUTING.' },
  { id: 'jump', names: ['--jump'], short: 'j', args: [targetName], doc: 'What to do with a matching packet: a verdict (ACCEPT, DROP, RETURN), a target extension (REJECT, LOG, DNAT ...) or a user-defined chain, after which the packet carries on below this rule. A rule without `-j` or `-g` only counts packets.' },
  { id: 'table', names: ['--table'], short: 't', args: [anyText], doc: 'The table the command works on: `filter` (the default), `nat`, `mangle`, `raw` or `security`. A restore file selects the table with its `*table` line instead, and refuses `-t` on rule lines.' },
  { id: 'match', names: ['--match'], short: 'm', args: [moduleName], doc: 'Loads a match module by name so that its options can follow, as in `-m conntrack --ctstate NEW`; the same module may appear more than once. Matches are tested left to right, and the first that fails ends the test.' },
  { id: 'numeric', names: ['--numeric'], short: 'n', args: [], noEffect: true, doc: 'For listings: prints addresses and ports as numbers instead of looking up names, which can be slow. It changes no rule, and a restore file refuses it on a rule line.' },
  { id: 'out-interface', names: ['--out-interface'], short: 'o', args: [interfaceName], negatable: true, doc: 'The interface the packet will leave through; a name ending in `+` matches every interface that starts with it (`ppp+`), and it need not exist yet. Packets for the host itself have none, so iptables refuses `-o` in PREROUTING and INPUT.' },
  { id: 'verbose', names: ['--verbose'], short: 'v', args: [], noEffect: true, doc: 'Prints more: with `-L`, the counters, interfaces and rule options; with `-A` and the other rule commands, the rule as it is added. It changes nothing in the rule.' },
  { id: 'wait', names: ['--wait'], short: 'w', args: [anyText], optionalArg: true, noEffect: true, doc: 'Waits for the xtables lock, forever or for the given number of seconds, instead of failing when another iptables is running. It changes nothing in the rule, and iptables-restore refuses it on a rule line (give it on the command line).' },
  { id: 'wait-interval', names: ['--wait-interval'], short: 'W', args: [anyText], optionalArg: true, noEffect: true, doc: 'Used to set how long `-w` sleeps between attempts to take the lock, in microseconds. Current iptables accepts it and ignores it, with a warning.' },
  { id: 'exact', names: ['--exact'], short: 'x', args: [], noEffect: true, doc: 'For listings: prints exact packet and byte counts instead of rounding them to K, M or G. It has no meaning in a rule, and a restore file refuses it.' },
  { id: 'fragment', names: ['--fragments'], short: 'f', args: [], negatable: true, doc: 'Matches the second and later fragments of a fragmented IPv4 packet, which carry no ports; `! -f` matches unfragmented packets and first fragments. Once connection tracking is loaded, the kernel reassembles fragments before the tables run, so `-f` never matches. ip6tables has no `-f`: use `-m frag`.' },
  { id: 'version', names: ['--version'], short: 'V', args: [], noEffect: true, doc: 'Prints the iptables version and its backend (nf_tables or legacy), then exits.' },
  { id: 'help', names: ['--help'], short: 'h', args: [anyText], optionalArg: true, noEffect: true, doc: 'Prints usage help and exits. After `-m NAME` or `-j NAME`, it adds the help of that module or target: `iptables -p icmp -h` lists the ICMP type names.' },
  { id: 'line-numbers', names: ['--line-numbers'], short: '0', args: [], noEffect: true, doc: 'For listings: shows each rule\'s position in front of it, the number that `-I`, `-R` and `-D` take. It has no meaning in a rule.' },
  { id: 'modprobe', names: ['--modprobe'], short: 'M', args: [anyText], noEffect: true, doc: 'The program iptables runs to load missing kernel modules, instead of the one named in /proc/sys/kernel/modprobe. Rarely needed.' },
  { id: 'set-counters', names: ['--set-counters'], short: 'c', args: [anyText, anyText], doc: 'Gives the new rule starting counters: `-c PACKETS BYTES`. iptables-restore applies them only when run with `--counters`; `iptables-save -c` writes the same numbers as a `[packets:bytes]` prefix.' },
  { id: 'goto', names: ['--goto'], short: 'g', args: [targetName], doc: 'Continues in a user-defined chain without coming back here. When that chain ends or RETURNs, the packet resumes in the chain that called the current one with `-j`; when the `-g` sits in a built-in chain, that chain\'s policy decides instead.' },
  { id: 'ipv4', names: ['--ipv4'], short: '4', args: [], doc: 'Marks the rule as IPv4 only: ip6tables-restore skips the line silently and iptables-restore loads it. This lets one file feed both.' },
  { id: 'ipv6', names: ['--ipv6'], short: '6', args: [], doc: 'Marks the rule as IPv6 only: iptables-restore skips the line silently and ip6tables-restore loads it. This lets one file feed both.' },
];

export const BUILTIN_BY_SHORT: ReadonlyMap<string, BuiltinOption> = new Map(BUILTIN_OPTIONS.map((o) => [o.short!, o]));
export const BUILTIN_BY_ID: ReadonlyMap<BuiltinId, BuiltinOption> = new Map(BUILTIN_OPTIONS.map((o) => [o.id, o]));

/** Verdicts that -j accepts without loading an extension. */
export const STANDARD_VERDICTS = ['ACCEPT', 'DROP', 'RETURN', 'QUEUE'] as const;

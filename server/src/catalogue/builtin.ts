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
  cmd('append', 'A'),
  cmd('delete', 'D', 'rulenum'),
  cmd('check', 'C'),
  cmd('insert', 'I', 'rulenum'),
  cmd('replace', 'R', 'rulenum'),
  cmd('list', 'L', 'rulenum', true),
  cmd('list-rules', 'S', 'rulenum', true),
  cmd('flush', 'F', undefined, true),
  cmd('zero', 'Z', 'rulenum', true),
  cmd('new-chain', 'N'),
  cmd('delete-chain', 'X', undefined, true),
  cmd('rename-chain', 'E', 'new-name'),
  cmd('policy', 'P', 'policy'),
  { id: 'source', names: ['--source', '--src'], short: 's', args: [hostList], negatable: true },
  { id: 'destination', names: ['--destination', '--dst'], short: 'd', args: [hostList], negatable: true },
  { id: 'protocol', names: ['--protocol'], short: 'p', args: [protocol], negatable: true },
  { id: 'in-interface', names: ['--in-interface'], short: 'i', args: [interfaceName], negatable: true },
  { id: 'jump', names: ['--jump'], short: 'j', args: [targetName] },
  { id: 'table', names: ['--table'], short: 't', args: [anyText] },
  { id: 'match', names: ['--match'], short: 'm', args: [moduleName] },
  { id: 'numeric', names: ['--numeric'], short: 'n', args: [], noEffect: true },
  { id: 'out-interface', names: ['--out-interface'], short: 'o', args: [interfaceName], negatable: true },
  { id: 'verbose', names: ['--verbose'], short: 'v', args: [], noEffect: true },
  { id: 'wait', names: ['--wait'], short: 'w', args: [anyText], optionalArg: true, noEffect: true },
  { id: 'wait-interval', names: ['--wait-interval'], short: 'W', args: [anyText], optionalArg: true, noEffect: true },
  { id: 'exact', names: ['--exact'], short: 'x', args: [], noEffect: true },
  { id: 'fragment', names: ['--fragments'], short: 'f', args: [], negatable: true },
  { id: 'version', names: ['--version'], short: 'V', args: [], noEffect: true },
  { id: 'help', names: ['--help'], short: 'h', args: [anyText], optionalArg: true, noEffect: true },
  { id: 'line-numbers', names: ['--line-numbers'], short: '0', args: [], noEffect: true },
  { id: 'modprobe', names: ['--modprobe'], short: 'M', args: [anyText], noEffect: true },
  { id: 'set-counters', names: ['--set-counters'], short: 'c', args: [anyText, anyText] },
  { id: 'goto', names: ['--goto'], short: 'g', args: [targetName] },
  { id: 'ipv4', names: ['--ipv4'], short: '4', args: [] },
  { id: 'ipv6', names: ['--ipv6'], short: '6', args: [] },
];

export const BUILTIN_BY_SHORT: ReadonlyMap<string, BuiltinOption> = new Map(BUILTIN_OPTIONS.map((o) => [o.short!, o]));
export const BUILTIN_BY_ID: ReadonlyMap<BuiltinId, BuiltinOption> = new Map(BUILTIN_OPTIONS.map((o) => [o.id, o]));

/** Verdicts that -j accepts without loading an extension. */
export const STANDARD_VERDICTS = ['ACCEPT', 'DROP', 'RETURN', 'QUEUE'] as const;

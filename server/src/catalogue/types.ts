// The catalogue describes, as data, everything iptables accepts on a rule: match modules
// (`-m NAME`), targets (`-j NAME`) and their options, with the grammar of every option's
// argument. The parser consults it to know how many words an option takes and whether a
// value is valid; the canonical printer uses it to write rules the way iptables-save does.
//
// It knows nothing about syntax trees, documents or LSP: values are plain strings in,
// plain results out.

export type Family = 'ipv4' | 'ipv6';
export const BOTH_FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

export type TableName = 'filter' | 'nat' | 'mangle' | 'raw' | 'security';
export const TABLES: readonly TableName[] = ['filter', 'nat', 'mangle', 'raw', 'security'];

/** Netfilter hooks, named after the built-in chains that sit on them. */
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
export const HOOKS: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** The built-in chains of each table (identical for iptables and ip6tables). */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly Hook[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** What a value grammar needs to know about the rule around it. */
export interface ValueContext {
  readonly family: Family;
  /** The rule's `-p` protocol as written (lower case), when there is one. */
  readonly protocol?: string;
}

export type ValueResult =
  | {
      readonly ok: true;
      /** The parsed value, in a form the module's own code understands. */
      readonly value: unknown;
      /** The value as iptables-save prints it. */
      readonly canonical: string;
      /** A problem that does not make iptables refuse the rule (e.g. a host name needing DNS). */
      readonly warning?: ValueProblem;
      /**
       * iptables-save would print something only the loading machine knows (a host name it
       * resolves): the canonical printer refuses to print the rule. Says why.
       */
      readonly unprintable?: string;
    }
  | ({ readonly ok: false } & ValueProblem);

export interface ValueProblem {
  readonly message: string;
  /** Character range [from, to) of the value the problem is about; the whole value when absent. */
  readonly at?: readonly [number, number];
  /** A corrected spelling for the part at `at` (did-you-mean). */
  readonly suggestion?: string;
  /** Extra classification for the diagnostic (defaults to `invalid-value`). */
  readonly kind?: string;
}

/** The grammar of one option argument. */
export interface ValueGrammar {
  /** Short name used in messages, completion and hover: "port", "port range", "address[/mask]". */
  readonly name: string;
  parse(text: string, ctx: ValueContext): ValueResult;
  /** Values to offer in completion, when the set is small and fixed. */
  readonly choices?: readonly string[];
}

export interface OptionSpec {
  /**
   * Long names, the first being the one iptables-save prints, e.g. ['--dport',
   * '--destination-port']. Abbreviations are handled by the parser as getopt_long does.
   */
  readonly names: readonly string[];
  /** One-letter forms without the dash, for the few options that have them (`p` for -p). */
  readonly short?: string;
  /** Grammar of each argument the option consumes (`--tcp-flags` takes two); empty for a flag. */
  readonly args: readonly ValueGrammar[];
  /**
   * The option's single argument may be left out (`--log-uid` style options have none;
   * `true` is getopt's optional_argument, which only takes an argument glued with `=`;
   * `'next-word'` also takes the next word unless it starts with `-` or `!`, as some
   * extensions do by looking ahead themselves).
   */
  readonly optionalArg?: boolean | 'next-word';
  /** `! --opt` is accepted. */
  readonly negatable?: boolean;
  /** May appear more than once in one module instance (iptables otherwise refuses). */
  readonly repeatable?: boolean;
  /** Documented but refused by current iptables (kept so the message can say why). */
  readonly removed?: string;
  /** Only for this family (the module exists in both but this option in one). */
  readonly family?: Family;
  /** Markdown shown on hover (a later feature fills these in). */
  readonly doc?: string;
}

/** One option as it appeared in a rule, after parsing its arguments. */
export interface ParsedOption {
  readonly spec: OptionSpec;
  /** The name as written, e.g. `--destination-port` or an abbreviation. */
  readonly written: string;
  readonly negated: boolean;
  /** Parsed argument values, one per grammar in spec.args; undefined where a value was dynamic or invalid. */
  readonly values: readonly unknown[];
  /** Canonical text of each argument (as iptables-save prints it); raw text when not parsed. */
  readonly canonical: readonly string[];
  /** Index of the option within the rule's items, for locating problems. */
  readonly index: number;
}

/** A module instance (one `-m NAME` or the target) with the options that belong to it. */
export interface ParsedExtension {
  readonly name: string;
  readonly options: readonly ParsedOption[];
}

/** The rule facts a module's checks may depend on. */
export interface RuleContext extends ValueContext {
  readonly protocolNegated: boolean;
  readonly table?: TableName;
  /** Chain the rule is appended to, when known. */
  readonly chain?: string;
  /** Names of the match modules loaded in this rule, in order. */
  readonly matches: readonly string[];
  /** The match modules with their options, in order (a target may depend on them). */
  readonly parsedMatches: readonly ParsedExtension[];
  /** Some word of the rule is a shell expansion: values are not all known. */
  readonly dynamic: boolean;
  /** Item indexes of `-p` and of `-j`/`-g`, to compare with ParsedOption.index (order matters to iptables). */
  readonly protocolIndex?: number;
  readonly targetIndex?: number;
}

/** A problem found by a module's own consistency check. */
export interface ExtensionProblem {
  readonly kind: string;
  readonly message: string;
  /** The option the problem is about (index into the rule's items), or the module itself. */
  readonly option?: ParsedOption;
}

export interface ExtensionBase {
  readonly name: string;
  /** Other names that load the same extension (e.g. `icmp6` for `icmpv6`). */
  readonly aliases?: readonly string[];
  readonly families: readonly Family[];
  readonly options: readonly OptionSpec[];
  /**
   * Checks that span several options (required options, options that exclude each other,
   * protocol requirements). Single values are checked by their grammars.
   */
  check?(ext: ParsedExtension, rule: RuleContext): ExtensionProblem[];
  /**
   * The words iptables-save prints for this extension's options, after the `-m NAME` or
   * `-j NAME`. The default prints each option in catalogue order with its canonical
   * arguments; override when iptables adds defaults or rewrites options.
   */
  print?(ext: ParsedExtension, rule: RuleContext): string[];
  /**
   * Where the kernel accepts it. Absent means everywhere. A user chain inherits the hooks
   * of the built-in chains that reach it.
   */
  readonly tables?: readonly TableName[];
  readonly hooks?: readonly Hook[];
  /**
   * Hooks that depend on the options used (e.g. TCPMSS --clamp-mss-to-pmtu): when given and
   * it returns a list, that list replaces `hooks` for this rule.
   */
  hooksFor?(ext: ParsedExtension, rule: RuleContext): readonly Hook[] | undefined;
  /** Markdown shown on hover (a later feature fills these in). */
  readonly doc?: string;
  /** One line saying what it does, for completion lists. */
  readonly summary: string;
  /** The extension was removed from iptables or Linux; says what to use instead. */
  readonly removed?: string;
}

export interface MatchModule extends ExtensionBase {
  readonly kind: 'match';
  /**
   * Protocols the kernel requires the rule to match (`-p tcp` for the tcp module),
   * written as names; numbers and aliases are resolved by the protocol table.
   */
  readonly protocols?: readonly string[];
  /**
   * How the semantic layer treats the module. `modelled` matches are decided exactly,
   * `unknown` ones may or may not match any packet (stateful or environment-dependent).
   * Set by the engine; absent means not modelled.
   */
  readonly semantics?: 'modelled' | 'unknown';
}

export interface TargetSpec extends ExtensionBase {
  readonly kind: 'target';
  /**
   * Ends the traversal of the chain for a matching packet (ACCEPT, DROP, DNAT ...);
   * `some`: decides some of the packets it gets and passes the others on to the next rule
   * (SYNPROXY takes SYNs and handshake ACKs only), so the engine treats it as a rule that
   * may or may not take a packet.
   */
  readonly terminating: boolean | 'some';
  /** Verdict keywords (ACCEPT, DROP, RETURN, QUEUE) that are not extensions. */
  readonly standard?: boolean;
  /** Protocols the kernel requires (e.g. TCPMSS needs -p tcp). */
  readonly protocols?: readonly string[];
}

export type Extension = MatchModule | TargetSpec;

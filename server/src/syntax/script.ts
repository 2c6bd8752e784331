// Reads a shell script that runs `iptables ...` commands into the same tree as a rules file
// (DumpTree), so that the ruleset model, the engine and every check work on scripts unchanged.
//
// The script is run in the head, not on a machine: shell/parse gives the commands, and this
// file follows them in the order the shell would, with
//  - variables: `NAME=value` with a literal value (quotes, escapes and other known variables
//    allowed), `${NAME:-default}` (the default when the script never sets NAME), function
//    arguments `$1`...; anything else (command substitutions, values read at run time,
//    variables from the environment or from sourced files) is unknown;
//  - `for X in a b c` (and bash's `{1..254}`): the body once per value;
//  - `if`, `case`, `&&`, `||`: a condition we can decide (a test on known values, `iptables -C`
//    or `-L CHAIN` against the tables built so far, `true`/`false`) takes its branch; a
//    `case "$1" in start)` takes the start branch (the firewall as the script starts it);
//    other conditions leave their commands conditional;
//  - functions: the body at each call, with the call's arguments;
//  - `exit`: the commands after it do not run (a conditional `exit` is ignored: we follow the
//    run that reaches the end of the script);
//  - `iptables-restore <<EOF ... EOF`: the here-document read as a rules file.
//
// Where iptables commands go in the tree: each command the script runs becomes a rule line of
// a synthetic table block, one block per (family, table) in the order of first use, and keeps
// the exact range of the command in the script (a command in a loop gives one rule line per
// run, all with the same range). The tables start empty with ACCEPT policies, as after
// `iptables -F; iptables -X`, which is how such scripts usually begin.
//
// Words of a command map back to the script: a word's span is the word as written in the
// command (`$PORT`, `"${NET}"/24`), so a problem about a whole word lands on the command;
// each character of a variable's value maps to where the value is written (the assignment,
// the loop's list), so a problem about part of a value (the `/33` of an address) points into
// the value itself.
//
// What a run cannot know is never guessed: a word with an unknown expansion is dynamic (its
// value is not judged, and the rule may or may not match), a command that may or may not run
// is kept as a rule that may or may not match (RuleLine.uncertain), and a table whose state
// the script cannot tell (commands on a chain or table given by an unknown variable, a
// conditional policy or flush, chains the script uses but never creates, sourced files,
// `iptables-restore < file`) is left out of the semantic checks (ScriptInfo.uncertain).

import { BUILTIN_CHAINS, Family, TABLES, TableName } from '../catalogue/types';
import { STANDARD_VERDICTS } from '../catalogue/builtin';
import { closest } from '../catalogue/suggest';
import { ruleKey } from '../model/ruleset';
import { ChainLine, CommentLine, DumpTree, LineNode, parseDump, RuleLine, TableBlock, TableLine } from './dump';
import { Problem } from './problems';
import { isBuiltin, parseRule, RuleSyntax } from './rule';
import { AndOr, CaseCommand, Command, ForCommand, IfCommand, literalText, parseShell, Pipeline, Redirect, ShellList, ShellWord, SimpleCommand } from './shell';
import { LineIndex, Span } from './text';
import { Word } from './words';

export type Certainty = 'certain' | 'conditional' | 'inert';

/** A write to a forwarding switch: `echo 1 > /proc/sys/net/ipv4/ip_forward`, `sysctl -w ...`. */
export interface ForwardingWrite {
  readonly family: Family;
  /** True: enables, false: disables, undefined: a value only the run knows. */
  readonly value: boolean | undefined;
  readonly span: Span;
  readonly certainty: Certainty;
}

export interface ScriptInfo {
  /** iptables commands the script contains (each run of a command in a loop counts). */
  readonly commands: number;
  /** The range of each iptables command of the script (iptables-restore here-documents aside). */
  readonly commandSpans: readonly Span[];
  /** Blocks the semantic checks leave out, with the reason. */
  readonly uncertain: ReadonlyMap<number, string>;
  /** Writes to the kernel's forwarding switches, in the order the script makes them. */
  readonly forwarding: readonly ForwardingWrite[];
  /**
   * Something that may set kernel parameters we cannot see (`sysctl -p`, a sourced file, a
   * write through an unknown path): undefined when there is none.
   */
  readonly forwardingUnknown?: Span;
  /** Commands that run once, unconditionally, outside any loop or function: where edits are safe. */
  readonly editable: readonly Span[];
  /** Shell expansions (`$X`, `$(...)`): fixes never edit them. */
  readonly expansions: readonly Span[];
  /** The last iptables command the script certainly runs at its top level (not in a loop, function or branch). */
  readonly lastTopLevelCommand?: Span;
}

export interface ScriptTree extends DumpTree {
  readonly script: ScriptInfo;
}

export function isScriptTree(tree: DumpTree): tree is ScriptTree {
  return (tree as Partial<ScriptTree>).script !== undefined;
}

export interface ScriptOptions {
  /** bash brace expansion (`{1..254}`, `{a,b}`); default: on, unless the shebang names sh or dash. */
  readonly braceExpansion?: boolean;
}

// ---------------------------------------------------------------------------- values

/** A known value: its characters and, for each, where it is written in the script. */
interface Value {
  readonly text: string;
  readonly offsets: readonly number[];
}

/** A variable: known, unknown (null), or never set by the script (absent from the map). */
type Binding = Value | null;

class Scope {
  constructor(
    readonly vars: Map<string, Binding>,
    /** Function arguments; null at the top level (the script's own arguments are unknown). */
    readonly positional: Value[] | null,
  ) {}

  clone(): Scope {
    return new Scope(new Map(this.vars), this.positional);
  }
}

/** One field of an expanded word, as iptables will receive it. */
interface Field {
  chars: string[];
  offsets: number[];
  quoted: boolean;
  dynamic: boolean;
  /** The field has content, even empty (`""`), so it is an argument. */
  exists: boolean;
}

const newField = (): Field => ({ chars: [], offsets: [], quoted: false, dynamic: false, exists: false });

const IPTABLES_BINARIES: Readonly<Record<string, Family>> = {
  iptables: 'ipv4',
  'iptables-legacy': 'ipv4',
  'iptables-nft': 'ipv4',
  ip6tables: 'ipv6',
  'ip6tables-legacy': 'ipv6',
  'ip6tables-nft': 'ipv6',
};
const RESTORE_BINARIES: Readonly<Record<string, Family>> = {
  'iptables-restore': 'ipv4',
  'iptables-legacy-restore': 'ipv4',
  'iptables-nft-restore': 'ipv4',
  'ip6tables-restore': 'ipv6',
  'ip6tables-legacy-restore': 'ipv6',
  'ip6tables-nft-restore': 'ipv6',
};
/** A variable whose value is not known but whose name says it holds iptables (`$IPTABLES`, `$IPT6`). */
const IPTABLES_VARIABLE = /^IP6?T(ABLES)?6?([_-]?(CMD|BIN|PROG|EXE|PATH))?$/i;
/** Commands that run the rest of their words as a command. */
const WRAPPERS = new Set(['sudo', 'command', 'exec', 'nice', 'nohup', 'time', 'env', 'builtin']);
/** Commands that may change tables or kernel parameters in ways this reader cannot follow. */
const OPAQUE = new Set(['.', 'source', 'sh', 'bash', 'dash', 'ksh', 'zsh', 'eval', 'iptables-apply', 'ip6tables-apply', 'ufw', 'firewall-cmd', 'shorewall', 'netfilter-persistent']);

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

// ---------------------------------------------------------------------------- light model

/** The tables as the script builds them, enough to decide `-C`, `-L CHAIN` and chain existence. */
interface LightChain {
  readonly builtin: boolean;
  /** The chain may not exist (created conditionally). */
  maybe: boolean;
  /** Emptied by the script (flushed, or created by it): no rule from before is left in it. */
  clean: boolean;
  rules: Array<{ key?: string; conditional: boolean }>;
}

/** A command on a chain that does not exist when it runs. */
interface MissingChain {
  readonly key: string;
  readonly name: string;
  readonly word: Word;
  readonly seq: number;
  readonly builder: BlockBuilder;
  /** `-j NAME`: the target is unknown; otherwise the command's chain. */
  readonly jump: boolean;
}

interface BlockBuilder {
  readonly key: string;
  readonly family: Family;
  readonly table?: TableName;
  /** Never runs (an uncalled function, a branch not taken): read for its words only. */
  readonly inert: boolean;
  header: TableLine;
  /** The block's nodes after its header, in the order the script runs them. */
  readonly members: LineNode[];
  /** A later `iptables-restore` replaced this table: the block is kept for its words only. */
  replaced?: boolean;
  uncertain?: string;
  /** Chains used and never created: declared at the top of the block, as created elsewhere. */
  readonly external: ChainLine[];
  /** From a here-document: the index of its COMMIT among the members. */
  commitMember?: number;
}

interface Ctx {
  readonly certainty: Certainty;
  readonly scope: Scope;
  /** Inside a loop, a function or a branch: not a place for inserted lines. */
  readonly nested: boolean;
  /** Inside a function call or a loop that runs several times: its commands are not edited. */
  readonly repeated: boolean;
  /** Set by `return` in a function body. */
  returned?: { value: boolean };
}

type Status = 'ok' | 'fail' | 'unknown';

function weaker(a: Certainty, b: Certainty): Certainty {
  if (a === 'inert' || b === 'inert') return 'inert';
  if (a === 'conditional' || b === 'conditional') return 'conditional';
  return 'certain';
}

// ---------------------------------------------------------------------------- interpreter

class ScriptReader {
  private readonly index: LineIndex;
  private readonly problems: Problem[] = [];
  private readonly builders = new Map<string, BlockBuilder>();
  private readonly order: BlockBuilder[] = [];
  private readonly functions = new Map<string, Command>();
  private readonly called = new Set<string>();
  private readonly light = new Map<string, Map<string, LightChain>>();
  /** Every -N by key and chain: the sequence numbers at which it ran. */
  private readonly created = new Map<string, Array<{ seq: number; line: number }>>();
  private readonly deleted = new Map<string, Array<{ seq: number; line: number }>>();
  private readonly missing: MissingChain[] = [];
  private readonly forwarding: ForwardingWrite[] = [];
  private forwardingUnknown?: Span;
  private readonly editable: Span[] = [];
  private readonly commandSpans: Span[] = [];
  private readonly commandStarts = new Set<number>();
  private readonly expansions: Span[] = [];
  private lastTopLevel?: Span;
  /** Something outside the script changed tables of these families (or all, 'all'). */
  private readonly external = new Map<Family | 'all', string>();
  private exited = false;
  private commands = 0;
  private seq = 0;
  private depth = 0;
  private readonly comments: CommentLine[] = [];
  private readonly loose: LineNode[] = [];

  constructor(
    private readonly text: string,
    private readonly options: ScriptOptions,
  ) {
    this.index = new LineIndex(text);
  }

  read(): ScriptTree {
    const script = parseShell(this.text);
    for (const span of script.comments) this.comments.push({ kind: 'comment', line: this.index.lineOf(span.start), span, text: this.text.slice(span.start, span.end) });
    const scope = new Scope(new Map(), null);
    this.list(script.list, { certainty: 'certain', scope, nested: false, repeated: false });
    // Functions the script never calls: read for their words only.
    for (const [name, body] of this.functions) {
      if (this.called.has(name)) continue;
      this.called.add(name);
      this.command(body, { certainty: 'inert', scope: new Scope(new Map(scope.vars), null), nested: true, repeated: true, returned: { value: false } });
    }
    this.resolveMissing();
    return this.assemble();
  }

  private problem(kind: string, span: Span, message: string, extra: Partial<Problem> = {}): void {
    this.problems.push({ kind, span, message, ...extra });
  }

  // -------------------------------------------------------------- lists

  private list(list: ShellList, ctx: Ctx): Status {
    let status: Status = 'ok';
    for (const item of list) {
      if (ctx.returned?.value) break;
      status = this.andOr(item, ctx);
    }
    return status;
  }

  private effective(ctx: Ctx): Certainty {
    return this.exited ? 'inert' : ctx.certainty;
  }

  private andOr(item: AndOr, ctx: Ctx): Status {
    let status = this.pipeline(item.first, ctx);
    for (const { op, pipeline } of item.rest) {
      const runs: Certainty = status === 'unknown' ? 'conditional' : (op === '&&') === (status === 'ok') ? 'certain' : 'inert';
      const certainty = weaker(ctx.certainty, runs);
      const scope = runs === 'certain' ? ctx.scope : ctx.scope.clone();
      const r = this.pipeline(pipeline, { ...ctx, certainty, scope, nested: ctx.nested || runs !== 'certain' });
      if (runs === 'certain') status = r;
      else if (runs === 'conditional') {
        this.merge(ctx.scope, [scope]);
        status = 'unknown';
      }
    }
    return status;
  }

  private pipeline(p: Pipeline, ctx: Ctx): Status {
    let status: Status = 'ok';
    const single = p.commands.length === 1;
    for (const cmd of p.commands) status = this.command(cmd, single ? ctx : { ...ctx, scope: ctx.scope.clone() }, p);
    if (p.negated) status = status === 'ok' ? 'fail' : status === 'fail' ? 'ok' : 'unknown';
    return status;
  }

  /** After conditional branches ran in copies of `base`: variables they may have changed become unknown. */
  private merge(base: Scope, branches: readonly Scope[], exhaustive = false): void {
    const names = new Set<string>([...base.vars.keys()]);
    for (const b of branches) for (const n of b.vars.keys()) names.add(n);
    for (const name of names) {
      const values = branches.map((b) => b.vars.get(name));
      if (!exhaustive) values.push(base.vars.get(name));
      const first = values[0];
      const same = values.every((v) => v === first || (v && first && v.text === first.text));
      if (!same) base.vars.set(name, null);
      else if (first !== undefined) base.vars.set(name, first);
    }
  }

  private command(cmd: Command, ctx: Ctx, pipeline?: Pipeline): Status {
    switch (cmd.kind) {
      case 'simple':
        return this.simple(cmd, ctx, pipeline);
      case 'if':
        return this.ifCommand(cmd, ctx);
      case 'for':
        return this.forCommand(cmd, ctx);
      case 'while': {
        // Runs an unknown number of times: once, conditionally.
        const scope = ctx.scope.clone();
        const inner: Ctx = { ...ctx, scope, certainty: weaker(ctx.certainty, 'conditional'), nested: true, repeated: true };
        this.list(cmd.condition, inner);
        this.list(cmd.body, inner);
        this.merge(ctx.scope, [scope]);
        return 'unknown';
      }
      case 'case':
        return this.caseCommand(cmd, ctx);
      case 'group': {
        const scope = cmd.subshell ? ctx.scope.clone() : ctx.scope;
        return this.list(cmd.body, { ...ctx, scope });
      }
      case 'function':
        this.functions.set(cmd.name, cmd.body);
        return 'ok';
      case 'test':
        for (const w of cmd.words) this.noteExpansions(w);
        return cmd.arithmetic ? 'unknown' : this.evaluateTest(cmd.words.map((w) => this.singleValue(w, ctx.scope)));
    }
  }

  private ifCommand(cmd: IfCommand, ctx: Ctx): Status {
    let certainty = ctx.certainty;
    const branches: Scope[] = [];
    let decided = false;
    for (const branch of cmd.branches) {
      if (decided) {
        this.list(branch.condition, { ...ctx, certainty: 'inert', scope: ctx.scope.clone(), nested: true });
        this.list(branch.body, { ...ctx, certainty: 'inert', scope: ctx.scope.clone(), nested: true });
        continue;
      }
      const condScope = certainty === 'certain' ? ctx.scope : ctx.scope.clone();
      const status = this.list(branch.condition, { ...ctx, certainty, scope: condScope });
      if (certainty !== 'certain') branches.push(condScope);
      const bodyCertainty = status === 'ok' ? certainty : status === 'fail' ? 'inert' : weaker(certainty, 'conditional');
      const scope = bodyCertainty === 'certain' ? ctx.scope : ctx.scope.clone();
      this.list(branch.body, { ...ctx, certainty: bodyCertainty, scope, nested: true });
      if (bodyCertainty === 'conditional') branches.push(scope);
      if (status === 'ok' && certainty === 'certain') decided = true;
      if (status === 'unknown') certainty = weaker(certainty, 'conditional');
    }
    if (cmd.otherwise) {
      const c = decided ? 'inert' : certainty;
      const scope = c === 'certain' ? ctx.scope : ctx.scope.clone();
      this.list(cmd.otherwise, { ...ctx, certainty: c, scope, nested: true });
      if (c === 'conditional') branches.push(scope);
    }
    if (branches.length) this.merge(ctx.scope, branches);
    return 'ok';
  }

  private forCommand(cmd: ForCommand, ctx: Ctx): Status {
    const values = cmd.items && !cmd.arithmetic ? this.forValues(cmd.items, ctx.scope) : undefined;
    if (!values) {
      // The list is not known (or comes from the script's arguments): one run, conditional, with the variable unknown.
      const scope = ctx.scope.clone();
      if (cmd.variable) scope.vars.set(cmd.variable, null);
      this.list(cmd.body, { ...ctx, scope, certainty: weaker(ctx.certainty, 'conditional'), nested: true, repeated: true });
      this.merge(ctx.scope, [scope]);
      return 'ok';
    }
    if (values.length === 0) {
      // Reads the body once for its words.
      const scope = ctx.scope.clone();
      if (cmd.variable) scope.vars.set(cmd.variable, null);
      this.list(cmd.body, { ...ctx, scope, certainty: 'inert', nested: true, repeated: true });
      return 'ok';
    }
    for (const value of values) {
      if (cmd.variable) ctx.scope.vars.set(cmd.variable, value);
      this.list(cmd.body, { ...ctx, nested: true, repeated: ctx.repeated || values.length > 1 });
    }
    return 'ok';
  }

  /** The values of a `for` list, or undefined when some word is not known. */
  private forValues(items: readonly ShellWord[], scope: Scope): Value[] | undefined {
    const out: Value[] = [];
    for (const item of items) {
      this.noteExpansions(item);
      for (const w of this.braces(item)) {
        for (const f of this.expand(w, scope, true)) {
          if (f.dynamic) return undefined;
          if (!f.exists) continue;
          if (!f.quoted && /[*?[]/.test(f.chars.join(''))) return undefined; // a file name pattern
          out.push({ text: f.chars.join(''), offsets: f.offsets });
        }
      }
    }
    return out;
  }

  private caseCommand(cmd: CaseCommand, ctx: Ctx): Status {
    this.noteExpansions(cmd.subject);
    const subject = this.singleValue(cmd.subject, ctx.scope);
    // `case "$1" in start)`: the firewall as the script starts it.
    const first = cmd.subject.parts.length === 1 ? cmd.subject.parts[0] : undefined;
    const scriptArgument = subject === undefined && first?.kind === 'param' && first.name === '1' && !first.op && ctx.scope.positional === null;
    let chosen = -1;
    let conditional = false;
    cmd.arms.forEach((arm, i) => {
      if (chosen !== -1 || conditional) return;
      const patterns = arm.patterns.map((p) => this.singleValue(p, ctx.scope));
      if (subject !== undefined) {
        if (patterns.some((p) => p !== undefined && globMatch(p, subject))) chosen = i;
        else if (patterns.some((p) => p === undefined)) conditional = true;
      } else if (scriptArgument && patterns.some((p) => p === 'start')) chosen = i;
    });
    if (chosen === -1 && subject === undefined && !scriptArgument) conditional = true;
    const branches: Scope[] = [];
    cmd.arms.forEach((arm, i) => {
      const c: Certainty = conditional ? weaker(ctx.certainty, 'conditional') : i === chosen ? ctx.certainty : 'inert';
      const scope = c === 'certain' ? ctx.scope : ctx.scope.clone();
      this.list(arm.body, { ...ctx, certainty: c, scope, nested: true });
      if (c === 'conditional') branches.push(scope);
    });
    if (branches.length) this.merge(ctx.scope, branches);
    return 'ok';
  }

  // -------------------------------------------------------------- words

  private noteExpansions(word: ShellWord): void {
    for (const p of word.parts) {
      if (p.kind === 'param' || p.kind === 'subst') this.expansions.push(p.span);
      if (p.kind === 'param' && p.arg) this.noteExpansions(p.arg);
    }
  }

  /** bash brace expansion of a word made only of unquoted characters: `{1..254}`, `eth{0,1}`. */
  private braces(word: ShellWord): ShellWord[] {
    if (this.options.braceExpansion === false) return [word];
    if (word.parts.length !== 1 || word.parts[0].kind !== 'lit' || word.parts[0].quoted) return [word];
    const part = word.parts[0];
    const m = /\{([^{}]*)\}/.exec(part.text);
    if (!m) return [word];
    const inner = m[1];
    const start = m.index;
    const end = start + m[0].length;
    const make = (text: string, offsets: readonly number[]): ShellWord => ({ parts: [{ kind: 'lit', text, offsets, quoted: false }], span: word.span });
    const prefix = { text: part.text.slice(0, start), offsets: part.offsets.slice(0, start) };
    const suffix = { text: part.text.slice(end), offsets: part.offsets.slice(end) };
    const seq = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
    const pieces: Array<{ text: string; offsets: number[] }> = [];
    if (seq) {
      const a = Number(seq[1]);
      const b = Number(seq[2]);
      const step = Math.abs(Number(seq[3] ?? 1)) || 1;
      if (Math.abs(b - a) / step > 10000) return [word];
      const at = part.offsets[start];
      const width = part.offsets[end - 1] - at + 1;
      for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) {
        const text = String(v);
        pieces.push({ text, offsets: [...text].map((_, i) => at + Math.min(i, width - 1)) });
      }
    } else {
      const alternatives: Array<{ text: string; offsets: number[] }> = [];
      let cur = { text: '', offsets: [] as number[] };
      for (let i = start + 1; i < end - 1; i++) {
        if (part.text[i] === ',') {
          alternatives.push(cur);
          cur = { text: '', offsets: [] };
        } else {
          cur.text += part.text[i];
          cur.offsets.push(part.offsets[i]);
        }
      }
      alternatives.push(cur);
      if (alternatives.length < 2) return [word];
      pieces.push(...alternatives);
    }
    return pieces.flatMap((p) => this.braces(make(prefix.text + p.text + suffix.text, [...prefix.offsets, ...p.offsets, ...suffix.offsets])));
  }

  /** A parameter's value: known, unknown (null), or never set here (undefined). */
  private lookup(name: string, scope: Scope): Binding | undefined {
    if (/^[1-9]$/.test(name)) {
      if (scope.positional === null) return null;
      return scope.positional[Number(name) - 1] ?? { text: '', offsets: [] };
    }
    if (name === '#') return scope.positional === null ? null : { text: String(scope.positional.length), offsets: [] };
    if (/^[@*?$!0-]$/.test(name)) return null;
    return scope.vars.get(name);
  }

  /** Expands a word into fields; `split`: unquoted expansions are split on blanks. */
  private expand(word: ShellWord, scope: Scope, split: boolean): Field[] {
    const fields: Field[] = [];
    let cur = newField();
    const pushChar = (c: string, at: number) => {
      cur.chars.push(c);
      cur.offsets.push(at);
      cur.exists = true;
    };
    const raw = (span: Span) => {
      for (let i = span.start; i < span.end; i++) pushChar(this.text[i], i);
      cur.dynamic = true;
    };
    const value = (v: Value, quoted: boolean, span: Span) => {
      const offsetOf = (i: number) => v.offsets[i] ?? span.start;
      if (!split || quoted) {
        for (let i = 0; i < v.text.length; i++) pushChar(v.text[i], offsetOf(i));
        if (quoted) cur.exists = true;
        return;
      }
      for (let i = 0; i < v.text.length; i++) {
        const c = v.text[i];
        if (c === ' ' || c === '\t' || c === '\n') {
          if (cur.exists) {
            fields.push(cur);
            cur = newField();
          }
        } else pushChar(c, offsetOf(i));
      }
    };
    for (const part of word.parts) {
      if (part.kind === 'lit') {
        for (let i = 0; i < part.text.length; i++) pushChar(part.text[i], part.offsets[i]);
        if (part.quoted) {
          cur.quoted = true;
          cur.exists = true;
        }
        continue;
      }
      if (part.quoted) {
        cur.quoted = true;
        cur.exists = true;
      }
      if (part.kind === 'subst') {
        raw(part.span);
        continue;
      }
      const binding = this.lookup(part.name, scope);
      const set = binding !== undefined && binding !== null;
      const empty = set && binding.text === '';
      const op = part.op;
      if (!op) {
        if (set) value(binding, part.quoted, part.span);
        else raw(part.span);
        continue;
      }
      // ${X:-w} / ${X-w} / ${X:=w} / ${X=w}: the default when X is not set here.
      if (op === ':-' || op === '-' || op === ':=' || op === '=') {
        const useDefault = binding === undefined || (op.startsWith(':') && empty);
        if (binding === null) raw(part.span);
        else if (!useDefault) value(binding as Value, part.quoted, part.span);
        else {
          const def = this.expand(part.arg ?? { parts: [], span: part.span }, scope, false);
          const d = def[0];
          if (!d || d.dynamic) raw(part.span);
          else {
            const v = { text: d.chars.join(''), offsets: d.offsets };
            value(v, part.quoted, part.span);
            if (op.endsWith('=') && /^[A-Za-z_]/.test(part.name)) scope.vars.set(part.name, v);
          }
        }
        continue;
      }
      if (op === ':+' || op === '+') {
        if (binding === null) raw(part.span);
        else if (binding === undefined || (op === ':+' && empty)) {
          /* empty */
        } else {
          const alt = this.expand(part.arg ?? { parts: [], span: part.span }, scope, false)[0];
          if (!alt || alt.dynamic) raw(part.span);
          else value({ text: alt.chars.join(''), offsets: alt.offsets }, part.quoted, part.span);
        }
        continue;
      }
      if (set) value(binding, part.quoted, part.span);
      else raw(part.span);
    }
    if (cur.exists) fields.push(cur);
    return fields;
  }

  /** The value of a word as one string, or undefined when it is not known. */
  private singleValue(word: ShellWord, scope: Scope): string | undefined {
    const fields = this.expand(word, scope, false);
    if (fields.some((f) => f.dynamic)) return undefined;
    return fields.map((f) => f.chars.join('')).join(' ');
  }

  private toWord(field: Field, word: ShellWord): Word {
    const text = field.chars.join('');
    const plain = field.offsets.every((o, i) => o === word.span.start + i) && word.span.end - word.span.start === text.length;
    return {
      text,
      span: word.span,
      quoted: field.quoted,
      ...(plain ? {} : { offsets: field.offsets }),
      ...(field.dynamic ? { dynamic: true } : {}),
    };
  }

  /** The command's words as iptables receives them, each with its word's place. */
  private argv(words: readonly ShellWord[], scope: Scope): Word[] {
    const out: Word[] = [];
    for (const w of words) {
      this.noteExpansions(w);
      for (const b of this.braces(w)) for (const f of this.expand(b, scope, true)) out.push(this.toWord(f, b));
    }
    return out;
  }

  // -------------------------------------------------------------- simple commands

  private simple(cmd: SimpleCommand, ctx: Ctx, pipeline?: Pipeline): Status {
    const certainty = this.effective(ctx);
    for (const r of cmd.redirects) if (r.target) this.noteExpansions(r.target);
    // Assignments: alone they set shell variables; before a command, only its environment.
    if (cmd.words.length === 0) {
      for (const a of cmd.assignments) this.assign(a.name, a.value, a.append, ctx.scope, certainty);
      return cmd.assignments.some((a) => a.value?.parts.some((p) => p.kind === 'subst')) ? 'unknown' : 'ok';
    }
    for (const a of cmd.assignments) if (a.value) this.noteExpansions(a.value);
    let argv = this.argv(cmd.words, ctx.scope);
    // Wrappers: sudo (and its options), command, exec, env NAME=value ...
    while (argv.length && !argv[0].dynamic && WRAPPERS.has(basename(argv[0].text))) {
      const name = basename(argv[0].text);
      argv = argv.slice(1);
      while (argv.length && !argv[0].dynamic && (argv[0].text.startsWith('-') || (name === 'env' && /^[A-Za-z_]\w*=/.test(argv[0].text)))) {
        const takesValue = name === 'sudo' && /^-[ugCDhprTU]$/.test(argv[0].text);
        argv = argv.slice(takesValue ? 2 : 1);
      }
    }
    if (argv.length === 0) return 'ok';
    const head = argv[0];
    const name = head.dynamic ? undefined : basename(head.text);
    const family = name ? IPTABLES_BINARIES[name] : this.iptablesVariable(cmd.words[0], ctx.scope);
    if (family) return this.iptables(cmd, argv.slice(1), family, ctx, certainty, head);
    if (name && RESTORE_BINARIES[name]) return this.restore(cmd, argv.slice(1), RESTORE_BINARIES[name], ctx, certainty);
    if (name === 'exit' || name === 'return') {
      if (certainty === 'certain') {
        if (name === 'exit') this.exited = true;
        else if (ctx.returned !== undefined) ctx.returned.value = true;
      }
      return 'ok';
    }
    if (name === 'true' || name === ':') return 'ok';
    if (name === 'false') return 'fail';
    if (name === 'test' || name === '[') return this.evaluateTest(cmd.words.slice(1).map((w) => this.singleValue(w, ctx.scope)).filter((_, i, a) => !(name === '[' && i === a.length - 1)));
    if (name === 'export' || name === 'readonly' || name === 'local' || name === 'declare' || name === 'typeset') {
      for (const w of cmd.words.slice(1)) {
        const first = w.parts[0];
        const m = first?.kind === 'lit' && !first.quoted ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text) : null;
        if (!m || first?.kind !== 'lit') continue;
        const rest = { parts: [{ ...first, text: first.text.slice(m[0].length), offsets: first.offsets.slice(m[0].length) }, ...w.parts.slice(1)], span: w.span };
        this.assign(m[1], rest, false, ctx.scope, certainty);
      }
      return 'ok';
    }
    if (name === 'unset') {
      for (const w of argv.slice(1)) if (!w.dynamic && !w.text.startsWith('-')) ctx.scope.vars.set(w.text, { text: '', offsets: [] });
      return 'ok';
    }
    if (name === 'read' || name === 'mapfile' || name === 'readarray' || name === 'getopts') {
      for (const w of argv.slice(1)) if (!w.dynamic && /^[A-Za-z_]\w*$/.test(w.text)) ctx.scope.vars.set(w.text, null);
      return 'unknown';
    }
    if (name && this.functions.has(name)) return this.call(name, argv.slice(1), ctx, certainty);
    if (name === 'sysctl') return this.sysctl(argv.slice(1), cmd.span, certainty);
    if (name === 'echo' || name === 'printf' || name === 'tee' || name === 'cat') this.procWrite(cmd, argv, pipeline, ctx, certainty);
    if (name && (OPAQUE.has(name) || name.endsWith('.sh')) && certainty !== 'inert') {
      const reason = `the script runs ${name === '.' || name === 'source' ? 'a file it sources' : `'${name}'`} on line ${this.index.lineOf(cmd.span.start) + 1}, which may change the tables`;
      this.external.set('all', this.external.get('all') ?? reason);
      this.forwardingUnknown ??= cmd.span;
      return 'unknown';
    }
    if (name === 'echo' || name === 'printf' || name === 'cd' || name === 'set' || name === 'shift' || name === 'trap' || name === 'umask') return 'ok';
    return 'unknown';
  }

  private assign(name: string, word: ShellWord | undefined, append: boolean, scope: Scope, certainty: Certainty): void {
    if (certainty === 'inert') return;
    if (!word) {
      scope.vars.set(name, null);
      return;
    }
    this.noteExpansions(word);
    const fields = this.expand(word, scope, false);
    let value: Binding = fields.some((f) => f.dynamic) ? null : { text: fields.map((f) => f.chars.join('')).join(''), offsets: fields.flatMap((f) => f.offsets) };
    if (append && value) {
      const old = scope.vars.get(name);
      value = old === null ? null : old ? { text: old.text + value.text, offsets: [...old.offsets, ...value.offsets] } : value;
    }
    scope.vars.set(name, value);
  }

  /** `$IPT` whose value is unknown but whose name says iptables: its family by the name. */
  private iptablesVariable(word: ShellWord, scope: Scope): Family | undefined {
    const part = word.parts.length === 1 ? word.parts[0] : undefined;
    if (part?.kind !== 'param' || !IPTABLES_VARIABLE.test(part.name)) return undefined;
    if (scope.vars.get(part.name)) return undefined; // known: its value decides
    return /6/.test(part.name) ? 'ipv6' : 'ipv4';
  }

  private call(name: string, args: readonly Word[], ctx: Ctx, certainty: Certainty): Status {
    if (this.depth > 20) return 'unknown';
    this.called.add(name);
    const positional: Value[] | null = args.some((a) => a.dynamic) ? null : args.map((a) => ({ text: a.text, offsets: a.offsets ?? [...a.text].map((_, i) => a.span.start + i) }));
    const scope = new Scope(ctx.scope.vars, positional);
    this.depth++;
    const frame: Ctx = { ...ctx, certainty, scope, nested: true, repeated: true, returned: { value: false } };
    const status = this.command(this.functions.get(name)!, frame);
    this.depth--;
    return status;
  }

  /** `[ a = b ]`, `test -n x` ... on known values; unknown otherwise. */
  private evaluateTest(args: ReadonlyArray<string | undefined>): Status {
    const result = evaluateTestWords(args);
    return result === undefined ? 'unknown' : result ? 'ok' : 'fail';
  }

  // -------------------------------------------------------------- kernel parameters

  private sysctl(args: readonly Word[], span: Span, certainty: Certainty): Status {
    if (certainty === 'inert') return 'ok';
    for (const a of args) {
      if (a.dynamic) {
        this.forwardingUnknown ??= span;
        continue;
      }
      if (a.text === '-p' || a.text.startsWith('--load') || a.text === '--system' || /^-[a-zA-Z]*p/.test(a.text)) {
        this.forwardingUnknown ??= span;
        continue;
      }
      const m = /^([^=]+)=(.*)$/.exec(a.text);
      if (!m) continue;
      const key = m[1].replace(/\//g, '.').trim();
      this.forwardingKey(key, m[2].trim(), span, certainty);
    }
    return 'ok';
  }

  private forwardingKey(key: string, value: string | undefined, span: Span, certainty: Certainty): void {
    const v = value === undefined ? undefined : value === '1' ? true : value === '0' ? false : undefined;
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') this.forwarding.push({ family: 'ipv4', value: v, span, certainty });
    else if (key === 'net.ipv6.conf.all.forwarding') this.forwarding.push({ family: 'ipv6', value: v, span, certainty });
    else if (/^net\.ipv[46]\.conf\..*\.forwarding$/.test(key)) this.forwardingUnknown ??= span;
  }

  /** `echo 1 > /proc/sys/net/ipv4/ip_forward`, `echo 1 | tee /proc/sys/...`. */
  private procWrite(cmd: SimpleCommand, argv: readonly Word[], pipeline: Pipeline | undefined, ctx: Ctx, certainty: Certainty): void {
    if (certainty === 'inert') return;
    const targets: Array<{ path: string | undefined; value: string | undefined }> = [];
    const echoed = (words: readonly Word[]) => {
      const args = words.slice(1).filter((w, i) => !(i === 0 && /^-[neE]+$/.test(w.text)));
      return args.some((w) => w.dynamic) ? undefined : args.map((w) => w.text.replace(/\\n$/, '')).join(' ').trim();
    };
    const name = basename(argv[0].text);
    if (name === 'echo' || name === 'printf') {
      for (const r of cmd.redirects) {
        if ((r.op === '>' || r.op === '>>' || r.op === '>|') && r.target) targets.push({ path: this.singleValue(r.target, ctx.scope), value: echoed(argv) });
      }
    } else if (name === 'tee' && pipeline && pipeline.commands.length > 1) {
      const producer = pipeline.commands[pipeline.commands.indexOf(cmd) - 1];
      let value: string | undefined;
      if (producer?.kind === 'simple') {
        const words = this.argv(producer.words, ctx.scope);
        if (words.length && !words[0].dynamic && ['echo', 'printf'].includes(basename(words[0].text))) value = echoed(words);
      }
      for (const w of argv.slice(1)) if (!w.text.startsWith('-')) targets.push({ path: w.dynamic ? undefined : w.text, value });
    } else if (name === 'cat') {
      for (const r of cmd.redirects) if ((r.op === '>' || r.op === '>>') && r.target) targets.push({ path: this.singleValue(r.target, ctx.scope), value: undefined });
    }
    for (const t of targets) {
      if (t.path === undefined) {
        // A path only the run knows: it may be a forwarding switch.
        this.forwardingUnknown ??= cmd.span;
        continue;
      }
      const m = /^\/proc\/sys\/(net\/ipv[46]\/.*)$/.exec(t.path.replace(/\/+/g, '/'));
      if (!m) continue;
      this.forwardingKey(m[1].replace(/\//g, '.'), t.value, cmd.span, certainty);
    }
  }

  // -------------------------------------------------------------- iptables

  private builder(family: Family, table: TableName | undefined, inert: boolean, at: Span): BlockBuilder {
    const key = inert || !table ? `${family}/-inert` : `${family}/${table}`;
    let b = this.builders.get(key);
    if (!b) {
      const line = this.index.lineOf(at.start);
      const name = inert || !table ? '' : table;
      const header: TableLine = { kind: 'table', line, span: { start: at.start, end: at.start }, nameWord: { text: name, span: { start: at.start, end: at.start }, quoted: false }, table: inert ? undefined : table };
      b = { key, family, table: inert ? undefined : table, inert: inert || !table, header, members: [], external: [] };
      this.builders.set(key, b);
      this.order.push(b);
    }
    return b;
  }

  private iptables(cmd: SimpleCommand, words: Word[], family: Family, ctx: Ctx, certainty: Certainty, head: Word): Status {
    this.commands++;
    const span = { start: cmd.words[0].span.start, end: cmd.words[cmd.words.length - 1].span.end };
    const line = this.index.lineOf(span.start);
    // The table: -t given as a word of its own or glued (-tnat, --table=nat).
    let table: TableName | undefined = 'filter';
    let rule = parseRule(words, { family, table, restore: false, span });
    const tableItem = rule.items.find((it) => isBuiltin(it) && it.spec.id === 'table');
    const tableWord = tableItem?.args[0];
    let tableUnknown = false;
    if (tableWord) {
      if (tableWord.dynamic) {
        tableUnknown = true;
        table = undefined;
      } else if ((TABLES as readonly string[]).includes(tableWord.text)) {
        table = tableWord.text as TableName;
        if (table !== 'filter') rule = parseRule(words, { family, table, restore: false, span });
      } else {
        const suggestion = closest(tableWord.text, TABLES);
        this.problem('unknown-table', tableWord.span, `Unknown table '${tableWord.text}': iptables refuses the command (the tables are filter, nat, mangle, raw and security)${suggestion ? `; did you mean '${suggestion}'?` : ''}`, suggestion ? { suggestion: { span: tableWord.span, text: suggestion } } : {});
        table = undefined;
      }
    }
    // `iptables -V` and `iptables -h` need no command.
    if (!rule.command && rule.items.some((it) => isBuiltin(it) && (it.spec.id === 'version' || it.spec.id === 'help'))) {
      for (let i = rule.problems.length - 1; i >= 0; i--) if (rule.problems[i].kind === 'missing-command') rule.problems.splice(i, 1);
    }
    const inert = certainty === 'inert' || table === undefined;
    if (tableUnknown && certainty !== 'inert') this.external.set(family, this.external.get(family) ?? `a command on line ${line + 1} works on a table given by a shell expansion`);
    const b = this.builder(family, table, inert, span);
    const node: RuleLine = { kind: 'rule', line, span, words, rule, ...(certainty === 'conditional' ? { uncertain: true } : {}) };
    b.members.push(node);
    if (!this.commandStarts.has(span.start)) {
      this.commandStarts.add(span.start);
      this.commandSpans.push(span);
    }
    if (!ctx.repeated && !ctx.nested && certainty === 'certain') this.editable.push(span);
    if (!ctx.nested && certainty === 'certain') this.lastTopLevel = span;
    void head;
    if (inert || !table) return this.queryStatus(rule, family, table, true);
    return this.replay(rule, b, family, table, certainty, line);
  }

  /** What `-C`, `-L CHAIN`, `-S CHAIN`, `-N` tell a condition, from the tables built so far. */
  private queryStatus(rule: RuleSyntax, family: Family, table: TableName | undefined, skip: boolean): Status {
    if (skip || !table) return 'unknown';
    const cmd = rule.command;
    if (!cmd) return 'unknown';
    const chains = this.chainsOf(family, table);
    const chainName = cmd.chain && !cmd.chain.dynamic ? cmd.chain.text : undefined;
    const chain = chainName ? chains.get(chainName) : undefined;
    switch (cmd.id) {
      case 'check': {
        if (!chain || rule.dynamic) return chainName && !chain ? 'fail' : 'unknown';
        const key = ruleKey(rule, family, table);
        if (key === undefined) return 'unknown';
        if (chain.rules.some((r) => r.key === key && !r.conditional)) return 'ok';
        return chain.maybe || chain.rules.some((r) => r.conditional || r.key === undefined) ? 'unknown' : 'fail';
      }
      case 'list':
      case 'list-rules':
      case 'zero':
        if (!cmd.chain) return 'ok';
        if (!chainName) return 'unknown';
        return chain ? (chain.maybe ? 'unknown' : 'ok') : 'fail';
      default:
        return 'unknown';
    }
  }

  private chainsOf(family: Family, table: TableName): Map<string, LightChain> {
    const key = `${family}/${table}`;
    let chains = this.light.get(key);
    if (!chains) {
      chains = new Map();
      for (const c of BUILTIN_CHAINS[table]) chains.set(c, { builtin: true, maybe: false, clean: false, rules: [] });
      this.light.set(key, chains);
    }
    return chains;
  }

  private replay(rule: RuleSyntax, b: BlockBuilder, family: Family, table: TableName, certainty: Certainty, line: number): Status {
    const status = this.queryStatus(rule, family, table, false);
    const cmd = rule.command;
    if (!cmd) return status;
    const seq = ++this.seq;
    const key = b.key;
    const chains = this.chainsOf(family, table);
    const conditional = certainty === 'conditional';
    const uncertain = (why: string) => (b.uncertain ??= `${why} (line ${line + 1})`);
    if (cmd.chain?.dynamic) {
      if (cmd.id !== 'list' && cmd.id !== 'list-rules' && cmd.id !== 'check' && cmd.id !== 'zero') uncertain('a command works on a chain given by a shell expansion');
      return 'unknown';
    }
    const chainName = cmd.chain?.text;
    const chain = chainName !== undefined ? chains.get(chainName) : undefined;
    const needChain = () => {
      if (chainName === undefined || chain) return true;
      // Flushing, deleting or zeroing a chain that is not there only fails: scripts do it to
      // clean up after an earlier run, and nothing depends on it. Adding to it loses the rule.
      const cleanup = cmd.id === 'flush' || cmd.id === 'delete-chain' || cmd.id === 'delete' || cmd.id === 'zero';
      if (cmd.chain && !cleanup) this.missing.push({ key, name: chainName, word: cmd.chain, seq, builder: b, jump: false });
      return false;
    };
    const target = rule.target;
    if (target?.kind === 'chain' && (cmd.id === 'append' || cmd.id === 'insert' || cmd.id === 'replace')) {
      const arg = rule.items[target.item].args[0];
      if (arg?.dynamic) uncertain('a rule jumps to a target given by a shell expansion');
      else if (!chains.has(target.name) && !(STANDARD_VERDICTS as readonly string[]).includes(target.name))
        this.missing.push({ key, name: target.name, word: arg ?? { text: target.name, span: target.nameSpan, quoted: false }, seq, builder: b, jump: true });
    }
    const positional = (c: LightChain | undefined) => c?.rules.some((r) => r.conditional);
    switch (cmd.id) {
      case 'append':
      case 'insert': {
        if (!needChain() || !chain) return 'unknown';
        if (!chain.clean) uncertain(`rules are added to ${chainName}, which the script never empties first (iptables -F): it may still hold rules from before`);
        const entry = { key: rule.dynamic ? undefined : ruleKey(rule, family, table), conditional };
        const n = cmd.id === 'insert' && cmd.extra[0] ? Number(cmd.extra[0].text) : cmd.id === 'insert' ? 1 : undefined;
        if (cmd.extra[0]?.dynamic || (n !== undefined && n > 1 && positional(chain))) uncertain('a rule is inserted at a position that depends on conditional rules');
        if (n === undefined) chain.rules.push(entry);
        else chain.rules.splice(Math.max(0, Math.min(n - 1, chain.rules.length)), 0, entry);
        if (conditional && n !== undefined && n > 1) uncertain('a rule is inserted conditionally at a position');
        return 'unknown';
      }
      case 'new-chain': {
        if (chainName === undefined) return 'unknown';
        const list = this.created.get(`${key}/${chainName}`) ?? [];
        list.push({ seq, line });
        this.created.set(`${key}/${chainName}`, list);
        if (chain && !chain.maybe && !conditional) {
          this.problem('duplicate-chain', cmd.chain!.span, `Chain ${chainName} already exists here: iptables refuses to create it again ('Chain already exists')`);
          return 'fail';
        }
        if (conditional) uncertain('a chain is created conditionally');
        chains.set(chainName, { builtin: false, maybe: conditional, clean: true, rules: [] });
        return chain ? 'unknown' : 'ok';
      }
      case 'policy':
        if (!needChain()) return 'unknown';
        if (conditional) uncertain('a policy is set conditionally');
        return 'unknown';
      case 'flush':
        if (!needChain()) return 'unknown';
        if (conditional) uncertain('a chain is flushed conditionally');
        for (const c of chain ? [chain] : chains.values()) {
          c.rules = [];
          if (!conditional) c.clean = true;
        }
        return 'unknown';
      case 'delete-chain':
        if (!needChain()) return 'unknown';
        if (conditional) uncertain('a chain is deleted conditionally');
        for (const [n, c] of [...chains]) {
          if (c.builtin || (chainName !== undefined && n !== chainName)) continue;
          chains.delete(n);
          const list = this.deleted.get(`${key}/${n}`) ?? [];
          list.push({ seq, line });
          this.deleted.set(`${key}/${n}`, list);
        }
        return 'unknown';
      case 'rename-chain': {
        if (!needChain() || !chain) return 'unknown';
        if (conditional) uncertain('a chain is renamed conditionally');
        const newName = cmd.extra[0];
        if (!newName || newName.dynamic) return 'unknown';
        chains.delete(chainName!);
        chains.set(newName.text, chain);
        const list = this.created.get(`${key}/${newName.text}`) ?? [];
        list.push({ seq, line });
        this.created.set(`${key}/${newName.text}`, list);
        return 'unknown';
      }
      case 'delete': {
        if (!needChain() || !chain) return 'unknown';
        if (conditional || positional(chain)) uncertain('a rule is deleted where conditional rules make its position unknown');
        const n = cmd.extra[0] && /^\d+$/.test(cmd.extra[0].text) ? Number(cmd.extra[0].text) : undefined;
        if (cmd.extra[0]?.dynamic) uncertain('a rule number is given by a shell expansion');
        if (n !== undefined) chain.rules.splice(n - 1, 1);
        else {
          const k = rule.dynamic ? undefined : ruleKey(rule, family, table);
          if (k === undefined) uncertain('a rule given by shell expansions is deleted');
          const at = chain.rules.findIndex((r) => r.key === k);
          if (at !== -1) chain.rules.splice(at, 1);
        }
        return 'unknown';
      }
      case 'replace':
        if (!needChain()) return 'unknown';
        if (conditional || positional(chain)) uncertain('a rule is replaced where conditional rules make its position unknown');
        return 'unknown';
      case 'list':
      case 'list-rules':
      case 'zero':
      case 'check':
        // Queries: a missing chain makes them fail, which scripts use as a test.
        return status;
      default:
        return status;
    }
  }

  /**
   * Commands on chains that did not exist when they ran: an error when the chain is created
   * later (or was deleted before), a chain from elsewhere when the script never creates it
   * (unless the name looks like a typo of one it has).
   */
  private resolveMissing(): void {
    const externalDone = new Set<string>();
    for (const m of this.missing) {
      const created = this.created.get(`${m.key}/${m.name}`) ?? [];
      const deleted = this.deleted.get(`${m.key}/${m.name}`) ?? [];
      const later = created.find((c) => c.seq > m.seq);
      const before = deleted.filter((d) => d.seq < m.seq).pop();
      const what = m.jump ? `-j ${m.name}` : `chain ${m.name}`;
      if (before) {
        this.problem(m.jump ? 'unknown-target' : 'undeclared-chain', m.word.span, `Chain ${m.name} no longer exists here: -X deletes it on line ${before.line + 1}, so iptables refuses this command ('No chain/target/match by that name')`);
        continue;
      }
      if (later) {
        this.problem(m.jump ? 'unknown-target' : 'undeclared-chain', m.word.span, `Chain ${m.name} does not exist yet: it is created on line ${later.line + 1}, after this command, so iptables refuses it ('${m.jump ? `Chain '${m.name}' does not exist` : 'No chain/target/match by that name'}'). Create the chain (-N ${m.name}) before the rules that use it`);
        continue;
      }
      if (m.jump && !/^[A-Za-z0-9_.+-]+$/.test(m.name)) continue; // left to the load checks
      const chains = this.light.get(m.key);
      const known = [...(chains?.keys() ?? []), ...(m.jump ? STANDARD_VERDICTS : [])];
      const suggestion = closest(m.name, known);
      if (suggestion) {
        // Most likely a typo of a chain the script has: iptables refuses it.
        if (m.jump) continue; // the load checks report the unknown target with the suggestion
        this.problem('undeclared-chain', m.word.span, `Chain ${m.name} does not exist in the ${m.builder.table} table: iptables refuses this command ('No chain/target/match by that name'); did you mean '${suggestion}'?`, { suggestion: { span: m.word.span, text: suggestion } });
        continue;
      }
      // Never created here: the script works on a chain made elsewhere (a script it is part of).
      const id = `${m.key}/${m.name}`;
      if (externalDone.has(id)) continue;
      externalDone.add(id);
      const at = m.word.span;
      m.builder.external.push({ kind: 'chain', line: this.index.lineOf(at.start), span: { start: at.start, end: at.start }, nameWord: { text: m.name, span: at, quoted: false }, policyWord: { text: '-', span: { start: at.start, end: at.start }, quoted: false }, builtin: false });
      m.builder.uncertain ??= `the script uses ${what === `chain ${m.name}` ? `chain ${m.name}` : `chain ${m.name}`}, which it never creates (line ${this.index.lineOf(at.start) + 1}): its rules come from elsewhere`;
    }
  }

  // -------------------------------------------------------------- iptables-restore

  private restore(cmd: SimpleCommand, args: readonly Word[], family: Family, ctx: Ctx, certainty: Certainty): Status {
    this.commands++;
    const heredoc = cmd.redirects.find((r) => r.heredoc && (r.op === '<<' || r.op === '<<-'));
    const noflush = args.some((a) => a.text === '-n' || a.text === '--noflush' || /^-[a-z]*n/.test(a.text));
    const line = this.index.lineOf(cmd.span.start);
    if (!heredoc?.heredoc) {
      if (certainty !== 'inert') this.external.set(family, this.external.get(family) ?? `iptables-restore on line ${line + 1} loads rules from a file`);
      return 'unknown';
    }
    this.restoreBody(heredoc, family, certainty, noflush, line, ctx.scope);
    return 'unknown';
  }

  /** The here-document of `iptables-restore <<EOF`, read as a rules file with ranges into the script. */
  private restoreBody(r: Redirect, family: Family, certainty: Certainty, noflush: boolean, line: number, scope: Scope): void {
    const body = r.heredoc!.body;
    // The same offsets as the script: everything outside the body becomes newlines.
    const masked = '\n'.repeat(body.start) + this.text.slice(body.start, body.end) + '\n'.repeat(this.text.length - body.end);
    const tree = parseDump(masked, { family });
    const inside = (n: LineNode) => n.span.start >= body.start && n.span.end <= body.end && n.kind !== 'blank';
    // In an unquoted here-document, `$` and backticks are expansions: such words are not judged.
    const expansions: number[] = [];
    if (!r.heredoc!.quoted) for (let i = body.start; i < body.end; i++) if (this.text[i] === '$' || this.text[i] === '`') expansions.push(i);
    const fix = (n: LineNode): LineNode => {
      const lineNo = this.index.lineOf(n.span.start);
      if (n.kind !== 'rule') return { ...n, line: lineNo } as LineNode;
      const dynamic = (w: Word) => expansions.some((e) => e >= w.span.start && e < w.span.end);
      if (!n.words.some(dynamic)) return { ...n, line: lineNo, ...(certainty === 'conditional' ? { uncertain: true } : {}) };
      const words = n.words.map((w) => (dynamic(w) ? this.heredocWord(w, scope) : w));
      const block = tree.blocks.find((b) => b.rules.includes(tree.lines.indexOf(n)));
      const rule = parseRule(words, { family: block?.family ?? family, table: block?.table, restore: true, span: n.span });
      return { ...n, line: lineNo, words, rule, ...(certainty === 'conditional' ? { uncertain: true } : {}) };
    };
    for (const p of tree.problems) if (p.span.start >= body.start && p.span.start <= body.end) this.problems.push(p);
    const inBlock = new Set<number>();
    for (const blk of tree.blocks) {
      for (let i = blk.header; i <= blk.last; i++) inBlock.add(i);
      const header = fix(tree.lines[blk.header]) as TableLine;
      const inert = certainty === 'inert' || !blk.table;
      const key = inert ? `${blk.family}/-inert-restore-${this.order.length}` : `${blk.family}/${blk.table}`;
      const previous = this.builders.get(key);
      if (previous && !inert) {
        if (noflush || certainty === 'conditional') previous.uncertain ??= `iptables-restore on line ${line + 1} ${noflush ? 'adds to' : 'may replace'} this table`;
        else previous.replaced = true;
      }
      const b: BlockBuilder = { key, family: blk.family, table: inert ? undefined : blk.table, inert, header, members: [], external: [] };
      if (previous && !inert && (noflush || certainty === 'conditional')) b.uncertain = previous.uncertain;
      for (let i = blk.header + 1; i <= blk.last; i++) {
        const n = tree.lines[i];
        if (n.kind === 'blank') continue;
        b.members.push(fix(n));
        if (i === blk.commit) b.commitMember = b.members.length - 1;
      }
      this.builders.set(key, b);
      this.order.push(b);
      // The light model: the restored table's chains, for later commands.
      if (!inert && blk.table) {
        const chains = new Map<string, LightChain>();
        for (const c of BUILTIN_CHAINS[blk.table]) chains.set(c, { builtin: true, maybe: false, clean: true, rules: [] });
        for (const ci of blk.chains) {
          const cl = tree.lines[ci] as ChainLine;
          if (cl.nameWord && !chains.has(cl.nameWord.text)) chains.set(cl.nameWord.text, { builtin: false, maybe: false, clean: true, rules: [] });
        }
        for (const rl of b.members) {
          if (rl.kind !== 'rule') continue;
          const name = rl.rule.command?.chain?.text;
          if (name && rl.rule.command?.id === 'append') chains.get(name)?.rules.push({ key: rl.rule.dynamic ? undefined : ruleKey(rl.rule, blk.family, blk.table), conditional: certainty === 'conditional' });
        }
        this.light.set(key, chains);
      }
    }
    tree.lines.forEach((n, i) => {
      if (inBlock.has(i) || !inside(n)) return;
      if (n.kind === 'comment') this.comments.push(fix(n) as CommentLine);
      else this.loose.push(fix(n));
    });
  }

  /**
   * A word of an unquoted here-document with `$NAME` / `${NAME}` in it: the shell replaces them
   * before iptables-restore reads the line. Known values that restore reads as one word are
   * put in (each character mapping to where the value is written); anything else is dynamic.
   */
  private heredocWord(w: Word, scope: Scope): Word {
    const chars: string[] = [];
    const offsets: number[] = [];
    let dynamic = false;
    const at = (i: number) => (w.offsets ? w.offsets[i] : w.span.start + i);
    for (let i = 0; i < w.text.length; i++) {
      const c = w.text[i];
      const m = c === '$' ? /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/.exec(w.text.slice(i)) : null;
      const value = m ? this.lookup(m[1] ?? m[2], scope) : undefined;
      if (m && value && !/[\s"'\\]/.test(value.text)) {
        for (let k = 0; k < value.text.length; k++) {
          chars.push(value.text[k]);
          offsets.push(value.offsets[k] ?? at(i));
        }
        this.expansions.push({ start: at(i), end: at(i + m[0].length - 1) + 1 });
        i += m[0].length - 1;
        continue;
      }
      if (c === '$' || c === '`') {
        dynamic = true;
        this.expansions.push({ start: at(i), end: at(i) + 1 });
      }
      chars.push(c);
      offsets.push(at(i));
    }
    return { text: chars.join(''), span: w.span, quoted: w.quoted, offsets, ...(dynamic ? { dynamic: true } : {}) };
  }

  // -------------------------------------------------------------- the tree

  private assemble(): ScriptTree {
    const lines: LineNode[] = [];
    const blocks: TableBlock[] = [];
    const uncertain = new Map<number, string>();
    for (const b of this.order) {
      if (this.builders.get(b.key) !== b && !b.replaced) continue; // superseded entry
      const live = !b.inert && !b.replaced && b.table !== undefined;
      const header = live ? b.header : { ...b.header, table: undefined };
      lines.push(header);
      const headerIndex = lines.length - 1;
      const chains: number[] = [];
      const rules: number[] = [];
      let commit: number | undefined;
      for (const c of b.external) {
        lines.push(c);
        chains.push(lines.length - 1);
      }
      b.members.forEach((n, i) => {
        lines.push(n);
        if (n.kind === 'rule') rules.push(lines.length - 1);
        else if (n.kind === 'chain') chains.push(lines.length - 1);
        if (i === b.commitMember) commit = lines.length - 1;
      });
      const index = blocks.length;
      blocks.push({ header: headerIndex, table: live ? b.table : undefined, family: b.family, chains, rules, ...(commit !== undefined ? { commit } : {}), last: lines.length - 1 });
      if (!live) continue;
      // The table is known only when the script empties it: otherwise rules from before stay.
      const dirty = [...(this.light.get(b.key)?.entries() ?? [])].find(([, c]) => c.builtin && !c.clean);
      const stale = dirty ? `the script never empties the ${dirty[0]} chain of this table (iptables -F${b.table === 'filter' ? '' : ` -t ${b.table}`}): rules from before may still be in it` : undefined;
      const reason = b.uncertain ?? this.external.get(b.family) ?? this.external.get('all') ?? stale;
      if (reason) uncertain.set(index, reason);
    }
    lines.push(...this.loose);
    lines.push(...this.comments.sort((a, b) => a.span.start - b.span.start));
    // A problem found in every run of a loop is reported once.
    const seen = new Set<string>();
    const keyOf = (p: Problem) => `${p.kind}@${p.span.start}-${p.span.end}@${p.message}`;
    for (const p of this.problems) seen.add(keyOf(p));
    for (const n of lines) {
      if (n.kind !== 'rule') continue;
      const ps = n.rule.problems;
      for (let i = ps.length - 1; i >= 0; i--) {
        const k = keyOf(ps[i]);
        if (seen.has(k)) ps.splice(i, 1);
      }
      for (const p of ps) seen.add(keyOf(p));
    }
    return {
      text: this.text,
      index: this.index,
      lines,
      blocks,
      problems: this.problems,
      script: {
        commands: this.commands,
        commandSpans: this.commandSpans,
        uncertain,
        forwarding: this.forwarding,
        ...(this.forwardingUnknown ? { forwardingUnknown: this.forwardingUnknown } : {}),
        editable: this.editable,
        expansions: this.expansions,
        ...(this.lastTopLevel ? { lastTopLevelCommand: this.lastTopLevel } : {}),
      },
    };
  }
}

/** Shell pattern matching for `case`: `*`, `?`, `[...]`; everything else literal. */
function globMatch(pattern: string, text: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(re + '$').test(text);
  } catch {
    return false;
  }
}

/** `test` / `[` on known words; undefined when a word or the operator is not known. */
export function evaluateTestWords(args: ReadonlyArray<string | undefined>): boolean | undefined {
  if (args.length > 0 && args[0] === '!') {
    const r = evaluateTestWords(args.slice(1));
    return r === undefined ? undefined : !r;
  }
  // -a / -o (and [[ && || ]]): split on the lowest-precedence operator.
  for (const op of ['-o', '||', '-a', '&&']) {
    const at = args.indexOf(op);
    if (at > 0) {
      const a = evaluateTestWords(args.slice(0, at));
      const b = evaluateTestWords(args.slice(at + 1));
      if (op === '-o' || op === '||') return a === true || b === true ? true : a === false && b === false ? false : undefined;
      return a === false || b === false ? false : a === true && b === true ? true : undefined;
    }
  }
  if (args.length === 0) return false;
  if (args.some((a) => a === undefined)) return undefined;
  const w = args as readonly string[];
  if (w.length === 1) return w[0] !== '';
  if (w.length === 2) {
    if (w[0] === '-n') return w[1] !== '';
    if (w[0] === '-z') return w[1] === '';
    return undefined; // file tests and the like
  }
  if (w.length === 3) {
    const [a, op, b] = w;
    switch (op) {
      case '=':
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '-eq':
      case '-ne':
      case '-lt':
      case '-le':
      case '-gt':
      case '-ge': {
        if (!/^\s*-?\d+\s*$/.test(a) || !/^\s*-?\d+\s*$/.test(b)) return undefined;
        const x = Number(a);
        const y = Number(b);
        return op === '-eq' ? x === y : op === '-ne' ? x !== y : op === '-lt' ? x < y : op === '-le' ? x <= y : op === '-gt' ? x > y : x >= y;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Whether bash brace expansion applies: not when the shebang names a plain POSIX shell. */
function bracesByShebang(text: string): boolean {
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text);
  if (!m) return true;
  const shell = basename(m[1]) === 'env' ? (m[2] ?? '') : basename(m[1]);
  return !/^(sh|dash|ash|posh)$/.test(shell);
}

export function parseScript(text: string, options: ScriptOptions = {}): ScriptTree {
  return new ScriptReader(text, { braceExpansion: options.braceExpansion ?? bracesByShebang(text) }).read();
}

void literalText;

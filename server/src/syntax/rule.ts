// Parses the words of one iptables command (a rule line of a dump, or `iptables ...` in a
// script) the way iptables does: getopt_long over the built-in options plus the options of
// every extension loaded so far (newest first), abbreviations included; `!` before an
// option negates it; an unknown option after `-p tcp` loads the tcp match implicitly.
// The result keeps every word's range, so each problem points at the word responsible.

import { BUILTIN_OPTIONS, BuiltinId, BuiltinOption, BUILTIN_BY_SHORT, STANDARD_VERDICTS } from '../catalogue/builtin';
import { allMatches, findMatch, findTarget, matchNames, otherFamilyExtension, targetNames } from '../catalogue';
import {
  ExtensionProblem,
  Family,
  MatchModule,
  OptionSpec,
  ParsedExtension,
  ParsedOption,
  RuleContext,
  TableName,
  TargetSpec,
  ValueResult,
} from '../catalogue/types';
import { protocol, protocolDbName, protocolNumber, ProtocolValue } from '../catalogue/values';
import { closest } from '../catalogue/suggest';
import { Problem, ProblemFix } from './problems';
import { Span, spanCovering } from './text';
import { plainWord, sliceWord, subSpan, Word } from './words';

export type OptionOwner = { readonly kind: 'builtin' } | { readonly kind: 'match'; readonly instance: number } | { readonly kind: 'target' };

export interface OptionItem {
  readonly owner: OptionOwner;
  readonly spec: OptionSpec | BuiltinOption;
  /** The option as written: `--dport`, `--destination-port`, `--dp`, `-p`. */
  readonly written: string;
  /** Span of the option name itself. */
  readonly nameSpan: Span;
  /** Span of a `!` that negates the option. */
  readonly negation?: Span;
  /** `-d ! 1.2.3.4`: the old position of `!`, which current iptables refuses. */
  readonly legacyNegation?: Span;
  readonly args: Word[];
  /** Parse result per argument; undefined when the argument is missing or dynamic. */
  results: (ValueResult | undefined)[];
  /** From the first `!` or option name to the last argument. */
  readonly span: Span;
}

export const isBuiltin = (item: OptionItem): item is OptionItem & { spec: BuiltinOption } => item.owner.kind === 'builtin';

export interface MatchInstance {
  readonly name: string;
  /** Undefined for a module the catalogue does not know. */
  readonly module?: MatchModule;
  /** The `-m` item that loaded it; undefined when `-p` loaded it implicitly. */
  readonly loadItem?: number;
  readonly nameSpan: Span;
  readonly options: number[];
}

export interface TargetInstance {
  readonly name: string;
  /** `verdict` for ACCEPT/DROP/RETURN/QUEUE, `extension` for a catalogue target, `chain` otherwise. */
  readonly kind: 'verdict' | 'extension' | 'chain';
  readonly spec?: TargetSpec;
  readonly goto: boolean;
  readonly item: number;
  readonly nameSpan: Span;
  readonly options: number[];
}

export interface CommandInfo {
  readonly id: BuiltinId;
  readonly item: number;
  readonly chain?: Word;
  /** Words the command takes after the chain: rule number, new name, policy. */
  readonly extra: Word[];
}

export interface RuleSyntax {
  readonly words: readonly Word[];
  readonly items: OptionItem[];
  readonly command?: CommandInfo;
  readonly matches: MatchInstance[];
  readonly target?: TargetInstance;
  /** The rule's protocol (`-p`), when given and valid. */
  readonly protocol?: { readonly name: string; readonly number: number; readonly negated: boolean };
  readonly problems: Problem[];
  /** Some word is a shell expansion: values were not judged. */
  readonly dynamic: boolean;
}

export interface RuleParseContext {
  readonly family: Family;
  /** The table of the enclosing `*table` block (restore) or `-t` (scripts). */
  readonly table?: TableName;
  /** iptables-restore refuses `-t` and some commands on rule lines. */
  readonly restore: boolean;
  /** The whole line or command, for problems about it as a whole (an empty line has no words). */
  readonly span?: Span;
  /** Re-reading a rule to try a fix: report problems only, offer no fixes. */
  readonly trial?: boolean;
}

/**
 * The match iptables loads implicitly for `-p NAME` (its find_proto): the protocol as written,
 * lower-cased, or for a number its /etc/protocols name; ICMPv6's names load `icmp6`.
 * So `-p 108` loads ipcomp but `-p ipv6-mh` does not load mh (only `-p mh` does).
 */
function implicitMatchName(written: string): string {
  const lower = written.toLowerCase();
  const name = /^\d+$/.test(lower) ? (protocolDbName(Number(lower)) ?? lower) : lower;
  return name === 'icmpv6' || name === 'ipv6-icmp' ? 'icmp6' : name;
}

/** Builtin options iptables refuses with the rule-changing commands ("Illegal option ... with this command"). */
const ILLEGAL_WITH_RULE_COMMANDS: ReadonlySet<BuiltinId> = new Set(['numeric', 'exact', 'line-numbers']);
const RULE_COMMANDS: ReadonlySet<BuiltinId> = new Set(['append', 'insert', 'delete', 'replace', 'check']);

interface OptionEntry {
  readonly owner: OptionOwner;
  readonly spec: OptionSpec;
}

const BUILTIN_ENTRIES: readonly OptionEntry[] = BUILTIN_OPTIONS.map((spec) => ({ owner: { kind: 'builtin' }, spec }));

interface Loaded {
  readonly owner: OptionOwner;
  readonly options: readonly OptionSpec[];
  /** Unknown module: words after it are taken as its options without judging them. */
  readonly unknown?: boolean;
}

class RuleParser {
  readonly items: OptionItem[] = [];
  readonly problems: Problem[] = [];
  readonly matches: MatchInstance[] = [];
  /** Newest first, as iptables merges option tables. */
  private readonly loaded: Loaded[] = [];
  private table?: OptionEntry[];
  private target?: TargetInstance;
  private command?: CommandInfo;
  private protocolName?: string;
  private protocolCanonical?: string;
  private protocolUsed = false;
  private pendingNegation?: Span;
  private dynamic = false;
  /** Options written before `-p`: fixed at the end, once the protocol's item is known. */
  private readonly beforeProtocol: Array<{ problem: number; at: number; protocols: readonly string[] }> = [];
  private pos = 0;

  constructor(
    private readonly words: readonly Word[],
    private readonly ctx: RuleParseContext,
  ) {}

  parse(): RuleSyntax {
    while (this.pos < this.words.length) this.step();
    if (this.pendingNegation) this.problem('dangling-negation', this.pendingNegation, "'!' at the end of the rule negates nothing: put it before the option it should negate");
    this.parseValues();
    this.moveProtocolFixes();
    const protocol = this.protocolInfo();
    const syntax: RuleSyntax = {
      words: this.words,
      items: this.items,
      command: this.command,
      matches: this.matches,
      target: this.target,
      protocol,
      problems: this.problems,
      dynamic: this.dynamic,
    };
    this.checkNeverMatchingProtocol(protocol);
    this.checkExtensions(syntax);
    this.checkCommand();
    this.tryFixes();
    return syntax;
  }

  /**
   * Keeps only the fixes that work: the rule, read again with the fix applied, has fewer
   * problems of the fixed kind and no more of any other (adding `-m recent` for a lone
   * `--name` would still leave the rule without --set or --rcheck, say).
   */
  private tryFixes(): void {
    if (this.ctx.trial) return;
    const count = (ps: readonly Problem[]) => {
      const m = new Map<string, number>();
      for (const p of ps) m.set(p.kind, (m.get(p.kind) ?? 0) + 1);
      return m;
    };
    let before: Map<string, number> | undefined;
    this.problems.forEach((p, i) => {
      if (!p.fixes?.length) return;
      before ??= count(this.problems);
      const works = (fix: ProblemFix) => {
        const words = this.wordsWith(fix.edits);
        if (!words) return true; // not a change of whole words: cannot be tried here
        const after = count(parseRule(words, { ...this.ctx, trial: true }).problems);
        if ((after.get(p.kind) ?? 0) >= before!.get(p.kind)!) return false;
        return [...after].every(([kind, n]) => kind === p.kind || n <= (before!.get(kind) ?? 0));
      };
      this.problems[i] = { ...p, fixes: p.fixes.filter(works) };
    });
  }

  /** The rule's words with edits applied, when every edit inserts, deletes or replaces whole words. */
  private wordsWith(edits: ProblemFix['edits']): Word[] | undefined {
    const out: Word[] = [];
    const used = new Set<number>();
    const words = (text: string, at: number) => {
      const quoted = /^"([^"]*)"$/.exec(text.trim());
      return quoted ? [plainWord(quoted[1], at)] : text.split(/[ \t]+/).filter(Boolean).map((t) => plainWord(t, at));
    };
    for (const w of this.words) {
      let keep = true;
      edits.forEach((e, i) => {
        if (e.span.start === e.span.end && e.span.start === w.span.start) {
          out.push(...words(e.text, w.span.start));
          used.add(i);
        } else if (e.span.start < e.span.end && w.span.start >= e.span.start && w.span.end <= e.span.end) {
          keep = false;
          if (w.span.start === e.span.start) out.push(...words(e.text, w.span.start));
          used.add(i);
        }
      });
      if (keep) out.push(w);
    }
    return used.size === edits.length ? out : undefined;
  }

  private problem(kind: string, span: Span, message: string, extra: Partial<Problem> = {}): void {
    this.problems.push({ kind, span, message, ...extra });
  }

  /** Adds fixes to the problem last reported. */
  private addFixes(fixes: readonly ProblemFix[]): void {
    if (fixes.length === 0 || this.ctx.trial) return;
    const last = this.problems.length - 1;
    this.problems[last] = { ...this.problems[last], fixes: [...(this.problems[last].fixes ?? []), ...fixes] };
  }

  /** The span that removes `span` from the line with the blank that separates it from a neighbour. */
  private removal(span: Span): Span {
    const next = this.words.find((w) => w.span.start >= span.end);
    if (next) return { start: span.start, end: next.span.start };
    const prev = [...this.words].reverse().find((w) => w.span.end <= span.start);
    return prev ? { start: prev.span.end, end: span.end } : span;
  }

  /** Whether `span` starts and ends on word boundaries (not part of `-nv` or `-tnat`). */
  private isWholeWords(span: Span): boolean {
    return this.words.some((w) => w.span.start === span.start) && this.words.some((w) => w.span.end === span.end);
  }

  /**
   * Fixes that add `-p P` at `at`: one safe, preferred fix when one
   * protocol fits, else the two likeliest as unsafe choices (the reader has to pick).
   */
  private protocolInsertions(at: number, protocols: readonly string[], what: string): ProblemFix[] {
    const preference = ['tcp', 'udp', 'sctp', 'dccp', 'udplite'];
    const rank = (name: string) => (preference.includes(name) ? preference.indexOf(name) : preference.length);
    const numbers = new Set<number | undefined>();
    const sorted = [...protocols].sort((a, b) => rank(a) - rank(b)).filter((p) => !numbers.has(protocolNumber(p)) && !!numbers.add(protocolNumber(p)));
    const single = sorted.length === 1;
    return sorted.slice(0, 2).map((p) => ({
      title: `Add '-p ${p}' before ${what}`,
      edits: [{ span: { start: at, end: at }, text: `-p ${p} ` }],
      safety: single ? 'safe' : 'unsafe',
      ...(single ? { preferred: true } : {}),
      effect: { kind: 'load' },
    }));
  }

  /**
   * Fixes that load the module an option belongs to (`-m conntrack` before `--ctstate`):
   * safe when one module has the option and it needs no protocol the rule lacks.
   */
  private moduleInsertions(at: number, owners: readonly MatchModule[], written: string): ProblemFix[] {
    const usable = owners.filter((m) => !m.protocols || (this.protocolCanonical !== undefined && m.protocols.some((p) => protocolNumber(p) === protocolNumber(this.protocolCanonical!))));
    if (usable.length !== owners.length) return [];
    const single = usable.length === 1;
    return usable.slice(0, 2).map((m) => ({
      title: `Add '-m ${m.name}' before ${written}`,
      edits: [{ span: { start: at, end: at }, text: `-m ${m.name} ` }],
      safety: single ? 'safe' : 'unsafe',
      ...(single ? { preferred: true } : {}),
      effect: { kind: 'load' },
    }));
  }

  /** `--dport 22 -p tcp`: move the protocol (with its `!`, if any) in front of the first option that needs it. */
  private moveProtocolFixes(): void {
    for (const { problem, at, protocols } of this.beforeProtocol) {
      const item = this.items.find((it) => isBuiltin(it) && it.spec.id === 'protocol' && it.span.start > at);
      const result = item?.results[0];
      if (!item || !result?.ok || item.negation) continue;
      if (!protocols.some((p) => protocolNumber(p) === (result.value as ProtocolValue).number)) continue;
      const text = `${item.negation ? '! ' : ''}${item.written} ${item.args[0].text}`;
      const fix: ProblemFix = {
        title: `Move '${text}' in front of ${this.words.find((w) => w.span.start === at)?.text ?? 'the option'}`,
        edits: [
          { span: { start: at, end: at }, text: text + ' ' },
          { span: this.removal(item.span), text: '' },
        ],
        safety: 'safe',
        preferred: true,
        effect: { kind: 'load' },
      };
      this.problems[problem] = { ...this.problems[problem], fixes: [fix] };
    }
  }

  // ------------------------------------------------------------------ words

  private step(): void {
    const word = this.words[this.pos];
    if (word.dynamic && !word.text.startsWith('-')) {
      // A shell expansion may stand for any number of options; skip it without judging.
      this.dynamic = true;
      this.pos++;
      return;
    }
    if (word.text === '!') {
      if (this.pendingNegation) this.problem('stray-argument', word.span, "Two '!' in a row: iptables allows only one");
      this.pendingNegation = word.span;
      this.pos++;
      return;
    }
    if (word.text.startsWith('--') && word.text.length > 2) {
      this.pos++;
      this.longOption(word);
      return;
    }
    if (word.text.startsWith('-') && word.text.length > 1) {
      this.pos++;
      this.shortOptions(word);
      return;
    }
    this.pos++;
    this.strayWord(word);
  }

  private strayWord(word: Word): void {
    if (word.text.startsWith('#')) {
      // iptables-restore only knows comments that start in the first column; the rest of
      // the line would be read as arguments, so report it once.
      const last = this.words[this.words.length - 1];
      this.problem('stray-argument', spanCovering(word.span, last.span), "A comment must start in the first column of its own line: iptables-restore reads this '#' as an argument");
      this.pos = this.words.length;
      return;
    }
    const prev = this.items[this.items.length - 1];
    const hint = prev && prev.args.length > 0 && prev.span.end <= word.span.start
        ? `: '${prev.written}' takes ${prev.spec.args.length === 1 ? 'one value' : `${prev.spec.args.length} values`}; quote the value if it contains spaces`
        : '';
    this.problem('stray-argument', word.span, `Unexpected word '${word.text}'${hint}`);
    if (prev) this.addFixes(this.quoteComment(prev, word));
    this.pendingNegation = undefined;
  }

  /** `--comment allow ssh`: the words after the comment were meant to be part of it. */
  private quoteComment(item: OptionItem, word: Word): ProblemFix[] {
    const arg = item.args[0];
    if (!item.spec.names.includes('--comment') || item.args.length !== 1 || !arg || arg.dynamic) return [];
    const first = this.words.indexOf(arg);
    const run: Word[] = [];
    for (let i = first + 1; i < this.words.length; i++) {
      const w = this.words[i];
      if (w.dynamic || w.text.startsWith('-') || w.text === '!' || w.text.startsWith('#')) break;
      run.push(w);
    }
    if (!run.includes(word)) return [];
    const parts = [arg, ...run];
    // Only plain words: a quoted or escaped one would need its quoting redone.
    if (parts.some((w) => w.span.end - w.span.start !== w.text.length || /["'\\]/.test(w.text))) return [];
    const text = parts.map((w) => w.text).join(' ');
    if (text.length > 255) return [];
    return [{ title: `Quote the comment: "${text}"`, edits: [{ span: { start: arg.span.start, end: run[run.length - 1].span.end }, text: `"${text}"` }], safety: 'safe', preferred: true, effect: { kind: 'load' } }];
  }

  private longOption(word: Word): void {
    const eq = word.text.indexOf('=');
    const written = eq === -1 ? word.text : word.text.slice(0, eq);
    const glued = eq === -1 ? undefined : sliceWord(word, eq + 1);
    const nameSpan = subSpan(word, 0, written.length);
    const found = this.resolveLong(written, nameSpan);
    if (!found) {
      this.skipUnknownOptionArgs(glued);
      return;
    }
    this.takeOption(found.owner, found.spec, written, nameSpan, glued);
  }

  private shortOptions(word: Word): void {
    for (let i = 1; i < word.text.length; i++) {
      const letter = word.text[i];
      const spec = BUILTIN_BY_SHORT.get(letter);
      const nameSpan = subSpan(word, i - 1 === 0 ? 0 : i, i + 1);
      if (!spec) {
        const looksNumeric = /^-\d/.test(word.text);
        this.problem(
          'unknown-option',
          i === 1 ? word.span : nameSpan,
          looksNumeric ? `Unexpected negative number '${word.text}'` : `Unknown option '-${letter}'${i > 1 ? ` in '${word.text}'` : ''}`,
        );
        this.pendingNegation = undefined;
        return;
      }
      const takesArg = spec.args.length > 0;
      if (takesArg) {
        const rest = i + 1 < word.text.length ? sliceWord(word, i + 1) : undefined;
        this.takeOption({ kind: 'builtin' }, spec, '-' + letter, subSpan(word, 0, i + 1), rest);
        return;
      }
      this.takeOption({ kind: 'builtin' }, spec, '-' + letter, i === 1 ? subSpan(word, 0, 2) : nameSpan, undefined);
    }
  }

  /** Finds a long option as getopt_long would: exact name first, then a unique prefix. */
  private resolveLong(written: string, nameSpan: Span): OptionEntry | undefined {
    for (;;) {
      const table = this.optionTable();
      const exact = table.find((e) => e.spec.names.includes(written));
      if (exact) return exact;
      const prefixed = table.filter((e) => e.spec.names.some((n) => n.startsWith(written)));
      const distinct = [...new Set(prefixed.map((e) => e.spec))];
      if (distinct.length === 1) return prefixed[0];
      if (this.loadProtocolMatch()) continue;
      if (this.loaded.some((l) => l.unknown)) return undefined; // options of a module we do not know
      if (distinct.length > 1) {
        const names = distinct.map((s) => s.names.find((n) => n.startsWith(written))!);
        this.problem('unknown-option', nameSpan, `'${written}' is ambiguous (${names.join(', ')}): iptables refuses unclear abbreviations, write the option in full`);
      } else {
        this.unknownLongOption(written, nameSpan);
      }
      this.pendingNegation = undefined;
      return undefined;
    }
  }

  /** Built-in options first, then the loaded extensions' options, newest first; rebuilt only when a module loads. */
  private optionTable(): ReadonlyArray<OptionEntry> {
    if (this.table) return this.table;
    const table: OptionEntry[] = [...BUILTIN_ENTRIES];
    for (const l of this.loaded) for (const spec of l.options) if (!spec.family || spec.family === this.ctx.family) table.push({ owner: l.owner, spec });
    return (this.table = table);
  }

  /** iptables loads the match named after the protocol when an option is not recognised. */
  private loadProtocolMatch(): boolean {
    if (!this.protocolName || this.protocolUsed) return false;
    const module = findMatch(implicitMatchName(this.protocolName), this.ctx.family);
    if (!module) return false;
    this.protocolUsed = true;
    const protoItem = this.items.find((it) => isBuiltin(it) && it.spec.id === 'protocol');
    this.addMatch(module.name, module, undefined, protoItem?.span ?? { start: 0, end: 0 });
    return true;
  }

  private unknownLongOption(written: string, nameSpan: Span): void {
    const owners = allMatches().filter((m) => m.families.includes(this.ctx.family) && m.options.some((o) => o.names.includes(written)));
    if (owners.length > 0) {
      // Modules that `-p P` loads by itself (tcp for -p tcp, icmp6 for -p icmpv6).
      const protocolOf = (m: MatchModule) => m.protocols?.find((p) => implicitMatchName(p) === m.name);
      const protocolModules = owners.filter((m) => protocolOf(m) !== undefined);
      const laterProtocol = this.words.slice(this.pos).some((w) => w.text === '-p' || w.text === '--protocol' || w.text.startsWith('-p'));
      const preference = ['tcp', 'udp', 'sctp', 'dccp', 'udplite'];
      const rank = (name: string) => (preference.includes(name) ? preference.indexOf(name) : preference.length);
      const protos = protocolModules.map((m) => protocolOf(m)!).sort((a, b) => rank(a) - rank(b));
      const alternatives = protos.length > 1 ? ` (or ${protos.slice(1).map((p) => '-p ' + p).join(', ')})` : '';
      let message: string;
      // Where a missing -p or -m goes: before the option, or before its '!'.
      const at = (this.pendingNegation ?? nameSpan).start;
      let fixes: ProblemFix[] = [];
      if (protos.length > 0 && laterProtocol && !this.protocolName) {
        message = `'${written}' comes before -p: iptables reads options left to right, so move -p ${protos[0]} in front of it`;
        this.beforeProtocol.push({ problem: this.problems.length, at, protocols: protos });
      } else if (protos.length > 0 && !this.protocolName) {
        message = `'${written}' needs a protocol first: add -p ${protos[0]}${alternatives} before it`;
        fixes = this.protocolInsertions(at, protos, written);
      } else if (protos.length > 0) message = `'${written}' does not exist for -p ${this.protocolName}: it is an option of -p ${protos.join(', -p ')}`;
      else {
        const names = owners.map((m) => m.name);
        message = `'${written}' belongs to the ${names.join(' / ')} match: load it first with -m ${names[0]}`;
        fixes = this.moduleInsertions(at, owners, written);
      }
      this.problem('option-without-module', nameSpan, message);
      this.addFixes(fixes);
      return;
    }
    const otherFamily: Family = this.ctx.family === 'ipv4' ? 'ipv6' : 'ipv4';
    const foreign = allMatches().find((m) => !m.families.includes(this.ctx.family) && m.families.includes(otherFamily) && m.options.some((o) => o.names.includes(written)));
    if (foreign) {
      const tool = otherFamily === 'ipv4' ? 'iptables (IPv4)' : 'ip6tables (IPv6)';
      this.problem('family-mismatch', nameSpan, `'${written}' belongs to the ${foreign.name} match, which exists only in ${tool}${written === '--icmp-type' ? ': for IPv6 write -p ipv6-icmp --icmpv6-type' : ''}`);
      return;
    }
    const candidates = this.optionTable().flatMap((e) => e.spec.names);
    const suggestion = closest(written, candidates);
    const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
    this.problem('unknown-option', nameSpan, `Unknown option '${written}'${hint}`, suggestion ? { suggestion: { span: nameSpan, text: suggestion } } : {});
  }

  /** After an option we could not identify, skip its likely arguments so they are not reported too. */
  private skipUnknownOptionArgs(glued: Word | undefined): void {
    if (glued) return;
    while (this.pos < this.words.length && !this.words[this.pos].text.startsWith('-') && this.words[this.pos].text !== '!') this.pos++;
  }

  // ------------------------------------------------------------------ options

  private takeOption(owner: OptionOwner, spec: OptionSpec | BuiltinOption, written: string, nameSpan: Span, glued: Word | undefined): void {
    const negation = this.pendingNegation;
    this.pendingNegation = undefined;
    const args: Word[] = [];
    let legacyNegation: Span | undefined;
    const builtin = owner.kind === 'builtin' ? (spec as BuiltinOption) : undefined;
    if (spec.args.length > 0) {
      if (glued) args.push(glued);
      else if (spec.optionalArg) {
        const next = this.words[this.pos];
        const looksAhead = spec.optionalArg === 'next-word' || builtin?.command;
        if (looksAhead && next && !next.text.startsWith('-') && next.text !== '!') args.push(this.words[this.pos++]);
      } else {
        const next = this.words[this.pos];
        if (next?.text === '!' && spec.args.length === 1 && this.words[this.pos + 1] && !this.words[this.pos + 1].text.startsWith('-')) {
          legacyNegation = next.span;
          this.pos++;
        }
        if (this.pos < this.words.length) args.push(this.words[this.pos++]);
      }
      // Further arguments (e.g. the second of --tcp-flags) must not look like options.
      while (args.length > 0 && args.length < spec.args.length) {
        const next = this.words[this.pos];
        if (!next || next.text.startsWith('-') || next.text === '!') break;
        args.push(this.words[this.pos++]);
      }
    }
    const last = args.length ? args[args.length - 1].span : nameSpan;
    const start = negation ?? nameSpan;
    const item: OptionItem = {
      owner,
      spec,
      written,
      nameSpan,
      negation: negation ?? legacyNegation,
      legacyNegation,
      args,
      results: [],
      span: spanCovering(start, last),
    };
    this.items.push(item);
    const index = this.items.length - 1;
    this.attach(item, index);
    this.checkArity(item);
    if (negation && !spec.negatable) {
      const message =
        builtin?.id === 'jump' || builtin?.id === 'goto'
          ? `'!' cannot negate ${written}: a rule's target is not a condition`
          : `${written} cannot be negated with '!'`;
      this.problem('not-negatable', negation, message);
    }
    if (legacyNegation) {
      const fixed = `! ${written} ${args[0]?.text ?? ''}`.trim();
      this.problem('legacy-negation', spanCovering(nameSpan, last), `'${written} ! ${args[0]?.text ?? ''}' is the old way to negate, which iptables no longer accepts: write '${fixed}'`, {
        suggestion: { span: spanCovering(nameSpan, last), text: fixed, title: `Rewrite as '${fixed}'` },
      });
    }
    if (spec.removed) this.problem('removed-extension', nameSpan, `${written} no longer exists: ${spec.removed}`);
    if (builtin) this.builtinEffects(builtin, item, index);
  }

  private checkArity(item: OptionItem): void {
    const need = item.spec.args.length;
    if (item.args.length >= need || item.spec.optionalArg) return;
    const what = item.spec.args[item.args.length]?.name ?? 'value';
    const message =
      need > 1 && item.args.length > 0
        ? `${item.written} takes ${need} values, only ${item.args.length} given (next: ${what})`
        : `${item.written} needs a value (${what})`;
    this.problem('missing-argument', item.nameSpan, message);
  }

  /** Records which module instance an option belongs to and refuses repeats. */
  private attach(item: OptionItem, index: number): void {
    const owner = item.owner;
    let siblings: number[] | undefined;
    if (owner.kind === 'match') siblings = this.matches[owner.instance].options;
    else if (owner.kind === 'target') siblings = this.target?.options;
    if (siblings) {
      const previous = siblings.find((i) => this.items[i].spec === item.spec);
      if (previous !== undefined && !item.spec.repeatable) this.duplicate(item, this.items[previous]);
      siblings.push(index);
      return;
    }
    const builtin = item.spec as BuiltinOption;
    const previous = this.items.slice(0, index).find((it) => isBuiltin(it) && it.spec.id === builtin.id);
    if (previous && builtin.id !== 'match') this.duplicate(item, previous);
  }

  private duplicate(item: OptionItem, previous: OptionItem): void {
    const name = item.spec.names[0];
    const extra =
      name === '--dport' || name === '--sport'
        ? ` (to match several ports use -m multiport --${name.slice(2)}s a,b,c)`
        : item.owner.kind === 'builtin'
          ? ''
          : ' in one module instance';
    this.problem('duplicate-option', item.nameSpan, `${item.written} is given twice: iptables allows it only once${extra}`, {
      related: [{ span: previous.nameSpan, message: 'first given here' }],
    });
  }

  private builtinEffects(spec: BuiltinOption, item: OptionItem, index: number): void {
    const arg = item.args[0];
    switch (spec.id) {
      case 'match':
        if (arg) this.loadMatch(arg, index);
        return;
      case 'jump':
      case 'goto':
        if (arg) this.setTarget(arg, index, spec.id === 'goto');
        return;
      case 'protocol': {
        const parsed = arg && !arg.dynamic ? protocol.parse(arg.text, { family: this.ctx.family }) : undefined;
        // As written (for the implicit match) when valid; the canonical name goes to the grammars.
        this.protocolName = parsed?.ok ? arg!.text : undefined;
        this.protocolCanonical = parsed?.ok ? (parsed.value as ProtocolValue).name : undefined;
        this.protocolUsed = false;
        return;
      }
      case 'table':
        if (this.ctx.restore) {
          this.problem('table-option-in-restore', item.span, `-t cannot be used inside a dump: the table comes from the '*table' line above`);
          // Naming the block's own table, -t says nothing: remove it.
          if (arg && !arg.dynamic && arg.text === this.ctx.table && this.isWholeWords(item.span))
            this.addFixes([{ title: `Remove '${item.written} ${arg.text}'`, edits: [{ span: this.removal(item.span), text: '' }], safety: 'safe', preferred: true, effect: { kind: 'load' } }]);
        }
        return;
      default:
        if (spec.command) this.setCommand(spec, item, index);
    }
  }

  private addMatch(name: string, module: MatchModule | undefined, loadItem: number | undefined, nameSpan: Span): void {
    const instance = this.matches.length;
    this.matches.push({ name, module, loadItem, nameSpan, options: [] });
    this.loaded.unshift({ owner: { kind: 'match', instance }, options: module?.options ?? [], unknown: !module });
    this.table = undefined;
  }

  private loadMatch(arg: Word, index: number): void {
    if (arg.dynamic) {
      this.dynamic = true;
      this.addMatch(arg.text, undefined, index, arg.span);
      return;
    }
    const module = findMatch(arg.text, this.ctx.family);
    if (!module) {
      const other = otherFamilyExtension('match', arg.text, this.ctx.family);
      const suggestion = other ? undefined : closest(arg.text, matchNames(this.ctx.family));
      const message = other
        ? `The ${arg.text} match exists only in ${other.families.includes('ipv6') ? 'ip6tables' : 'iptables'}, not in ${this.ctx.family === 'ipv4' ? 'iptables (IPv4)' : 'ip6tables (IPv6)'}`
        : `Unknown match module '${arg.text}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`;
      this.problem('unknown-module', arg.span, message, suggestion ? { suggestion: { span: arg.span, text: suggestion } } : {});
    }
    this.addMatch(module?.name ?? arg.text, module, index, arg.span);
  }

  private setTarget(arg: Word, index: number, goto: boolean): void {
    if (this.target) return; // reported as a duplicate option
    const name = arg.text;
    const verdict = (STANDARD_VERDICTS as readonly string[]).includes(name);
    const spec = arg.dynamic ? undefined : findTarget(name, this.ctx.family);
    const kind = verdict ? 'verdict' : spec ? 'extension' : 'chain';
    if (arg.dynamic) this.dynamic = true;
    this.target = { name, kind, spec, goto, item: index, nameSpan: arg.span, options: [] };
    if (spec && !verdict) {
      this.loaded.unshift({ owner: { kind: 'target' }, options: spec.options });
      this.table = undefined;
    }
    if (goto && kind !== 'chain') {
      this.problem('goto-not-chain', arg.span, `-g (goto) needs a user-defined chain, not the target ${name}: use -j ${name}`);
      const item = this.items[index];
      const jump = item.written.startsWith('--') ? '--jump' : '-j';
      this.addFixes([{ title: `Use ${jump} ${name}`, edits: [{ span: item.nameSpan, text: jump }], safety: 'safe', preferred: true, effect: { kind: 'load' } }]);
    }
  }

  private setCommand(spec: BuiltinOption, item: OptionItem, index: number): void {
    if (this.command) {
      const first = this.items[this.command.item];
      this.problem('multiple-commands', item.nameSpan, `Only one command per line: ${first.written} and ${item.written} are both commands`);
      return;
    }
    const extra: Word[] = [];
    const next = () => this.words[this.pos];
    const takeIf = (pred: (w: Word) => boolean) => {
      const w = next();
      if (w && pred(w)) {
        extra.push(w);
        this.pos++;
        return true;
      }
      return false;
    };
    const isPlain = (w: Word) => !w.text.startsWith('-') && w.text !== '!';
    switch (spec.trailing) {
      case 'rulenum':
        if (item.args[0] && takeIf((w) => isPlain(w) && (spec.id !== 'delete' || /^\d+$/.test(w.text)))) {
          const w = extra[0];
          if (!w.dynamic && !/^[1-9]\d*$/.test(w.text)) this.problem('invalid-value', w.span, `Invalid rule number '${w.text}': rule numbers start at 1`);
        } else if (spec.id === 'replace') this.problem('missing-argument', item.nameSpan, `${item.written} needs a chain and a rule number`);
        break;
      case 'new-name':
        if (!takeIf(isPlain)) this.problem('missing-argument', item.nameSpan, `${item.written} needs the old and the new chain name`);
        break;
      case 'policy':
        if (!takeIf(isPlain)) this.problem('missing-argument', item.nameSpan, `${item.written} needs a chain and a policy (ACCEPT or DROP)`);
        break;
      default:
        break;
    }
    this.command = { id: spec.id, item: index, chain: item.args[0], extra };
  }

  // ------------------------------------------------------------------ values

  private protocolInfo(): RuleSyntax['protocol'] {
    const item = this.items.find((it) => isBuiltin(it) && it.spec.id === 'protocol');
    const result = item?.results[0];
    if (!item || !result?.ok) return undefined;
    const v = result.value as ProtocolValue;
    return { name: v.name, number: v.number, negated: !!item.negation };
  }

  private parseValues(): void {
    const protocol = this.protocolCanonical;
    for (const item of this.items) {
      item.results = item.args.map((arg, i) => {
        const grammar = item.spec.args[i];
        if (!grammar || arg.dynamic) return undefined;
        const result = grammar.parse(arg.text, { family: this.ctx.family, protocol });
        this.reportValue(item, arg, result);
        return result;
      });
    }
  }

  private reportValue(item: OptionItem, arg: Word, result: ValueResult): void {
    const problem = result.ok ? result.warning : result;
    if (!problem) return;
    const span = problem.at ? subSpan(arg, problem.at[0], problem.at[1]) : arg.span;
    const kind = problem.kind ?? (result.ok ? 'suspicious-value' : 'invalid-value');
    // A refused value's correction makes the file load; a warning's rewrite keeps what the
    // kernel reads (the same packets), which may not be what the writer meant: unsafe.
    const rewrite: ProblemFix | undefined =
      problem.suggestion !== undefined && result.ok ? { title: `Write '${problem.suggestion}'`, edits: [{ span, text: problem.suggestion }], safety: 'unsafe', effect: { kind: 'none' } } : undefined;
    const suggestion = problem.suggestion !== undefined && !result.ok ? { suggestion: { span, text: problem.suggestion } } : {};
    this.problem(kind, span, `${item.written}: ${problem.message}`, { ...suggestion, ...(rewrite ? { fixes: [rewrite] } : {}), ...(result.ok ? { severity: 'warning' as const } : {}) });
  }

  // ------------------------------------------------------------------ whole rule

  private checkExtensions(syntax: RuleSyntax): void {
    const rule = ruleContextOf(syntax, this.ctx);
    const protocol = syntax.protocol;
    this.matches.forEach((m) => {
      if (!m.module) return;
      const span = m.loadItem !== undefined ? this.items[m.loadItem].span : m.nameSpan;
      this.checkRemoved(m.module, span);
      this.checkProtocol(m.module.name, m.module.protocols, protocol, span, 'match');
      if (m.module.check) this.reportExtensionProblems(m.module.check(parsedExtensionOf(syntax, m.name, m.options), rule), span);
    });
    const t = this.target;
    if (t?.spec && t.kind === 'extension') {
      const span = this.items[t.item].span;
      this.checkRemoved(t.spec, span);
      this.checkProtocol(t.spec.name, t.spec.protocols, protocol, span, 'target');
      if (t.spec.check) this.reportExtensionProblems(t.spec.check(parsedExtensionOf(syntax, t.name, t.options), rule), span);
    }
  }

  private checkRemoved(ext: MatchModule | TargetSpec, span: Span): void {
    if (ext.removed) this.problem('removed-extension', span, `${ext.kind === 'match' ? `The ${ext.name} match` : `The ${ext.name} target`} no longer exists: ${ext.removed}`);
  }

  /** `! -p all` (or `! -p 0`) excludes every packet; iptables refuses such a rule. */
  private checkNeverMatchingProtocol(protocol: RuleSyntax['protocol']): void {
    if (!protocol || protocol.number !== 0 || !protocol.negated) return;
    const item = this.items.find((it) => isBuiltin(it) && it.spec.id === 'protocol')!;
    this.problem('invalid-value', item.span, `'! -p ${item.args[0]?.text}' excludes every protocol, so the rule could never match: iptables refuses it`);
  }

  private checkProtocol(name: string, protocols: readonly string[] | undefined, protocol: RuleSyntax['protocol'], span: Span, what: 'match' | 'target'): void {
    if (!protocols || this.dynamic) return;
    const ok = protocol && !protocol.negated && protocols.some((p) => protocolNumber(p) === protocol.number);
    if (ok) return;
    const need = protocols.map((p) => `-p ${p}`).join(' or ');
    const why = protocol?.negated ? `, and '! -p ${protocol.name}' does not count` : protocol ? `, not -p ${protocol.name}` : '';
    this.problem('protocol-required', span, `The ${name} ${what} only works in a rule with ${need}${why}`);
    if (!protocol && !this.items.some((it) => isBuiltin(it) && it.spec.id === 'protocol')) this.addFixes(this.protocolInsertions(span.start, protocols, what === 'match' ? `-m ${name}` : `-j ${name}`));
  }

  private reportExtensionProblems(problems: ExtensionProblem[], fallback: Span): void {
    for (const p of problems) {
      const span = p.option ? this.items[p.option.index].span : fallback;
      this.problem(p.kind, span, p.message);
      if (p.kind === 'protocol-required' && p.option) this.addFixes(this.tcpResetFixes(this.items[p.option.index]));
    }
  }

  /**
   * `-j REJECT --reject-with tcp-reset` in a rule that is not `-p tcp`: either narrow the
   * rule to TCP or reject with the default ICMP message. Which one the writer meant is not
   * certain, so both are offered as unsafe.
   */
  private tcpResetFixes(item: OptionItem): ProblemFix[] {
    const t = this.target;
    const value = item.args[0];
    if (t?.name !== 'REJECT' || !item.spec.names.includes('--reject-with') || !value) return [];
    const fixes: ProblemFix[] = [];
    if (!this.items.some((it) => isBuiltin(it) && it.spec.id === 'protocol')) {
      const at = this.items[t.item].span.start;
      fixes.push({ title: "Add '-p tcp' to the rule", edits: [{ span: { start: at, end: at }, text: '-p tcp ' }], safety: 'unsafe', effect: { kind: 'load' } });
    }
    const icmp = this.ctx.family === 'ipv6' ? 'icmp6-port-unreachable' : 'icmp-port-unreachable';
    fixes.push({ title: `Reject with ${icmp} instead`, edits: [{ span: value.span, text: icmp }], safety: 'unsafe', effect: { kind: 'load' } });
    return fixes;
  }

  private checkCommand(): void {
    const cmd = this.command;
    if (!cmd) {
      if (this.items.length > 0 || this.words.length === 0) {
        const span = this.words.length ? spanCovering(this.words[0].span, this.words[this.words.length - 1].span) : (this.ctx.span ?? { start: 0, end: 0 });
        this.problem('missing-command', span, 'This line has no command: a rule starts with -A CHAIN (or -I, -N, -P ...)');
      }
      return;
    }
    const cmdItem = this.items[cmd.item];
    if (RULE_COMMANDS.has(cmd.id)) {
      for (const it of this.items) {
        if (isBuiltin(it) && ILLEGAL_WITH_RULE_COMMANDS.has(it.spec.id)) {
          this.problem('illegal-option', it.nameSpan, `${it.written} cannot be used with ${cmdItem.written}: it only affects listing`);
          if (this.isWholeWords(it.span)) this.addFixes([{ title: `Remove ${it.written}`, edits: [{ span: this.removal(it.span), text: '' }], safety: 'safe', preferred: true, effect: { kind: 'load' } }]);
        }
      }
      this.checkInterfaceDirection(cmd);
    } else {
      for (const it of this.items) {
        if (isBuiltin(it) && !it.spec.command && !it.spec.noEffect && it.spec.id !== 'table' && cmd.id !== 'policy')
          this.problem('illegal-option', it.nameSpan, `${it.written} cannot be used with ${cmdItem.written}`);
        else if (!isBuiltin(it) && cmd.id !== 'policy') this.problem('illegal-option', it.nameSpan, `${it.written} cannot be used with ${cmdItem.written}`);
      }
    }
  }

  /** iptables refuses -o in INPUT/PREROUTING and -i in OUTPUT/POSTROUTING (built-in chains only). */
  private checkInterfaceDirection(cmd: CommandInfo): void {
    const chain = cmd.chain?.text;
    if (!chain) return;
    const incoming = chain === 'INPUT' || chain === 'PREROUTING';
    const outgoing = chain === 'OUTPUT' || chain === 'POSTROUTING';
    for (const it of this.items) {
      if (!isBuiltin(it)) continue;
      if (incoming && it.spec.id === 'out-interface')
        this.problem('interface-direction', it.span, `-o (output interface) cannot be used in ${chain}: packets there have not been routed to an interface yet`);
      if (outgoing && it.spec.id === 'in-interface')
        this.problem('interface-direction', it.span, `-i (input interface) cannot be used in ${chain}: locally sent packets have no input interface`);
    }
  }
}

/** One extension instance of a parsed rule, as the catalogue's check/print/hook functions see it. */
export function parsedExtensionOf(rule: RuleSyntax, name: string, indexes: readonly number[]): ParsedExtension {
  const options: ParsedOption[] = indexes.map((i) => {
    const it = rule.items[i];
    return {
      spec: it.spec,
      written: it.written,
      negated: !!it.negation,
      values: it.results.map((r) => (r?.ok ? r.value : undefined)),
      canonical: it.args.map((a, j) => {
        const r = it.results[j];
        return r?.ok ? r.canonical : a.text;
      }),
      index: i,
    };
  });
  return { name, options };
}

/** The rule facts extensions may depend on. */
export function ruleContextOf(rule: RuleSyntax, ctx: { readonly family: Family; readonly table?: TableName }): RuleContext {
  const protocolIndex = rule.items.findIndex((it) => isBuiltin(it) && it.spec.id === 'protocol');
  let parsedMatches: readonly ParsedExtension[] | undefined;
  return {
    family: ctx.family,
    protocol: rule.protocol?.name,
    protocolNegated: rule.protocol?.negated ?? false,
    table: ctx.table,
    chain: rule.command?.chain?.text,
    matches: rule.matches.map((m) => m.name),
    // Few extensions look at the other matches: build them only when asked.
    get parsedMatches() {
      parsedMatches ??= rule.matches.map((m) => parsedExtensionOf(rule, m.name, m.options));
      return parsedMatches;
    },
    dynamic: rule.dynamic,
    protocolIndex: protocolIndex === -1 ? undefined : protocolIndex,
    targetIndex: rule.target?.item,
  };
}

export function parseRule(words: readonly Word[], ctx: RuleParseContext): RuleSyntax {
  return new RuleParser(words, ctx).parse();
}

export { targetNames };

// A reader for the part of POSIX sh and bash that firewall scripts use: simple commands with
// assignments and redirections, pipelines, `&&` / `||` lists, `if`, `for`, `while`/`until`,
// `case`, `{ ...; }`, `( ... )`, function definitions, comments, line continuations, the
// three kinds of quoting, parameter expansions, command substitutions and here-documents.
// Every character of every word keeps its place in the text, so an iptables problem found
// in a word points at the exact characters of the script.
//
// It never throws and never reports shell syntax errors (this is not a shell linter): on
// anything it cannot read, it skips to the end of the line and goes on.

import { Span } from './text';

/** One piece of a shell word. */
export type WordPart =
  /** Characters after quote removal, each with its offset in the text. */
  | { readonly kind: 'lit'; readonly text: string; readonly offsets: readonly number[]; readonly quoted: boolean }
  /** `$NAME`, `${NAME}`, `${NAME:-word}` ... (`op` is `:-`, `-`, `:=`, `=`, `:+`, `+`). */
  | { readonly kind: 'param'; readonly name: string; readonly op?: string; readonly arg?: ShellWord; readonly span: Span; readonly quoted: boolean }
  /** Something only the running shell knows: `$(...)`, backticks, `$((...))`, `${#x}`, `${x%y}` ... */
  | { readonly kind: 'subst'; readonly span: Span; readonly quoted: boolean };

export interface ShellWord {
  readonly parts: readonly WordPart[];
  /** The word as written, quotes included. */
  readonly span: Span;
}

export interface Redirect {
  /** `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `&>`, `&>>`, `>|`, `<>`. */
  readonly op: string;
  readonly fd?: number;
  readonly target?: ShellWord;
  readonly span: Span;
  /** For `<<` and `<<-`: the body (without the closing delimiter line). */
  heredoc?: { readonly body: Span; readonly quoted: boolean };
}

export interface Assignment {
  readonly name: string;
  /** Undefined for an array assignment `NAME=(...)`, whose value is not followed. */
  readonly value?: ShellWord;
  readonly append: boolean;
  readonly span: Span;
}

export interface SimpleCommand {
  readonly kind: 'simple';
  readonly assignments: Assignment[];
  readonly words: ShellWord[];
  readonly redirects: Redirect[];
  readonly span: Span;
}

export interface IfCommand {
  readonly kind: 'if';
  /** `if`/`elif` conditions with their bodies, in order. */
  readonly branches: Array<{ readonly condition: ShellList; readonly body: ShellList }>;
  readonly otherwise?: ShellList;
  readonly span: Span;
}

export interface ForCommand {
  readonly kind: 'for';
  readonly variable: string;
  readonly variableSpan: Span;
  /** Undefined: `for X; do` (the positional parameters) or `for ((...))`. */
  readonly items?: ShellWord[];
  readonly arithmetic: boolean;
  readonly body: ShellList;
  readonly span: Span;
}

export interface LoopCommand {
  readonly kind: 'while';
  readonly until: boolean;
  readonly condition: ShellList;
  readonly body: ShellList;
  readonly span: Span;
}

export interface CaseCommand {
  readonly kind: 'case';
  readonly subject: ShellWord;
  readonly arms: Array<{ readonly patterns: ShellWord[]; readonly body: ShellList }>;
  readonly span: Span;
}

export interface GroupCommand {
  readonly kind: 'group';
  readonly subshell: boolean;
  readonly body: ShellList;
  readonly span: Span;
}

export interface FunctionDefinition {
  readonly kind: 'function';
  readonly name: string;
  readonly body: Command;
  readonly span: Span;
}

/** `[[ ... ]]` and `(( ... ))`: kept as raw words; only the script's run knows their value. */
export interface TestCommand {
  readonly kind: 'test';
  readonly words: ShellWord[];
  readonly arithmetic: boolean;
  readonly span: Span;
}

export type Command = (SimpleCommand | IfCommand | ForCommand | LoopCommand | CaseCommand | GroupCommand | FunctionDefinition | TestCommand) & { redirects?: Redirect[] };

export interface Pipeline {
  readonly negated: boolean;
  readonly commands: Command[];
  readonly span: Span;
}

/** `a && b || c`: the first pipeline, then each next one with the operator before it. */
export interface AndOr {
  readonly first: Pipeline;
  readonly rest: Array<{ readonly op: '&&' | '||'; readonly pipeline: Pipeline }>;
  readonly span: Span;
}

export type ShellList = AndOr[];

export interface ShellScript {
  readonly list: ShellList;
  /** Whole-line comments (`#` first on its line, after blanks), for the tree's comment nodes. */
  readonly comments: Span[];
}

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'case', 'esac', '{', '}', '!', 'function', 'select']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** Characters that end an unquoted word. */
function isMeta(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '<' || c === '>';
}

/** The literal text of a word that is nothing but unquoted literal characters, else undefined. */
export function plainText(word: ShellWord): string | undefined {
  if (word.parts.length === 0) return '';
  if (word.parts.length !== 1) return undefined;
  const p = word.parts[0];
  return p.kind === 'lit' && !p.quoted ? p.text : undefined;
}

/** The literal text of a word, quotes removed, when it has no expansion. */
export function literalText(word: ShellWord): string | undefined {
  let out = '';
  for (const p of word.parts) {
    if (p.kind !== 'lit') return undefined;
    out += p.text;
  }
  return out;
}

class WordBuilder {
  readonly parts: WordPart[] = [];
  private chars: string[] = [];
  private offsets: number[] = [];
  private quoted = false;

  char(c: string, at: number, quoted: boolean): void {
    if (this.chars.length && this.quoted !== quoted) this.flush();
    this.quoted = quoted;
    this.chars.push(c);
    this.offsets.push(at);
  }

  part(p: WordPart): void {
    this.flush();
    this.parts.push(p);
  }

  /** Marks an empty quoted string (`""`, `''`) so that the word exists. */
  emptyQuoted(): void {
    this.flush();
    this.parts.push({ kind: 'lit', text: '', offsets: [], quoted: true });
  }

  flush(): void {
    if (this.chars.length === 0) return;
    this.parts.push({ kind: 'lit', text: this.chars.join(''), offsets: this.offsets, quoted: this.quoted });
    this.chars = [];
    this.offsets = [];
  }

  done(): WordPart[] {
    this.flush();
    return this.parts;
  }
}

class ShellParser {
  private pos = 0;
  private readonly pending: Redirect[] = [];
  readonly comments: Span[] = [];
  /** Inside `case` patterns, `esac` and `)` end things; kept per nesting level. */
  private guard = 0;

  constructor(private readonly text: string) {}

  parse(): ShellScript {
    const list: ShellList = [];
    while (this.pos < this.text.length) {
      const before = this.pos;
      list.push(...this.list(new Set()));
      if (this.pos < this.text.length) {
        // A word that ends nothing here (`fi` without `if`, a stray `)`): skip the line.
        this.skipLine();
      }
      if (this.pos === before) this.pos++;
      if (++this.guard > 1_000_000) break;
    }
    return { list, comments: this.comments };
  }

  // ------------------------------------------------------------------ characters

  private peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  /** Skips blanks, line continuations and a comment; never a newline. */
  private skipBlanks(): void {
    for (;;) {
      const c = this.peek();
      if (isBlank(c)) this.pos++;
      else if (c === '\\' && this.peek(1) === '\n') this.pos += 2;
      else if (c === '\\' && this.peek(1) === '\r' && this.peek(2) === '\n') this.pos += 3;
      else if (c === '#') this.skipComment();
      else if (c === '\r' && this.peek(1) === '\n') this.pos++;
      else return;
    }
  }

  private skipComment(): void {
    const start = this.pos;
    const end = this.text.indexOf('\n', start);
    const stop = end === -1 ? this.text.length : end;
    // A whole-line comment: only blanks before it on its line.
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    if (/^[ \t]*$/.test(this.text.slice(lineStart, start))) this.comments.push({ start, end: stop > start && this.text[stop - 1] === '\r' ? stop - 1 : stop });
    this.pos = stop;
  }

  /** Consumes one newline and reads the bodies of the here-documents started on its line. */
  private newline(): void {
    this.pos++;
    while (this.pending.length) this.readHeredoc(this.pending.shift()!);
  }

  private skipLine(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
    if (this.pos < this.text.length) this.newline();
  }

  /** Skips separators: blanks, comments, newlines (and `;` when `semicolons`). */
  private skipSeparators(semicolons: boolean): void {
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === '\n') this.newline();
      else if (semicolons && c === ';' && this.peek(1) !== ';') this.pos++;
      else return;
    }
  }

  private readHeredoc(r: Redirect): void {
    const delimiter = r.target ? (literalText(r.target) ?? '') : '';
    const strip = r.op === '<<-';
    const start = this.pos;
    let lineStart = this.pos;
    while (lineStart < this.text.length) {
      const nl = this.text.indexOf('\n', lineStart);
      const lineEnd = nl === -1 ? this.text.length : nl;
      let line = this.text.slice(lineStart, lineEnd).replace(/\r$/, '');
      if (strip) line = line.replace(/^\t+/, '');
      if (line === delimiter) {
        r.heredoc = { body: { start, end: lineStart }, quoted: r.target ? r.target.parts.some((p) => p.kind === 'lit' && p.quoted) : false };
        this.pos = nl === -1 ? this.text.length : nl + 1;
        return;
      }
      if (nl === -1) break;
      lineStart = nl + 1;
    }
    // No closing line: the body runs to the end of the text.
    r.heredoc = { body: { start, end: this.text.length }, quoted: r.target ? r.target.parts.some((p) => p.kind === 'lit' && p.quoted) : false };
    this.pos = this.text.length;
  }

  // ------------------------------------------------------------------ words

  /** The unquoted reserved word at the cursor, without consuming it. */
  private reservedAhead(): string | undefined {
    this.skipBlanks();
    const m = /^(\{|\}|!|[a-z]+)/.exec(this.text.slice(this.pos, this.pos + 10));
    if (!m) return undefined;
    // A reserved word must stand alone: `ifconfig`, `{a,b}`, `!=` are ordinary words.
    if (!isMeta(this.text[this.pos + m[0].length])) return undefined;
    return RESERVED.has(m[0]) ? m[0] : undefined;
  }

  private expectReserved(word: string): boolean {
    this.skipSeparators(true);
    if (this.reservedAhead() === word) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  /** Reads one word at the cursor (after blanks); undefined at an operator or the end. */
  private word(extraStops = ''): ShellWord | undefined {
    this.skipBlanks();
    const start = this.pos;
    const b = new WordBuilder();
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (isMeta(c) || extraStops.includes(c)) break;
      if (c === '\\') {
        const n = this.text[this.pos + 1];
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        if (n === '\r' && this.text[this.pos + 2] === '\n') {
          this.pos += 3;
          continue;
        }
        if (n === undefined) {
          this.pos++;
          continue;
        }
        b.char(n, this.pos + 1, true);
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        const close = this.text.indexOf("'", this.pos + 1);
        const end = close === -1 ? this.text.length : close;
        if (end === this.pos + 1) b.emptyQuoted();
        for (let i = this.pos + 1; i < end; i++) b.char(this.text[i], i, true);
        this.pos = close === -1 ? this.text.length : close + 1;
        continue;
      }
      if (c === '"') {
        this.doubleQuoted(b);
        continue;
      }
      if (c === '$' && this.text[this.pos + 1] === "'") {
        this.ansiQuoted(b);
        continue;
      }
      if (c === '$' || c === '`') {
        if (this.expansion(b, false)) continue;
      }
      b.char(c, this.pos, false);
      this.pos++;
    }
    if (this.pos === start) return undefined;
    return { parts: b.done(), span: { start, end: this.pos } };
  }

  private doubleQuoted(b: WordBuilder): void {
    const open = this.pos;
    this.pos++;
    let any = false;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      const c = this.text[this.pos];
      any = true;
      if (c === '\\') {
        const n = this.text[this.pos + 1];
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          b.char(n, this.pos + 1, true);
          this.pos += 2;
          continue;
        }
        b.char(c, this.pos, true);
        this.pos++;
        continue;
      }
      if ((c === '$' || c === '`') && this.expansion(b, true)) continue;
      b.char(c, this.pos, true);
      this.pos++;
    }
    if (!any || this.pos === open + 1) b.emptyQuoted();
    if (this.pos < this.text.length) this.pos++; // closing quote
  }

  /** `$'...'` (bash): backslash escapes; the common ones are decoded, others kept. */
  private ansiQuoted(b: WordBuilder): void {
    this.pos += 2;
    const escapes: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"', r: '\r', a: '\x07', e: '\x1b' };
    let any = false;
    while (this.pos < this.text.length && this.text[this.pos] !== "'") {
      const c = this.text[this.pos];
      any = true;
      if (c === '\\' && this.pos + 1 < this.text.length) {
        const n = this.text[this.pos + 1];
        b.char(escapes[n] ?? n, this.pos + 1, true);
        this.pos += 2;
        continue;
      }
      b.char(c, this.pos, true);
      this.pos++;
    }
    if (!any) b.emptyQuoted();
    if (this.pos < this.text.length) this.pos++;
  }

  /** An expansion at the cursor (`$...` or a backtick); false when `$` is a plain character. */
  private expansion(b: WordBuilder, quoted: boolean): boolean {
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '`') {
      let i = this.pos + 1;
      while (i < this.text.length && this.text[i] !== '`') i += this.text[i] === '\\' ? 2 : 1;
      this.pos = Math.min(this.text.length, i + 1);
      b.part({ kind: 'subst', span: { start, end: this.pos }, quoted });
      return true;
    }
    const n = this.text[this.pos + 1];
    if (n === '(') {
      const end = this.text[this.pos + 2] === '(' ? this.matching(this.pos + 1, '(', ')') : this.matching(this.pos + 1, '(', ')');
      this.pos = end;
      b.part({ kind: 'subst', span: { start, end }, quoted });
      return true;
    }
    if (n === '{') {
      const end = this.matching(this.pos + 1, '{', '}');
      this.pos = end;
      b.part(this.braceParam(start, end, quoted));
      return true;
    }
    if (n !== undefined && /[A-Za-z_]/.test(n)) {
      let i = this.pos + 1;
      while (i < this.text.length && /[A-Za-z0-9_]/.test(this.text[i])) i++;
      this.pos = i;
      b.part({ kind: 'param', name: this.text.slice(start + 1, i), span: { start, end: i }, quoted });
      return true;
    }
    if (n !== undefined && /[0-9#?@*!$-]/.test(n)) {
      this.pos += 2;
      b.part({ kind: 'param', name: n, span: { start, end: this.pos }, quoted });
      return true;
    }
    return false;
  }

  /** `${...}`: a plain or defaulted parameter, or something only the shell can compute. */
  private braceParam(start: number, end: number, quoted: boolean): WordPart {
    const inner = this.text.slice(start + 2, end - 1);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[#?@*!$-])((:?[-=+?])([\s\S]*))?$/.exec(inner);
    if (!m) return { kind: 'subst', span: { start, end }, quoted };
    const name = m[1];
    if (!m[2]) return { kind: 'param', name, span: { start, end }, quoted };
    const argStart = start + 2 + name.length + m[3].length;
    const arg = new ShellParser(this.text).subWord(argStart, end - 1, quoted);
    return { kind: 'param', name, op: m[3], arg, span: { start, end }, quoted };
  }

  /** Reads the text between `from` and `to` as the argument word of `${X:-word}`. */
  subWord(from: number, to: number, quoted: boolean): ShellWord {
    const sub = new ShellParser(this.text.slice(0, to));
    sub.pos = from;
    const b = new WordBuilder();
    while (sub.pos < to) {
      const c = sub.text[sub.pos];
      if (c === '\\' && sub.pos + 1 < to) {
        b.char(sub.text[sub.pos + 1], sub.pos + 1, true);
        sub.pos += 2;
      } else if (c === "'" && !quoted) {
        const close = sub.text.indexOf("'", sub.pos + 1);
        const end = close === -1 || close > to ? to : close;
        for (let i = sub.pos + 1; i < end; i++) b.char(sub.text[i], i, true);
        sub.pos = end + 1;
      } else if (c === '"') {
        sub.doubleQuoted(b);
      } else if ((c === '$' || c === '`') && sub.expansion(b, quoted)) {
        continue;
      } else {
        b.char(c, sub.pos, quoted);
        sub.pos++;
      }
    }
    return { parts: b.done(), span: { start: from, end: to } };
  }

  /** The offset after the bracket that closes the one at `open`, skipping quotes and nesting. */
  private matching(open: number, left: string, right: string): number {
    let depth = 0;
    let i = open;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === "'" && left === '(') {
        const close = this.text.indexOf("'", i + 1);
        i = close === -1 ? this.text.length : close + 1;
        continue;
      }
      if (c === '"') {
        i++;
        while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '`') {
        i++;
        while (i < this.text.length && this.text[i] !== '`') i += this.text[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === left) depth++;
      else if (c === right) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return this.text.length;
  }

  // ------------------------------------------------------------------ grammar

  /** And-or lists until one of `stops` (reserved words, or `)` / `;;`) or the end. */
  private list(stops: ReadonlySet<string>): ShellList {
    const out: ShellList = [];
    for (;;) {
      this.skipSeparators(true);
      if (this.pos >= this.text.length) return out;
      const c = this.peek();
      if (c === ')' && stops.has(')')) return out;
      if (c === ';' && this.peek(1) === ';') {
        if (stops.has(';;')) return out;
        this.pos += 2;
        continue;
      }
      const reserved = this.reservedAhead();
      if (reserved && stops.has(reserved)) return out;
      if (reserved && ['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}', 'in'].includes(reserved)) return out; // ends an outer construct
      if (c === ')') return out;
      const before = this.pos;
      const item = this.andOr(stops);
      if (item) out.push(item);
      if (this.pos === before) return out;
      this.skipBlanks();
      const d = this.peek();
      if (d === ';' && this.peek(1) !== ';') this.pos++;
      else if (d === '&' && this.peek(1) !== '&') this.pos++;
      else if (d === '\n') this.newline();
    }
  }

  private andOr(stops: ReadonlySet<string>): AndOr | undefined {
    const first = this.pipeline(stops);
    if (!first) return undefined;
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipBlanks();
      const two = this.text.slice(this.pos, this.pos + 2);
      if (two !== '&&' && two !== '||') break;
      this.pos += 2;
      this.skipSeparators(false);
      const next = this.pipeline(stops);
      if (!next) break;
      rest.push({ op: two, pipeline: next });
    }
    const last = rest.length ? rest[rest.length - 1].pipeline : first;
    return { first, rest, span: { start: first.span.start, end: last.span.end } };
  }

  private pipeline(stops: ReadonlySet<string>): Pipeline | undefined {
    this.skipBlanks();
    const start = this.pos;
    let negated = false;
    if (this.reservedAhead() === '!') {
      this.pos++;
      negated = true;
    }
    const commands: Command[] = [];
    for (;;) {
      const cmd = this.command(stops);
      if (!cmd) break;
      commands.push(cmd);
      this.skipBlanks();
      if (this.peek() === '|' && this.peek(1) !== '|') {
        this.pos += this.peek(1) === '&' ? 2 : 1;
        this.skipSeparators(false);
        continue;
      }
      break;
    }
    if (commands.length === 0) return undefined;
    return { negated, commands, span: { start, end: commands[commands.length - 1].span.end } };
  }

  private command(stops: ReadonlySet<string>): Command | undefined {
    this.skipBlanks();
    const start = this.pos;
    const reserved = this.reservedAhead();
    let cmd: Command | undefined;
    if (reserved === 'if') cmd = this.ifCommand(start);
    else if (reserved === 'for' || reserved === 'select') cmd = this.forCommand(start, reserved);
    else if (reserved === 'while' || reserved === 'until') cmd = this.whileCommand(start, reserved === 'until');
    else if (reserved === 'case') cmd = this.caseCommand(start);
    else if (reserved === '{') {
      this.pos++;
      const body = this.list(new Set(['}']));
      this.expectReserved('}');
      cmd = { kind: 'group', subshell: false, body, span: { start, end: this.pos } };
    } else if (reserved === 'function') cmd = this.functionKeyword(start);
    else if (reserved && stops.has(reserved)) return undefined;
    else if (reserved && reserved !== '!') return undefined;
    else if (this.peek() === '(' && this.peek(1) === '(') {
      const end = this.matching(this.pos, '(', ')');
      const words = [{ parts: [{ kind: 'subst' as const, span: { start, end }, quoted: false }], span: { start, end } }];
      this.pos = end;
      cmd = { kind: 'test', words, arithmetic: true, span: { start, end } };
    } else if (this.peek() === '(') {
      this.pos++;
      const body = this.list(new Set([')']));
      this.skipSeparators(true);
      if (this.peek() === ')') this.pos++;
      cmd = { kind: 'group', subshell: true, body, span: { start, end: this.pos } };
    } else cmd = this.simpleCommand(start);
    if (!cmd) return undefined;
    if (cmd.kind !== 'simple') {
      // Redirections after a compound command (`done < file`, `} > log`).
      const redirects: Redirect[] = [];
      for (;;) {
        const r = this.redirect();
        if (!r) break;
        redirects.push(r);
      }
      if (redirects.length) cmd.redirects = redirects;
    }
    return cmd;
  }

  private ifCommand(start: number): IfCommand {
    this.pos += 2;
    const branches: IfCommand['branches'] = [];
    let otherwise: ShellList | undefined;
    for (;;) {
      const condition = this.list(new Set(['then']));
      this.expectReserved('then');
      const body = this.list(new Set(['elif', 'else', 'fi']));
      branches.push({ condition, body });
      this.skipSeparators(true);
      const next = this.reservedAhead();
      if (next === 'elif') {
        this.pos += 4;
        continue;
      }
      if (next === 'else') {
        this.pos += 4;
        otherwise = this.list(new Set(['fi']));
        this.expectReserved('fi');
      } else this.expectReserved('fi');
      break;
    }
    return { kind: 'if', branches, otherwise, span: { start, end: this.pos } };
  }

  private forCommand(start: number, keyword: string): ForCommand {
    this.pos += keyword.length;
    this.skipBlanks();
    if (this.peek() === '(' && this.peek(1) === '(') {
      this.pos = this.matching(this.pos, '(', ')');
      this.skipSeparators(true);
      const body = this.doGroup();
      return { kind: 'for', variable: '', variableSpan: { start: this.pos, end: this.pos }, arithmetic: true, body, span: { start, end: this.pos } };
    }
    const nameWord = this.word();
    const variable = nameWord ? (plainText(nameWord) ?? '') : '';
    const variableSpan = nameWord?.span ?? { start: this.pos, end: this.pos };
    let items: ShellWord[] | undefined;
    this.skipSeparators(false);
    if (this.reservedAhead() === 'in') {
      this.pos += 2;
      items = [];
      for (;;) {
        this.skipBlanks();
        const c = this.peek();
        if (c === undefined || c === '\n' || c === ';') break;
        const w = this.word();
        if (!w) {
          this.pos++;
          continue;
        }
        items.push(w);
      }
    }
    this.skipSeparators(true);
    const body = this.doGroup();
    return { kind: 'for', variable, variableSpan, items, arithmetic: false, body, span: { start, end: this.pos } };
  }

  /** `do list done` (or bash's `{ list; }` body). */
  private doGroup(): ShellList {
    this.skipSeparators(true);
    if (this.reservedAhead() === '{') {
      this.pos++;
      const body = this.list(new Set(['}']));
      this.expectReserved('}');
      return body;
    }
    this.expectReserved('do');
    const body = this.list(new Set(['done']));
    this.expectReserved('done');
    return body;
  }

  private whileCommand(start: number, until: boolean): LoopCommand {
    this.pos += until ? 5 : 5;
    const condition = this.list(new Set(['do']));
    const body = this.doGroup();
    return { kind: 'while', until, condition, body, span: { start, end: this.pos } };
  }

  private caseCommand(start: number): CaseCommand {
    this.pos += 4;
    const subject = this.word() ?? { parts: [], span: { start: this.pos, end: this.pos } };
    this.skipSeparators(false);
    if (this.reservedAhead() === 'in') this.pos += 2;
    const arms: CaseCommand['arms'] = [];
    for (;;) {
      this.skipSeparators(true);
      if (this.pos >= this.text.length) break;
      if (this.reservedAhead() === 'esac') {
        this.pos += 4;
        break;
      }
      if (this.peek() === '(') this.pos++;
      const patterns: ShellWord[] = [];
      for (;;) {
        const w = this.word();
        if (w) patterns.push(w);
        this.skipBlanks();
        if (this.peek() === '|') {
          this.pos++;
          continue;
        }
        break;
      }
      this.skipBlanks();
      if (this.peek() !== ')') {
        this.skipLine();
        continue;
      }
      this.pos++;
      const body = this.list(new Set([';;', 'esac']));
      arms.push({ patterns, body });
      this.skipBlanks();
      if (this.text.startsWith(';;&', this.pos)) this.pos += 3;
      else if (this.text.startsWith(';;', this.pos) || this.text.startsWith(';&', this.pos)) this.pos += 2;
    }
    return { kind: 'case', subject, arms, span: { start, end: this.pos } };
  }

  private functionKeyword(start: number): FunctionDefinition | undefined {
    this.pos += 8;
    const nameWord = this.word();
    const name = nameWord ? (plainText(nameWord) ?? '') : '';
    this.skipBlanks();
    if (this.peek() === '(' && this.text.slice(this.pos).match(/^\(\s*\)/)) this.pos += /^\(\s*\)/.exec(this.text.slice(this.pos))![0].length;
    this.skipSeparators(false);
    const body = this.command(new Set());
    if (!body) return undefined;
    return { kind: 'function', name, body, span: { start, end: this.pos } };
  }

  private redirect(): Redirect | undefined {
    this.skipBlanks();
    const m = /^([0-9]*)(<<<|<<-|<<|&>>|&>|>>|>&|<&|>\||<>|>|<)/.exec(this.text.slice(this.pos, this.pos + 8));
    if (!m) return undefined;
    const start = this.pos;
    this.pos += m[0].length;
    const op = m[2];
    const target = this.word();
    const r: Redirect = { op, fd: m[1] ? Number(m[1]) : undefined, target, span: { start, end: this.pos } };
    if (op === '<<' || op === '<<-') this.pending.push(r);
    return r;
  }

  private simpleCommand(start: number): Command | undefined {
    const assignments: Assignment[] = [];
    const words: ShellWord[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined || c === '\n' || c === ';' || c === '&' && this.peek(1) !== '>' || c === '|' || c === ')') break;
      if (c === '(') {
        // `name () { ... }`: a function definition.
        if (words.length === 1 && assignments.length === 0 && /^\(\s*\)/.test(this.text.slice(this.pos))) {
          const name = plainText(words[0]) ?? '';
          this.pos += /^\(\s*\)/.exec(this.text.slice(this.pos))![0].length;
          this.skipSeparators(false);
          const body = this.command(new Set());
          if (!body) return undefined;
          return { kind: 'function', name, body, span: { start, end: this.pos } };
        }
        break;
      }
      const r = this.redirect();
      if (r) {
        redirects.push(r);
        continue;
      }
      if (words.length === 0 && this.peek() === '[' && this.peek(1) === '[' && isMeta(this.peek(2))) return this.doubleBracket(start);
      const w = this.word();
      if (!w) break;
      const assignment = words.length === 0 ? this.assignment(w) : undefined;
      if (assignment) assignments.push(assignment);
      else words.push(w);
    }
    if (words.length === 0 && assignments.length === 0 && redirects.length === 0) return undefined;
    const ends = [...assignments.map((a) => a.span.end), ...words.map((w) => w.span.end), ...redirects.map((r) => r.span.end)];
    return { kind: 'simple', assignments, words, redirects, span: { start, end: Math.max(start, ...ends) } };
  }

  /** `NAME=value` (or `NAME+=value`) as the word `w`, split into name and value. */
  private assignment(w: ShellWord): Assignment | undefined {
    const first = w.parts[0];
    if (!first || first.kind !== 'lit' || first.quoted) return undefined;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(first.text);
    if (!m) return undefined;
    const cut = m[0].length;
    if (cut === first.text.length && w.parts.length === 1 && this.peek() === '(') {
      // NAME=(a b c): an array, whose values are not followed.
      const end = this.matching(this.pos, '(', ')');
      this.pos = end;
      return { name: m[1], append: m[2] === '+', span: { start: w.span.start, end } };
    }
    const rest: WordPart[] = [];
    if (cut < first.text.length) rest.push({ kind: 'lit', text: first.text.slice(cut), offsets: first.offsets.slice(cut), quoted: false });
    rest.push(...w.parts.slice(1));
    const valueStart = first.offsets[cut] ?? w.span.end;
    return { name: m[1], append: m[2] === '+', value: { parts: rest, span: { start: Math.min(valueStart, w.span.end), end: w.span.end } }, span: w.span };
  }

  /** `[[ ... ]]`: words up to `]]`, with `&&`, `||`, `<`, `>`, `(`, `)` read as words. */
  private doubleBracket(start: number): TestCommand {
    this.pos += 2;
    const words: ShellWord[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.text.length || this.peek() === '\n') break;
      if (this.peek() === ']' && this.peek(1) === ']') {
        this.pos += 2;
        break;
      }
      const op = /^(&&|\|\||<|>|\(|\)|!)/.exec(this.text.slice(this.pos, this.pos + 2));
      if (op) {
        const span = { start: this.pos, end: this.pos + op[0].length };
        words.push({ parts: [{ kind: 'lit', text: op[0], offsets: [...op[0]].map((_, i) => span.start + i), quoted: false }], span });
        this.pos = span.end;
        continue;
      }
      const w = this.word();
      if (!w) {
        this.pos++;
        continue;
      }
      words.push(w);
    }
    return { kind: 'test', words, arithmetic: false, span: { start, end: this.pos } };
  }
}

export function parseShell(text: string): ShellScript {
  return new ShellParser(text).parse();
}

export { NAME as SHELL_NAME };

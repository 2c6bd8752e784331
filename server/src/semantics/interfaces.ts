// Interface names as a finite field. Rules test interfaces by exact name (`eth0`) or by
// prefix (`eth+`), so all names fall into finitely many classes that no rule can tell
// apart: each exact name used, for each prefix the names starting with it that no longer
// prefix or exact name claims, the names no rule mentions, and "no interface" (the output
// interface in INPUT, the input interface in OUTPUT). Each class keeps a real-looking
// representative name for witnesses.

import { InterfaceValue } from '../catalogue/values';

export interface InterfaceClass {
  readonly index: number;
  /** A name in the class, usable in a witness packet; '' for "no interface". */
  readonly name: string;
}

export class InterfaceClasses {
  readonly classes: InterfaceClass[] = [];
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  /** `patterns`: every -i/-o value of the ruleset. */
  constructor(patterns: Iterable<InterfaceValue>) {
    for (const p of patterns) {
      if (p.wildcard) {
        if (!this.prefixes.includes(p.name)) this.prefixes.push(p.name);
      } else this.exact.add(p.name);
    }
    this.add(''); // no interface
    for (const name of [...this.exact].sort()) if (name !== '') this.add(name);
    for (const prefix of [...this.prefixes].sort()) {
      const representative = this.unclaimedName(prefix);
      if (representative) this.add(representative);
    }
    if (!this.prefixes.includes('')) {
      const other = this.unclaimedName('');
      if (other) this.add(other);
    }
  }

  private add(name: string): void {
    if (this.classes.some((c) => c.name === name)) return;
    this.classes.push({ index: this.classes.length, name });
  }

  /** The longest prefix pattern a name falls under, or undefined. */
  private longestPrefix(name: string): string | undefined {
    let best: string | undefined;
    for (const p of this.prefixes) if (name.startsWith(p) && (best === undefined || p.length > best.length)) best = p;
    return best;
  }

  /**
   * A name that starts with `prefix`, is no exact name of the ruleset and falls under no
   * longer prefix: it stands for all such names. Undefined when there is none.
   */
  private unclaimedName(prefix: string): string | undefined {
    const suffixes = prefix === '' ? ['eth0', 'ens3', 'enp1s0', 'wlan0', 'ppp0', 'x0', 'if0'] : ['0', '1', '9', 'x', '10', 'a0', '_0'];
    for (const s of suffixes) {
      const name = prefix === '' ? s : prefix + s;
      if (name.length > 15 || this.exact.has(name)) continue;
      if ((this.longestPrefix(name) ?? '') === prefix || (prefix === '' && this.longestPrefix(name) === undefined)) return name;
    }
    for (let i = 0; i < 1000; i++) {
      const name = `${prefix}${i}z`.slice(0, 15);
      if (!this.exact.has(name) && (this.longestPrefix(name) ?? '') === prefix) return name;
    }
    return undefined;
  }

  /** Class indexes whose names the pattern matches (`eth+` matches by prefix). */
  matching(p: InterfaceValue): number[] {
    return this.classes.filter((c) => (p.wildcard ? c.name.startsWith(p.name) : c.name === p.name)).map((c) => c.index);
  }

  get count(): number {
    return this.classes.length;
  }

  nameOf(index: number): string | undefined {
    return this.classes[index]?.name;
  }

  indexOf(name: string): number | undefined {
    const exactClass = this.classes.find((c) => c.name === name);
    if (exactClass) return exactClass.index;
    // A name the ruleset never mentions: the class of its longest prefix, or "other".
    const prefix = this.longestPrefix(name) ?? '';
    return this.classes.find((c) => c.name !== '' && !this.exact.has(c.name) && (this.longestPrefix(c.name) ?? '') === prefix)?.index;
  }
}

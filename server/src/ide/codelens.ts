// Code lenses on chain declarations: the policy and number of rules of each chain, and for a
// user chain the rules that jump to it (the LSP side turns those into a "show references"
// click). Plain data with spans; no LSP here.

import { Analysis } from '../analysis';
import { ChainReference } from './locate';
import { rulePositions } from './inlay';
import { jumpsByChain } from './navigation';
import { Span } from '../syntax/text';

export interface ChainLens {
  readonly chain: string;
  readonly builtin: boolean;
  /** The name at the declaration, where the lens is drawn. */
  readonly span: Span;
  /** The summary shown: "policy DROP · 5 rules". */
  readonly summary: string;
  /** User chains only: the `-j`/`-g` references that send packets into the chain. */
  readonly references?: readonly ChainReference[];
  /** The text of the references lens: "2 jumps here", "no rule jumps here". */
  readonly referencesTitle?: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function chainLenses(analysis: Analysis): ChainLens[] {
  const { tree, ruleset } = analysis;
  const lenses: ChainLens[] = [];
  for (const model of ruleset.tables) {
    const jumps = jumpsByChain(tree, model.block);
    for (const chain of model.chains.values()) {
      if (chain.declaration === undefined || !chain.nameSpan) continue; // a built-in chain the file never names
      const positions = rulePositions(chain);
      const loaded = positions.length ? positions[positions.length - 1].last : 0;
      const rules = plural(loaded, 'rule', 'rules');
      if (chain.builtin) {
        lenses.push({ chain: chain.name, builtin: true, span: chain.nameSpan, summary: `policy ${chain.policy ?? 'ACCEPT'} · ${rules}` });
        continue;
      }
      const references = jumps.get(chain.name) ?? [];
      const referencesTitle = references.length === 0 ? 'no rule jumps here' : plural(references.length, 'rule jumps here', 'rules jump here');
      lenses.push({ chain: chain.name, builtin: false, span: chain.nameSpan, summary: `user chain · ${rules}`, references, referencesTitle });
    }
  }
  return lenses.sort((a, b) => a.span.start - b.span.start);
}

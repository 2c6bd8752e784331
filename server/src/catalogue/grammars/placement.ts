// Hook restrictions that depend on which options a match or target uses (addrtype
// --limit-iface-in, policy --dir in, TCPMSS --clamp-mss-to-pmtu ...). An extension states
// them twice, on purpose: `check()` reports a rule in the wrong built-in chain with a
// message that names the option and says why, and `hooksFor()` gives the same hooks to the
// load checks, which follow user chains to the built-in chains that reach them.

import { BUILTIN_CHAINS, ExtensionProblem, Hook, ParsedOption, RuleContext } from '../types';

/** Hooks on the way in (an input interface exists) and on the way out (an output interface is known). */
export const INCOMING_HOOKS: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD'];
export const OUTGOING_HOOKS: readonly Hook[] = ['FORWARD', 'OUTPUT', 'POSTROUTING'];

/** The hooks allowed by every restriction in the list (undefined ones restrict nothing). */
export function intersectHooks(...lists: ReadonlyArray<readonly Hook[] | undefined>): readonly Hook[] | undefined {
  let out: readonly Hook[] | undefined;
  for (const l of lists) if (l) out = out ? out.filter((h) => l.includes(h)) : l;
  return out;
}

/** The hook of the rule's chain when it is a built-in chain of its table. */
export function builtinHook(rule: RuleContext): Hook | undefined {
  const chain = rule.chain as Hook | undefined;
  if (!chain || !rule.table) return undefined;
  return BUILTIN_CHAINS[rule.table].includes(chain) ? chain : undefined;
}

/**
 * A `target-not-allowed` problem when the rule sits in a built-in chain outside `allowed`.
 * `what` names the option (or combination) that brings the restriction, `why` says why.
 */
export function hookProblem(rule: RuleContext, allowed: readonly Hook[], what: string, why: string, option?: ParsedOption): ExtensionProblem[] {
  const hook = builtinHook(rule);
  if (!hook || allowed.includes(hook)) return [];
  return [{ kind: 'target-not-allowed', message: `${what} cannot be used in ${hook}: ${why}; the kernel accepts it only in ${allowed.join(', ')}`, option }];
}

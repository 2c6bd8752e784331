// Runs the semantic checks off the language server's main thread, so that a long analysis
// of a large ruleset never delays typing, completion or the syntax diagnostics. The main
// thread terminates the worker when the text it is analysing changes. Fix-all (which
// analyses the text again after each round of fixes) runs here too, in a worker of its own.

import { parentPort } from 'worker_threads';
import { analyse, FileKind, Finding } from '../analysis';
import { Family } from '../catalogue/types';
import { LintConfig } from '../config/config';
import { fixAll, FixOptions } from '../fixes/apply';

export interface SemanticRequest {
  readonly id: number;
  readonly text: string;
  readonly family?: Family;
  /** A rules file or a shell script (the document's language decides). */
  readonly kind?: FileKind;
  readonly config: LintConfig;
  /**
   * Apply fix-all to the text instead of only analysing it. `findings`: the findings with
   * fixes of this very text, when the main thread already has them (saves one analysis).
   */
  readonly fixAll?: FixOptions & { readonly findings?: readonly Finding[] };
}

/** What fix-all made of a text. */
export interface FixAllSummary {
  readonly text: string;
  /** How many fixes were applied. */
  readonly applied: number;
  /** False when fixes kept appearing (a bug in some fix): the text is then not to be used. */
  readonly converged: boolean;
}

export type SemanticResponse =
  | { readonly id: number; readonly findings: Finding[] }
  | { readonly id: number; readonly fixed: FixAllSummary }
  | { readonly id: number; readonly error: string };

function fixAllOf(req: SemanticRequest & { fixAll: NonNullable<SemanticRequest['fixAll']> }): FixAllSummary {
  let first = req.fixAll.findings;
  const lint = (text: string): readonly Finding[] => {
    const known = text === req.text ? first : undefined;
    first = undefined;
    return known ?? analyse(text, { family: req.family, config: req.config, kind: req.kind }).findings;
  };
  const result = fixAll(req.text, lint, { unsafe: req.fixAll.unsafe });
  return { text: result.text, applied: result.applied.length, converged: result.converged };
}

parentPort?.on('message', (req: SemanticRequest) => {
  try {
    if (req.fixAll) {
      parentPort!.postMessage({ id: req.id, fixed: fixAllOf({ ...req, fixAll: req.fixAll }) } satisfies SemanticResponse);
      return;
    }
    // Every finding: suppressions and unused-suppression reports need them all at once.
    const { findings } = analyse(req.text, { family: req.family, config: req.config, kind: req.kind });
    parentPort!.postMessage({ id: req.id, findings } satisfies SemanticResponse);
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: (e as Error).stack ?? String(e) } satisfies SemanticResponse);
  }
});

// Runs the semantic checks off the language server's main thread, so that a long analysis
// of a large ruleset never delays typing, completion or the syntax diagnostics. The main
// thread terminates the worker when the text it is analysing changes.

import { parentPort } from 'worker_threads';
import { analyse, Finding } from '../analysis';
import { Family } from '../catalogue/types';
import { LintConfig } from '../config/config';

export interface SemanticRequest {
  readonly id: number;
  readonly text: string;
  readonly family?: Family;
  readonly config: LintConfig;
}

export type SemanticResponse = { readonly id: number; readonly findings: Finding[] } | { readonly id: number; readonly error: string };

parentPort?.on('message', (req: SemanticRequest) => {
  try {
    // Every finding: suppressions and unused-suppression reports need them all at once.
    const { findings } = analyse(req.text, { family: req.family, config: req.config });
    parentPort!.postMessage({ id: req.id, findings } satisfies SemanticResponse);
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: (e as Error).stack ?? String(e) } satisfies SemanticResponse);
  }
});

// Runs the semantic checks off the language server's main thread, so that a long analysis
// of a large ruleset never delays typing, completion or the syntax diagnostics. The main
// thread terminates the worker when the text it is analysing changes.

import { parentPort } from 'worker_threads';
import { analyse, Finding } from '../analysis';
import { Family } from '../catalogue/types';

export interface SemanticRequest {
  readonly id: number;
  readonly text: string;
  readonly family?: Family;
}

export type SemanticResponse = { readonly id: number; readonly findings: Finding[] } | { readonly id: number; readonly error: string };

parentPort?.on('message', (req: SemanticRequest) => {
  try {
    const { findings } = analyse(req.text, { family: req.family });
    // Only what the main thread does not have already from its own syntax analysis.
    parentPort!.postMessage({ id: req.id, findings: findings.filter((f) => f.code >= 'IPT200') } satisfies SemanticResponse);
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: (e as Error).stack ?? String(e) } satisfies SemanticResponse);
  }
});

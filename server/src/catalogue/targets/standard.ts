import { BOTH_FAMILIES, TargetSpec } from '../types';

const verdict = (name: string, summary: string, terminating = true): TargetSpec => ({
  kind: 'target',
  name,
  families: BOTH_FAMILIES,
  options: [],
  terminating,
  standard: true,
  summary,
});

export const ACCEPT = verdict('ACCEPT', 'Let the packet through; no further rule in this table sees it');
export const DROP = verdict('DROP', 'Discard the packet silently; the sender gets no answer and times out');
export const RETURN = verdict('RETURN', 'Leave this chain: back to the rule after the jump, or the policy in a built-in chain');
export const QUEUE = verdict('QUEUE', 'Hand the packet to a user-space program (queue 0)');

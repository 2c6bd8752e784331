// The reachability checks (IPT2xx), built on the engine's exact packet sets.
import { SemanticCheck } from '../types';
import { blockedAccept } from './blocked-accept';
import { deadJump } from './dead-jump';
import { redundantRule } from './redundant-rule';
import { rulesAfterCatchAll } from './rules-after-catch-all';
import { unreachableRule } from './unreachable-rule';
import { unusedChain } from './unused-chain';

export const REACHABILITY_CHECKS: readonly SemanticCheck[] = [unreachableRule, blockedAccept, redundantRule, rulesAfterCatchAll, deadJump, unusedChain];

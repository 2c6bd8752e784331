// The deprecation and style checks (IPT5xx): forms that still load but have a modern
// replacement, or that are on their way out of the kernel.
import { SemanticCheck } from '../types';
import { deprecatedState } from './deprecated-state';
import { deprecatedTarget } from './deprecated-target';

export const STYLE_CHECKS: readonly SemanticCheck[] = [deprecatedState, deprecatedTarget];

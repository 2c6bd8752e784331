// The deprecation and style checks (IPT5xx): forms that still load but have a modern
// replacement, or that are on their way out of the kernel.
import { SemanticCheck } from '../types';

export const STYLE_CHECKS: readonly SemanticCheck[] = [];

// The NAT and forwarding checks (IPT4xx): translations whose traffic the filter then drops,
// forwarding that is never enabled, and rules that the traffic of containers bypasses.
import { SemanticCheck } from '../types';

export const NAT_CHECKS: readonly SemanticCheck[] = [];

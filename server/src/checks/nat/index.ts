// The NAT and forwarding checks (IPT4xx): translations whose traffic the filter then drops,
// forwarding that is never enabled, and rules that the traffic of containers bypasses.
import { SemanticCheck } from '../types';
import { containerBypass } from './container-bypass';
import { dnatNotForwarded } from './dnat-not-forwarded';
import { forwardingDisabled } from './forwarding-disabled';
import { snatNotForwarded } from './snat-not-forwarded';

export const NAT_CHECKS: readonly SemanticCheck[] = [dnatNotForwarded, snatNotForwarded, forwardingDisabled, containerBypass];

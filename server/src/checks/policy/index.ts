// The policy and hygiene checks (IPT3xx): what a default-drop firewall must let through
// (loopback, replies, management access, ICMP), and rules that are noise.
import { SemanticCheck } from '../types';
import { missingLoopback } from './missing-loopback';
import { missingEstablished } from './missing-established';
import { lateEstablished } from './late-established';
import { invalidNotDropped } from './invalid-not-dropped';
import { outboundBlocked } from './outbound-blocked';
import { lockout } from './lockout';
import { mustAllowBlocked } from './must-allow-blocked';
import { icmpBlocked } from './icmp-blocked';
import { icmpv6NdBlocked } from './icmpv6-nd-blocked';
import { duplicateRule } from './duplicate-rule';
import { logFlood } from './log-flood';
import { unreachableLog } from './unreachable-log';
import { invertedRateLimit } from './inverted-rate-limit';
import { managedChain } from './managed-chain';

export const POLICY_CHECKS: readonly SemanticCheck[] = [missingLoopback, missingEstablished, lateEstablished, invalidNotDropped, outboundBlocked, lockout, mustAllowBlocked, icmpBlocked, icmpv6NdBlocked, duplicateRule, logFlood, unreachableLog, invertedRateLimit, managedChain];

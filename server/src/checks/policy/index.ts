// The policy and hygiene checks (IPT3xx): what a default-drop firewall must let through
// (loopback, replies, management access, ICMP), and rules that are noise.
import { SemanticCheck } from '../types';

export const POLICY_CHECKS: readonly SemanticCheck[] = [];

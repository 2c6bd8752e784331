// Checks about iptables-lint's own configuration: suppression comments and .iptables-lint.json.
import { CheckMeta } from '../types';
import { invalidConfig } from './invalid-config';
import { unknownSuppressionCode } from './unknown-suppression-code';
import { unusedSuppression } from './unused-suppression';

export const LINT_CONFIG_CHECKS: readonly CheckMeta[] = [unusedSuppression, unknownSuppressionCode, invalidConfig];

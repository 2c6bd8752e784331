// Every target the catalogue knows, one file each. Keep the list sorted.
import { TargetSpec } from '../types';
import { REJECT_IPV4 } from './reject';
import { ACCEPT, DROP, QUEUE, RETURN } from './standard';

export const TARGETS: readonly TargetSpec[] = [
  ACCEPT,
  DROP,
  QUEUE,
  REJECT_IPV4,
  RETURN,
];

// Every match module the catalogue knows, one file each. Keep the list sorted.
import { MatchModule } from '../types';
import { comment } from './comment';
import { conntrack } from './conntrack';
import { tcp } from './tcp';

export const MATCHES: readonly MatchModule[] = [
  comment,
  conntrack,
  tcp,
];

import { hopTarget } from './ttl';

export const HL = hopTarget('HL', 'hl', 'ipv6', 'hop limit');

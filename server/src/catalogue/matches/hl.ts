import { hopCountMatch } from './ttl';

export const hl = hopCountMatch('hl', 'ipv6', 'hop limit', 'The hop limit field of the IPv6 header');

import { optionsHeaderMatch } from './hbh';

export const dst = optionsHeaderMatch('dst', 'ipv6', 'Length and options of the IPv6 Destination Options header');

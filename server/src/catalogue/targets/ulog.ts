import { TargetSpec } from '../types';
import { text, uint } from '../values';

export const ULOG: TargetSpec = {
  kind: 'target',
  name: 'ULOG',
  families: ['ipv4'],
  terminating: false,
  summary: 'Removed: the old IPv4-only user-space logging target; use NFLOG',
  // Options kept so that a rule using them parses and gets the one clear message below.
  options: [
    { names: ['--ulog-nlgroup'], args: [uint('netlink group', 1, 32)] },
    { names: ['--ulog-prefix'], args: [text('prefix', 31)] },
    { names: ['--ulog-cprange'], args: [uint('size in bytes', 0, 0xffffffff)] },
    { names: ['--ulog-qthreshold'], args: [uint('packet count', 1, 50)] },
  ],
  // Linux 3.17 removed the kernel side; current kernels refuse the rule (both backends checked).
  removed: 'use -j NFLOG --nflog-group N (read by ulogd2 or another nfnetlink_log reader); Linux 3.17 dropped ULOG',
};

import { TargetSpec } from '../types';
import { enumOf } from '../values';

const REJECT_V4 = [
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-port-unreachable',
  'icmp-proto-unreachable',
  'icmp-net-prohibited',
  'icmp-host-prohibited',
  'tcp-reset',
  'icmp-admin-prohibited',
] as const;

/** Short and alternative spellings iptables accepts, and what they stand for. */
const REJECT_V4_ALIASES: Record<string, string> = {
  'net-unreach': 'icmp-net-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'net-prohib': 'icmp-net-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'tcp-rst': 'tcp-reset',
  'admin-prohib': 'icmp-admin-prohibited',
};

export const REJECT_IPV4: TargetSpec = {
  kind: 'target',
  name: 'REJECT',
  families: ['ipv4'],
  terminating: true,
  hooks: ['INPUT', 'FORWARD', 'OUTPUT'],
  summary: 'Drop the packet and answer the sender with an ICMP error or a TCP reset',
  options: [{ names: ['--reject-with'], args: [enumOf('reject type', REJECT_V4, { aliases: REJECT_V4_ALIASES })] }],
  check(ext, rule) {
    const withOpt = ext.options.find((o) => o.spec.names[0] === '--reject-with');
    if (withOpt?.values[0] === 'tcp-reset' && (rule.protocol !== 'tcp' || rule.protocolNegated))
      return [{ kind: 'protocol-required', message: '--reject-with tcp-reset only works in a rule that matches -p tcp', option: withOpt }];
    return [];
  },
  print(ext) {
    const withOpt = ext.options.find((o) => o.spec.names[0] === '--reject-with');
    return ['--reject-with', withOpt ? withOpt.canonical[0] : 'icmp-port-unreachable'];
  },
};

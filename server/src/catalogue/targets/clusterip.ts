import { TargetSpec, ValueGrammar } from '../types';
import { enumOf, fail, ok, uint } from '../values';

/** A MAC address `xx:xx:xx:xx:xx:xx`. Value: the six bytes as numbers. */
const mac: ValueGrammar = {
  name: 'MAC address',
  parse(text) {
    const parts = text.split(':');
    if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return fail(`'${text}' is not a MAC address (xx:xx:xx:xx:xx:xx)`);
    const bytes = parts.map((p) => parseInt(p, 16));
    return ok(bytes, bytes.map((b) => b.toString(16).padStart(2, '0')).join(':'));
  },
};

export const CLUSTERIP: TargetSpec = {
  kind: 'target',
  name: 'CLUSTERIP',
  families: ['ipv4'],
  terminating: false,
  summary: 'Removed: the old IPv4-only shared-address cluster target; use -m cluster',
  // Options kept so that a rule using them parses and gets the one clear message below.
  options: [
    { names: ['--new'], args: [] },
    { names: ['--hashmode'], args: [enumOf('hash mode', ['sourceip', 'sourceip-sourceport', 'sourceip-sourceport-destport'])] },
    { names: ['--clustermac'], args: [mac] },
    { names: ['--total-nodes'], args: [uint('node count', 1, 16)] },
    { names: ['--local-node'], args: [uint('node number', 1, 16)] },
    { names: ['--hash-init'], args: [uint('hash seed', 0, 0xffffffff)] },
  ],
  // Deprecated for years, then removed from Linux (6.3); current kernels refuse the rule (both backends checked).
  removed: 'use -m cluster --cluster-total-nodes N --cluster-local-node I instead (with -j MARK or ACCEPT and a multicast MAC on the shared address); Linux 6.3 dropped CLUSTERIP',
};

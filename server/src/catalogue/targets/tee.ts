import { BOTH_FAMILIES, ExtensionProblem, TargetSpec, ValueGrammar } from '../types';
import { hostAddress, HostValue } from './tproxy';
import { fail, ok } from '../values';

/** --gateway: a host address; the kernel refuses the unspecified address. Value: HostValue. */
const gateway: ValueGrammar = {
  name: 'address',
  parse(text, ctx) {
    const r = hostAddress.parse(text, ctx);
    if (r.ok && (r.value as HostValue).address === 0n) return fail(`${r.canonical} is not a usable gateway: give the address of the host that receives the copies`);
    return r;
  },
};

/** --oif: an interface name, which iptables cuts to 15 characters. Value: string. */
const outInterface: ValueGrammar = {
  name: 'interface',
  parse(text) {
    if (text.length <= 15) return ok(text, text);
    const cut = text.slice(0, 15);
    return ok(cut, cut, { message: `Interface names have at most 15 characters: iptables keeps '${cut}'`, at: [15, text.length] });
  },
};

export const TEE: TargetSpec = {
  kind: 'target',
  name: 'TEE',
  families: BOTH_FAMILIES,
  terminating: false,
  summary: 'Send a copy of the packet to another host on the local network, then continue',
  options: [
    { names: ['--gateway'], args: [gateway] },
    { names: ['--oif'], args: [outInterface] },
  ],
  check(ext) {
    const problems: ExtensionProblem[] = [];
    if (!ext.options.some((o) => o.spec.names[0] === '--gateway'))
      problems.push({ kind: 'missing-required-option', message: 'TEE needs --gateway ADDRESS (the host that receives the copies)' });
    return problems;
  },
};

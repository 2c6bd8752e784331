import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { enumList, enumOf, fail, hostList, ok, protocol, uintRange } from '../values';

/** Connection states in the order iptables prints them (bit order). */
export const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;
export const CT_STATUSES = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'] as const;

export const ctStateList: ValueGrammar = enumList('connection state', CT_STATES, { caseInsensitive: true });

/** A port or port range written `a[:b]`, numbers only, as conntrack's --ct*port options take. */
const ctPortRange = uintRange('port', 0, 65535);

/** --ctproto takes a protocol name or number but refuses 0, and prints the number. */
const ctProtocol: ValueGrammar = {
  name: 'protocol',
  parse(value, ctx) {
    const r = protocol.parse(value, ctx);
    if (!r.ok) return r;
    const num = (r.value as { number: number }).number;
    if (num === 0) return fail('--ctproto needs a specific protocol, not 0/all');
    return ok(r.value, String(num));
  },
};

export const conntrack: MatchModule = {
  kind: 'match',
  name: 'conntrack',
  families: BOTH_FAMILIES,
  semantics: 'modelled',
  summary: 'Connection tracking state, status, direction and original/reply addresses',
  options: [
    { names: ['--ctstate'], args: [ctStateList], negatable: true },
    { names: ['--ctproto'], args: [ctProtocol], negatable: true },
    { names: ['--ctorigsrc'], args: [hostList], negatable: true },
    { names: ['--ctorigdst'], args: [hostList], negatable: true },
    { names: ['--ctreplsrc'], args: [hostList], negatable: true },
    { names: ['--ctrepldst'], args: [hostList], negatable: true },
    { names: ['--ctorigsrcport'], args: [ctPortRange], negatable: true },
    { names: ['--ctorigdstport'], args: [ctPortRange], negatable: true },
    { names: ['--ctreplsrcport'], args: [ctPortRange], negatable: true },
    { names: ['--ctrepldstport'], args: [ctPortRange], negatable: true },
    { names: ['--ctstatus'], args: [enumList('connection status', CT_STATUSES, { caseInsensitive: true })], negatable: true },
    { names: ['--ctexpire'], args: [uintRange('remaining lifetime in seconds', 0, 0xffffffff)], negatable: true },
    { names: ['--ctdir'], args: [enumOf('direction', ['ORIGINAL', 'REPLY'], { caseInsensitive: true })] },
  ],
  check(ext) {
    return ext.options.length === 0
      ? [{ kind: 'missing-required-option', message: '-m conntrack needs at least one option, such as --ctstate RELATED,ESTABLISHED' }]
      : [];
  },
};

import { OUTGOING_HOOKS } from '../grammars/placement';
import { BOTH_FAMILIES, ExtensionProblem, ParsedOption, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';
import { flag, isTcpRule } from '../grammars/mangle-targets';

/**
 * --set-mss: the kernel must fit the MSS in a packet of at most 65535 bytes with minimal
 * IP and TCP headers, so iptables allows 0-65515 (IPv4) or 0-65495 (IPv6). Value: number.
 */
const mssValue: ValueGrammar = {
  name: 'MSS',
  parse(text, ctx) {
    const max = ctx.family === 'ipv4' ? 65515 : 65495;
    const v = parseCUnsigned(text);
    if (v === undefined || v > BigInt(max)) return fail(`'${text}' is not a valid MSS: expected a number of bytes from 0 to ${max}`);
    return ok(Number(v), String(v));
  },
};

const ACTIONS = ['--set-mss', '--clamp-mss-to-pmtu'];

/** The action in effect: iptables keeps the last one written. */
const lastAction = (options: readonly ParsedOption[]): ParsedOption | undefined => [...options].reverse().find((o) => ACTIONS.includes(o.spec.names[0]));

export const TCPMSS: TargetSpec = {
  kind: 'target',
  name: 'TCPMSS',
  families: BOTH_FAMILIES,
  terminating: false,
  protocols: ['tcp'],
  summary: 'Rewrite the MSS option of TCP SYN packets (fixed value or clamped to the path MTU)',
  doc: `TCPMSS lowers the maximum segment size (MSS) announced in TCP SYN and SYN-ACK packets, so both ends send segments that fit the path. It cures connections that open but hang as soon as large packets flow, typical behind PPPoE, VPN or tunnel links where ICMP "fragmentation needed" messages get lost. The packet goes on to the next rule.

It needs \`-p tcp\` and a SYN match; the usual place is mangle FORWARD on the router.

\`\`\`iptables
*mangle
-A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
COMMIT
\`\`\`

- \`--tcp-flags SYN,RST SYN\` matches both SYN and SYN-ACK; both carry an MSS.
- \`--clamp-mss-to-pmtu\` works only in FORWARD, OUTPUT and POSTROUTING: it needs the route's MTU.
- TCPMSS only ever lowers the MSS, never raises it.
- With asymmetric routes the computed value can be wrong: use \`--set-mss\` with a value you worked out.`,
  options: [
    { names: ['--set-mss'], args: [mssValue], doc: `Announces this MSS in bytes, e.g. 1452 for PPPoE (MTU 1492 minus 40). A packet that already announces less keeps its own value.` },
    flag('--clamp-mss-to-pmtu', { doc: `Computes the MSS from the route MTU: the MTU minus 40 bytes for IPv4, minus 60 for IPv6. Only in FORWARD, OUTPUT and POSTROUTING.` }),
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    const actions = ext.options.filter((o) => ACTIONS.includes(o.spec.names[0]));
    if (actions.length === 0)
      problems.push({ kind: 'missing-required-option', message: '-j TCPMSS needs --clamp-mss-to-pmtu or --set-mss BYTES' });
    // Repeating one option is refused by iptables (reported as a duplicate); two different
    // actions are accepted and the last wins.
    const first = actions.find((o) => o.spec !== actions[actions.length - 1].spec);
    if (first) {
      const last = actions[actions.length - 1];
      problems.push({ kind: 'suspicious-value', message: `${first.written} and ${last.written} exclude each other: iptables keeps only the last one (${last.written}); remove ${first.written}`, option: first });
    }
    // The legacy backend's kernel check wants a tcp match with SYN in its flags; we see only
    // which matches the rule loads, so a rule without any tcp match is the case we can tell.
    if (isTcpRule(rule) && !rule.matches.includes('tcp'))
      problems.push({
        kind: 'missing-required-option',
        message: 'TCPMSS only works on SYN packets, and iptables-legacy refuses the rule without a SYN match: add --syn (or --tcp-flags SYN,RST SYN) before -j TCPMSS',
      });
    // Clamping needs a route, which exists only on the way out.
    const action = lastAction(ext.options);
    if (action?.spec.names[0] === '--clamp-mss-to-pmtu' && (rule.chain === 'PREROUTING' || rule.chain === 'INPUT'))
      problems.push({ kind: 'target-not-allowed', message: `--clamp-mss-to-pmtu works only in FORWARD, OUTPUT and POSTROUTING (it needs the route): the kernel refuses it in ${rule.chain}; use --set-mss there`, option: action });
    return problems;
  },
  print(ext) {
    const action = lastAction(ext.options);
    return action ? [action.spec.names[0], ...action.canonical] : [];
  },
  hooksFor: (ext) => (lastAction(ext.options)?.spec.names[0] === '--clamp-mss-to-pmtu' ? OUTGOING_HOOKS : undefined),
};

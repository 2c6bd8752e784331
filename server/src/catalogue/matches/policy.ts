import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ParsedExtension, ParsedOption, ValueGrammar } from '../types';
import { parseUInt } from '../numbers';
import { enumOf, fail, ok, uint } from '../values';
import { hostMask } from '../grammars/host-mask';
import { hookProblem, INCOMING_HOOKS, OUTGOING_HOOKS } from '../grammars/placement';
import { findOption as find } from '../parsed';

/** The kernel's XT_POLICY_MAX_ELEM: a policy has at most four elements. */
const MAX_ELEMENTS = 4;

const IPSEC_PROTOCOLS: Readonly<Record<string, number>> = { ah: 51, esp: 50, ipcomp: 108 };
const PROTOCOL_BY_NUMBER = new Map(Object.entries(IPSEC_PROTOCOLS).map(([n, v]) => [v, n]));

/**
 * ah, esp or ipcomp, by lower-case name or number (`50`, `0x32`), printed by name.
 * Value: { number, name }.
 */
const ipsecProtocol: ValueGrammar = {
  name: 'ah, esp or ipcomp',
  choices: Object.keys(IPSEC_PROTOCOLS),
  parse(text) {
    const number = IPSEC_PROTOCOLS[text] ?? parseUInt(text, 0, 255);
    const name = number === undefined ? undefined : PROTOCOL_BY_NUMBER.get(number);
    if (number === undefined || !name) return fail(`'${text}' is not an IPsec protocol: use ah, esp or ipcomp`);
    return ok({ number, name }, name);
  },
};

/** Options that describe one policy element; `--next` starts a new element. */
const ELEMENT_OPTIONS = ['--reqid', '--spi', '--proto', '--mode', '--tunnel-src', '--tunnel-dst'];
/** The order iptables-save prints an element's options in. */
const ELEMENT_PRINT_ORDER = ['--reqid', '--spi', '--proto', '--mode', '--tunnel-dst', '--tunnel-src'];

/** The element options, split at each --next. */
function elements(ext: ParsedExtension): ParsedOption[][] {
  const out: ParsedOption[][] = [[]];
  for (const o of ext.options) {
    if (o.spec.names[0] === '--next') out.push([]);
    else if (ELEMENT_OPTIONS.includes(o.spec.names[0])) out[out.length - 1].push(o);
  }
  return out;
}

function elementProblems(element: ParsedOption[], n: number, strict: boolean, next: ParsedOption | undefined): ExtensionProblem[] {
  const problems: ExtensionProblem[] = [];
  const seen = new Set<string>();
  for (const o of element) {
    const name = o.spec.names[0];
    if (seen.has(name)) problems.push({ kind: 'duplicate-option', message: `${o.written} is given twice in policy element ${n + 1}: start a new element with --next (with --strict) or keep one`, option: o });
    seen.add(name);
  }
  if (strict && element.length === 0)
    problems.push({ kind: 'missing-required-option', message: `Policy element ${n + 1} is empty: with --strict every element needs at least one of --reqid, --spi, --proto, --mode, --tunnel-src or --tunnel-dst`, option: next });
  const tunnel = element.find((o) => o.spec.names[0] === '--tunnel-src' || o.spec.names[0] === '--tunnel-dst');
  const mode = element.find((o) => o.spec.names[0] === '--mode');
  if (tunnel && (!mode || mode.values[0] !== 'tunnel' || mode.negated))
    problems.push({ kind: mode ? 'conflicting-options' : 'missing-required-option', message: `${tunnel.written} only applies to tunnel mode: add --mode tunnel to the same policy element`, option: tunnel });
  return problems;
}

export const policy: MatchModule = {
  kind: 'match',
  name: 'policy',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'The IPsec policy that decapsulated the packet or will encapsulate it',
  doc: `Matches whether a packet was protected by IPsec (\`--dir in\`: it arrived through a tunnel and was decrypted) or is about to be (\`--dir out\`: it will be encrypted), and optionally by which security association. Use it to allow traffic only through the VPN, or to keep VPN traffic out of NAT.

\`\`\`iptables
*nat
-A POSTROUTING -s 10.1.0.0/16 -d 10.2.0.0/16 -m policy --dir out --pol ipsec -j ACCEPT
-A POSTROUTING -o eth0 -j MASQUERADE
\`\`\`

- \`--dir in\` only works where packets arrive (PREROUTING, INPUT, FORWARD); \`--dir out\` only where they leave (FORWARD, OUTPUT, POSTROUTING).
- An incoming tunnel packet passes the chains twice: first as ESP (\`-p esp\`), then decrypted as ordinary traffic. Your rules must allow both.
- Without \`--strict\`, any one transformation of the policy that fits is enough. With it, the elements must match the whole policy, in order.`,
  options: [
    // Value: 'in' | 'out' (lower case only).
    { names: ['--dir'], args: [enumOf('direction', ['in', 'out'])], doc: '`in` looks at the policy that decrypted the packet, `out` at the policy that will encrypt it. Required.' },
    // Value: 'none' | 'ipsec'; iptables-save prints `--pol ipsec` when it is left out.
    { names: ['--pol'], args: [enumOf('policy', ['none', 'ipsec'])], doc: '`ipsec` matches packets handled by IPsec, `none` packets that are not. Left out, it means `ipsec`.' },
    { names: ['--strict'], args: [], doc: 'Requires the policy to match the listed elements exactly, in order (elements separated by `--next`). Without it, one fitting transformation is enough.' },
    // The element options may be repeated, once per element (checked below).
    // Value: number.
    { names: ['--reqid'], args: [uint('reqid', 0, 0xffffffff)], negatable: true, repeatable: true, doc: 'The reqid of the policy: a number that ties a policy to its security associations, set in the IPsec daemon\'s configuration.' },
    // Value: number (printed in hex).
    { names: ['--spi'], args: [uint('SPI', 0, 0xffffffff, { hex: true })], negatable: true, repeatable: true, doc: 'Security Parameter Index of the association: the number that identifies it in ESP and AH headers.' },
    { names: ['--proto'], args: [ipsecProtocol], negatable: true, repeatable: true, doc: 'IPsec protocol of the transformation: `esp`, `ah` or `ipcomp`.' },
    // Value: 'transport' | 'tunnel'.
    { names: ['--mode'], args: [enumOf('mode', ['transport', 'tunnel'])], negatable: true, repeatable: true, doc: '`tunnel` (whole packet wrapped, between gateways) or `transport` (payload protected, between two hosts).' },
    // Value: HostMaskValue (the address is kept unmasked).
    { names: ['--tunnel-src'], args: [hostMask], negatable: true, repeatable: true, doc: 'Source endpoint (address[/mask]) of a tunnel-mode association, i.e. the remote gateway for incoming traffic. Needs `--mode tunnel` in the same element.' },
    { names: ['--tunnel-dst'], args: [hostMask], negatable: true, repeatable: true, doc: 'Destination endpoint (address[/mask]) of a tunnel-mode association. Needs `--mode tunnel` in the same element.' },
    { names: ['--next'], args: [], repeatable: true, doc: 'Starts the next element of a `--strict` policy description. A policy has at most four elements.' },
  ],
  check(ext, rule) {
    const problems: ExtensionProblem[] = [];
    const dir = find(ext, '--dir');
    const pol = find(ext, '--pol');
    const strict = find(ext, '--strict');
    const next = ext.options.filter((o) => o.spec.names[0] === '--next');
    if (!dir) problems.push({ kind: 'missing-required-option', message: '-m policy needs --dir in (decapsulation, incoming) or --dir out (encapsulation, outgoing)' });
    else if (dir.values[0] === 'in') problems.push(...hookProblem(rule, ['PREROUTING', 'INPUT', 'FORWARD'], '--dir in', 'packets there have not been decapsulated', dir));
    else if (dir.values[0] === 'out') problems.push(...hookProblem(rule, ['FORWARD', 'OUTPUT', 'POSTROUTING'], '--dir out', 'packets there are not going to be encapsulated', dir));
    if (pol?.values[0] === 'none') {
      if (strict) problems.push({ kind: 'conflicting-options', message: '--pol none cannot be combined with --strict: there is no policy to match exactly', option: strict });
      else if (ext.options.some((o) => ELEMENT_OPTIONS.includes(o.spec.names[0])))
        problems.push({ kind: 'suspicious-value', message: '--pol none matches packets without IPsec, so iptables drops the element options (--reqid, --spi, --proto, ...) of this rule', option: pol });
      return problems;
    }
    if (next.length > 0 && !strict) problems.push({ kind: 'missing-required-option', message: '--next separates the elements of a --strict policy: add --strict', option: next[0] });
    if (next.length >= MAX_ELEMENTS)
      problems.push({ kind: 'invalid-value', message: `A policy has at most ${MAX_ELEMENTS} elements, so at most ${MAX_ELEMENTS - 1} --next`, option: next[MAX_ELEMENTS - 1] });
    elements(ext).forEach((e, i) => problems.push(...elementProblems(e, i, !!strict, i === 0 ? (next[0] ?? strict) : next[i - 1])));
    return problems;
  },
  print(ext) {
    const pol = find(ext, '--pol');
    const out = ['--dir', find(ext, '--dir')?.canonical[0] ?? 'in', '--pol', pol?.canonical[0] ?? 'ipsec'];
    if (pol?.values[0] === 'none') return out;
    if (find(ext, '--strict')) out.push('--strict');
    elements(ext).forEach((element, i) => {
      if (i > 0) out.push('--next');
      for (const name of ELEMENT_PRINT_ORDER)
        for (const o of element) if (o.spec.names[0] === name) out.push(...(o.negated ? ['!'] : []), name, ...o.canonical);
    });
    return out;
  },
  hooksFor(ext) {
    const dir = find(ext, '--dir')?.values[0];
    return dir === 'in' ? INCOMING_HOOKS : dir === 'out' ? OUTGOING_HOOKS : undefined;
  },
};

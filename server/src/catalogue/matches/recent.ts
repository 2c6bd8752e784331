import { BOTH_FAMILIES, ExtensionProblem, MatchModule, ValueGrammar } from '../types';
import { fail, ok, saveString, uint } from '../values';
import { allOnes, formatAddress, maskPrefix } from '../addresses';
import { parseHost } from '../grammars/xt-host';
import { findOption as opt } from '../parsed';

/**
 * --name: the list's file name under /proc/net/xt_recent. The kernel refuses an empty name,
 * '/', '.' and '..', and iptables keeps 199 characters. Value: the name.
 */
const listName: ValueGrammar = {
  name: 'list name',
  parse(text) {
    if (text === '' || text === '.' || text === '..' || text.includes('/'))
      return fail(`'${text}' cannot be a recent list name: it becomes a file name under /proc/net/xt_recent (no '/', not empty, not . or ..)`);
    const kept = text.slice(0, 199);
    const warning =
      text.length > 199
        ? { message: 'iptables keeps only the first 199 characters of the name' }
        : saveString(text) !== text
          ? { message: `iptables-save writes this name without quotes, so the saved rules will not load again: use letters, digits, '_' and '-' only` }
          : undefined;
    return ok(kept, kept, warning);
  },
};

/**
 * --mask: a netmask written as an address (IPv4 in inet_aton form, so `24` is 0.0.0.24),
 * applied to the addresses before they are stored. Value: the mask as bigint.
 */
const recentMask: ValueGrammar = {
  name: 'netmask (as an address)',
  parse(text, ctx) {
    const r = parseHost(text, ctx.family);
    if (!r.ok) return fail(r.message, { kind: r.kind });
    if (r.address === undefined) return ok(undefined, text, r.warning);
    const canonical = formatAddress(ctx.family, r.address);
    const warning =
      /^[0-9]+$/.test(text) && Number(text) <= 128
        ? { message: `--mask takes a netmask written as an address, not a prefix length: '${text}' means ${canonical}` }
        : maskPrefix(ctx.family, r.address) === undefined
          ? { message: `${canonical} is not a contiguous mask: addresses that differ in the masked-out bits count as one` }
          : undefined;
    return ok(r.address, canonical, warning);
  },
};

/** --seconds is stored as 32 bits but printed as a signed number, which iptables-restore refuses. Value: seconds. */
const seconds: ValueGrammar = {
  name: 'seconds',
  parse(text, ctx) {
    const r = uint('number of seconds', 1, 0xffffffff).parse(text, ctx);
    if (!r.ok || (r.value as number) < 2 ** 31) return r;
    const printed = String((r.value as number) - 2 ** 32);
    return ok(r.value, printed, { message: `iptables-save prints ${text} as ${printed}, which cannot be loaded again: use at most 2147483647` });
  },
};

const COMMANDS = ['--set', '--rcheck', '--update', '--remove'];
/** Options that only make sense when checking the list. */
const CHECK_ONLY = ['--seconds', '--reap', '--hitcount', '--rttl'];

export const recent: MatchModule = {
  kind: 'match',
  name: 'recent',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Remember addresses in a named list and match those seen recently',
  doc: `Keeps named lists of IP addresses in the kernel. One rule puts the packet's address on a list (\`--set\`); other rules ask whether the address is there, and how often and how recently it was seen (\`--rcheck\`, \`--update\`). Use it for simple brute-force protection and port knocking.

\`\`\`iptables
-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name ssh
-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 5 --name ssh -j DROP
\`\`\`

- \`--set\` and \`--update\`/\`--rcheck\` must use the same \`--name\`. Without one you get the list DEFAULT, shared with every other unnamed rule.
- \`--update\` counts every attempt and refreshes the timestamp, so a client that keeps trying stays blocked; with \`--rcheck\` it gets back in after \`--seconds\`.
- A list holds 100 addresses by default (module parameter ip_list_tot). When it is full, the oldest entry is dropped, so a flood of addresses pushes out the ones you care about.
- A rule with \`--set\` always matches: a target on it applies to every packet that reaches it.`,
  // In the order iptables-save prints them.
  options: [
    { names: ['--set'], args: [], negatable: true, doc: 'Adds the address to the list, or records a new hit if it is already there. Always matches, so a target on this rule applies to every packet.' },
    { names: ['--rcheck'], args: [], negatable: true, doc: 'Matches if the address is on the list, without changing the entry. Narrow it with `--seconds` and `--hitcount`.' },
    { names: ['--update'], args: [], negatable: true, doc: 'Like `--rcheck`, but also records this packet as a new hit and refreshes the last-seen time, so a sender that keeps trying stays inside the window.' },
    { names: ['--remove'], args: [], negatable: true, doc: 'Matches if the address is on the list, and takes it off. Port-knocking rules use it to close the door again.' },
    { names: ['--seconds'], args: [seconds], doc: 'Only matches if the address was seen within this many seconds. Needs `--rcheck` or `--update`.' },
    { names: ['--reap'], args: [], doc: 'With `--seconds`, also deletes entries older than that window, so stale addresses do not fill the list.' },
    // Value: hit count; 0 means "not checked".
    { names: ['--hitcount'], args: [uint('hit count', 0, 0xffffffff)], doc: 'Only matches if the address has at least this many hits recorded (within `--seconds` when given). Needs `--rcheck` or `--update`.' },
    { names: ['--rttl'], args: [], doc: 'Only matches if the packet\'s TTL equals that of the packet that added the address. Spoofed packets rarely get the TTL right, so forged sources cannot easily get a real client blocked.' },
    { names: ['--name'], args: [listName], doc: 'Name of the list; each name is a separate list, shown as /proc/net/xt_recent/NAME. The default is DEFAULT.' },
    { names: ['--mask'], args: [recentMask], doc: 'Netmask applied to addresses before they are stored or looked up, written as an address (`255.255.255.0`), not a prefix length. Addresses in the same block then count as one.' },
    { names: ['--rsource'], args: [], doc: 'Stores and looks up the packet\'s source address. This is the default.' },
    { names: ['--rdest'], args: [], doc: 'Stores and looks up the packet\'s destination address instead of its source.' },
  ],
  check(ext) {
    const out: ExtensionProblem[] = [];
    const commands = ext.options.filter((o) => COMMANDS.includes(o.spec.names[0]));
    if (commands.length === 0) return [{ kind: 'missing-required-option', message: '-m recent needs one of --set, --rcheck, --update or --remove' }];
    if (commands.length > 1)
      out.push({ kind: 'conflicting-options', message: `${commands[0].written} and ${commands[1].written} exclude each other: use one -m recent per action`, option: commands[1] });
    const command = commands[0].spec.names[0];
    if (command === '--set' || command === '--remove') {
      for (const o of ext.options.filter((o) => CHECK_ONLY.includes(o.spec.names[0]))) {
        if (o.spec.names[0] === '--hitcount' && o.values[0] === 0) continue;
        out.push({ kind: 'conflicting-options', message: `${o.written} only works with --rcheck or --update, not with ${command}`, option: o });
      }
    }
    const reap = opt(ext, '--reap');
    if (reap && !opt(ext, '--seconds')) out.push({ kind: 'missing-required-option', message: '--reap needs --seconds N (it removes entries older than that)', option: reap });
    const hitcount = opt(ext, '--hitcount');
    if (hitcount && (hitcount.values[0] as number) > 65535)
      out.push({ kind: 'invalid-value', message: `--hitcount ${hitcount.canonical[0]} is refused by the kernel: at most 65535`, option: hitcount });
    return out;
  },
  print(ext, rule) {
    const out: string[] = [];
    for (const o of ext.options.filter((o) => COMMANDS.includes(o.spec.names[0]))) out.push(...(o.negated ? ['!'] : []), o.spec.names[0]);
    const secs = opt(ext, '--seconds');
    if (secs) out.push('--seconds', secs.canonical[0]);
    if (opt(ext, '--reap')) out.push('--reap');
    const hitcount = opt(ext, '--hitcount');
    if (hitcount && hitcount.values[0] !== 0) out.push('--hitcount', hitcount.canonical[0]);
    if (opt(ext, '--rttl')) out.push('--rttl');
    out.push('--name', opt(ext, '--name')?.canonical[0] ?? 'DEFAULT');
    out.push('--mask', opt(ext, '--mask')?.canonical[0] ?? formatAddress(rule.family, allOnes(rule.family)));
    // The later of --rsource/--rdest wins; the source is the default.
    const dir = ext.options.filter((o) => o.spec.names[0] === '--rsource' || o.spec.names[0] === '--rdest').pop();
    out.push(dir ? dir.spec.names[0] : '--rsource');
    return out;
  },
};

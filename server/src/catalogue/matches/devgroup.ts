import { BOTH_FAMILIES, ExtensionProblem, MatchModule } from '../types';
import { namedValueMask } from '../grammars/named-value';
import { hookProblem, INCOMING_HOOKS, intersectHooks, OUTGOING_HOOKS } from '../grammars/placement';
import { findOption as find } from '../parsed';

/** Device group names every iproute2 installation ships (/etc/iproute2/group). */
const GROUP_NAMES = { default: 0 };
// Value: NamedValue { value, mask, name }.
const deviceGroup = namedValueMask('device group', GROUP_NAMES);

export const devgroup: MatchModule = {
  kind: 'match',
  name: 'devgroup',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'The device group of the incoming or outgoing interface',
  doc: `Matches by the group number of the incoming or outgoing interface. You assign groups with \`ip link set dev eth1 group 10\`; a rule then covers every interface in that group, including ones created later.

\`\`\`iptables
-A FORWARD -m devgroup --src-group 10 --dst-group 20 -j ACCEPT
\`\`\`

- The group is read as each packet passes, so an interface moved into the group is covered at once, and an interface left in group 0 (\`default\`) is not.
- \`--src-group\` needs an incoming interface (PREROUTING, INPUT, FORWARD) and \`--dst-group\` an outgoing one (FORWARD, OUTPUT, POSTROUTING).
- Group names come from /etc/iproute2/group on the machine that loads the rules; only \`default\` (0) is always there. Use numbers.`,
  options: [
    { names: ['--src-group'], args: [deviceGroup], negatable: true, doc: 'Group of the interface the packet came in on: a number with an optional /mask, or a name from /etc/iproute2/group.' },
    { names: ['--dst-group'], args: [deviceGroup], negatable: true, doc: 'Group of the interface the packet will leave through: a number with an optional /mask, or a name from /etc/iproute2/group.' },
  ],
  check(ext, rule) {
    const src = find(ext, '--src-group');
    const dst = find(ext, '--dst-group');
    if (!src && !dst) return [{ kind: 'missing-required-option', message: '-m devgroup needs --src-group or --dst-group' }];
    const problems: ExtensionProblem[] = [];
    if (src) problems.push(...hookProblem(rule, ['PREROUTING', 'INPUT', 'FORWARD'], '--src-group', 'there is no incoming interface there', src));
    if (dst) problems.push(...hookProblem(rule, ['FORWARD', 'OUTPUT', 'POSTROUTING'], '--dst-group', 'the outgoing interface is not known there', dst));
    return problems;
  },
  hooksFor: (ext) => intersectHooks(find(ext, '--src-group') && INCOMING_HOOKS, find(ext, '--dst-group') && OUTGOING_HOOKS),
};

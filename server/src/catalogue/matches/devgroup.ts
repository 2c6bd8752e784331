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
  options: [
    { names: ['--src-group'], args: [deviceGroup], negatable: true },
    { names: ['--dst-group'], args: [deviceGroup], negatable: true },
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

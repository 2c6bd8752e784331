import { BOTH_FAMILIES, MatchModule } from '../types';
import { interfaceName } from '../values';
import { hookProblem } from '../grammars/placement';
import { Hook } from '../types';
import { findOption as find } from '../parsed';

export const physdev: MatchModule = {
  kind: 'match',
  name: 'physdev',
  families: BOTH_FAMILIES,
  summary: 'The bridge ports a bridged packet came in on or goes out through',
  // In the order iptables-save prints them.
  options: [
    { names: ['--physdev-is-in'], args: [], negatable: true },
    // Value: InterfaceValue { name, wildcard } (`eth+` is a prefix match).
    { names: ['--physdev-in'], args: [interfaceName], negatable: true },
    { names: ['--physdev-is-out'], args: [], negatable: true },
    { names: ['--physdev-out'], args: [interfaceName], negatable: true },
    { names: ['--physdev-is-bridged'], args: [], negatable: true },
  ],
  check(ext, rule) {
    if (ext.options.length === 0)
      return [{ kind: 'missing-required-option', message: '-m physdev needs an option, such as --physdev-in PORT or --physdev-is-bridged' }];
    // The kernel refuses output-port tests in OUTPUT unless the rule is limited to bridged
    // traffic: a locally sent packet has not chosen its bridge port yet.
    const out = find(ext, '--physdev-out') ?? find(ext, '--physdev-is-out');
    const bridged = find(ext, '--physdev-is-bridged');
    if (out && (!bridged || bridged.negated))
      return hookProblem(rule, ['PREROUTING', 'INPUT', 'FORWARD', 'POSTROUTING'], `${out.spec.names[0]} without --physdev-is-bridged`, 'locally generated packets have no output bridge port yet (add --physdev-is-bridged or use FORWARD/POSTROUTING)', out);
    return [];
  },
  hooksFor(ext) {
    const out = find(ext, '--physdev-out') ?? find(ext, '--physdev-is-out');
    const bridged = find(ext, '--physdev-is-bridged');
    return out && (!bridged || bridged.negated) ? NOT_LOCAL_OUT : undefined;
  },
};

const NOT_LOCAL_OUT: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'POSTROUTING'];

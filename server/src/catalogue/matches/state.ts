import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail } from '../values';
import { prefixNameList, STATE_STATES } from './conntrack';

const stateNames = prefixNameList('connection state', STATE_STATES, ['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED']);

/** Value: state names in print order (a subset of CT_STATES). */
const stateList: ValueGrammar = {
  ...stateNames,
  parse(text, ctx) {
    const r = stateNames.parse(text, ctx);
    if (r.ok) return r;
    // The virtual SNAT/DNAT states only exist in the conntrack match.
    const bad = r.at ? text.slice(r.at[0], r.at[1]).toUpperCase() : '';
    if (bad && ['SNAT', 'DNAT'].some((n) => n.startsWith(bad)))
      return fail(`-m state does not know the SNAT and DNAT states: use -m conntrack --ctstate ${text.toUpperCase()}`, { at: r.at });
    return r;
  },
};

export const state: MatchModule = {
  kind: 'match',
  name: 'state',
  families: BOTH_FAMILIES,
  summary: 'Connection tracking state (older, smaller form of -m conntrack --ctstate)',
  options: [{ names: ['--state'], args: [stateList], negatable: true }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m state needs --state, e.g. --state RELATED,ESTABLISHED' }] : [];
  },
};

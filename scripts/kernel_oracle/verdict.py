"""From counter movements to a path and a verdict.

The kernel gives per-rule packet counters. One packet is injected at a time, so the rules
whose counters moved are exactly the rules it matched. Walking each base chain that the
packet crossed, in hook and table priority order, and following jumps, gotos and RETURNs
through the moved rules, rebuilds the path and the rule (or policy) that decided.
"""

from .ruleset import FATAL_TARGETS, TERMINAL_TARGETS

# Base chains in the order a packet meets them (tables by hook priority).
INBOUND_ORDER = [('PREROUTING', t) for t in ('raw', 'mangle', 'nat')] + \
                [('INPUT', t) for t in ('mangle', 'filter', 'security', 'nat')] + \
                [('FORWARD', t) for t in ('mangle', 'filter', 'security')] + \
                [('POSTROUTING', t) for t in ('mangle', 'nat')]
OUTBOUND_ORDER = [('OUTPUT', t) for t in ('raw', 'mangle', 'nat', 'filter', 'security')] + \
                 [('POSTROUTING', t) for t in ('mangle', 'nat')]
LOOPBACK_ORDER = OUTBOUND_ORDER + [('PREROUTING', t) for t in ('raw', 'mangle', 'nat')] + \
                 [('INPUT', t) for t in ('mangle', 'filter', 'security', 'nat')]
FILTER_HOOK_OF_CHAIN = {'INPUT': 'input', 'FORWARD': 'forward', 'OUTPUT': 'output'}


def chain_order(packet):
    if packet.direction == 'output':
        return LOOPBACK_ORDER if packet.out_dev == 'lo' else OUTBOUND_ORDER
    return INBOUND_ORDER


class Walk:
    """One packet's walk through the moved counters of every table."""

    def __init__(self, tables, rule_deltas, policy_deltas):
        self.tables = tables
        self.remaining = {key: list(deltas) for key, deltas in rule_deltas.items()}
        self.policy_deltas = policy_deltas
        self.matched = []
        self.notes = []

    def base_chain(self, table, chain):
        """The outcome of one base chain: None when the packet did not cross it."""
        key = (table, chain)
        crossed = any(self.remaining.get(key, [])) or self.policy_deltas.get(key, 0) > 0
        if not crossed:
            return None
        outcome = self._walk(table, chain, depth=0)
        if outcome[0] == 'verdict':
            return {'table': table, 'chain': chain, 'target': outcome[1], 'by': outcome[2]}
        policy = self.tables[table][chain].policy
        if self.policy_deltas.get(key, 0) <= 0:
            self.notes.append(f'{table}/{chain}: fell through its rules but the policy counter did not move')
        return {'table': table, 'chain': chain, 'target': policy,
                'by': {'table': table, 'chain': chain, 'policy': policy}}

    def _walk(self, table, chain, depth):
        if depth > 64:
            return ('return',)
        for rule in self.tables[table][chain].rules:
            moved = self.remaining.get((table, chain))
            if not moved or moved[rule.index - 1] <= 0:
                continue
            moved[rule.index - 1] -= 1
            where = {'table': table, 'chain': chain, 'rule': rule.index}
            if rule.line is not None:
                where['line'] = rule.line
            self.matched.append(where)
            target = rule.target
            if target in self.tables[table]:
                outcome = self._walk(table, target, depth + 1)
                if outcome[0] == 'verdict':
                    return outcome
                if rule.goto:
                    return ('return',)
                continue
            if target == 'RETURN':
                return ('return',)
            if target in TERMINAL_TARGETS:
                return ('verdict', target, dict(where))
        return ('end',)

    def leftovers(self):
        return [f'{t}/{c}#{i + 1}' for (t, c), moved in self.remaining.items() for i, n in enumerate(moved) if n > 0]


def decide(packet, tables, rule_deltas, policy_deltas, probes):
    """The result fields (verdict, decided_by, matched, path, notes) for one packet."""
    walk = Walk(tables, rule_deltas, policy_deltas)
    crossed = []
    for chain, table in chain_order(packet):
        if table in tables and chain in tables[table]:
            outcome = walk.base_chain(table, chain)
            if outcome is not None:
                crossed.append(outcome)
    result = {'matched': walk.matched, 'path': [f"{c['table']}/{c['chain']}" for c in crossed]}
    notes = walk.notes
    if walk.leftovers():
        notes.append('counters not explained by one walk (a chain entered twice?): ' + ', '.join(walk.leftovers()))
    fatal = next((c for c in crossed if c['target'] in FATAL_TARGETS), None)
    reached = [hook for hook in ('output', 'input', 'forward') if probes.get(f'{hook}_before', 0) > 0]
    if packet.direction == 'output' and packet.out_dev == 'lo':
        reached = [h for h in ('output', 'input') if h in reached]
    if fatal is not None and fatal['table'] == 'filter':
        result.update(verdict=fatal['target'], decided_by=fatal['by'])
    elif fatal is not None:
        result.update(verdict='NOT_REACHED', stopped_by=fatal['by'])
        notes.append(f"dropped before the filter table by {fatal['table']}/{fatal['chain']} ({fatal['target']})")
    elif not reached:
        result.update(verdict='NOT_REACHED', decided_by=None)
        notes.append('the packet reached no filter hook: the kernel dropped it before (routing, martian '
                     'or malformed packet, or a hook outside iptables)')
    else:
        _accepted(result, reached[-1], crossed, tables, probes, notes)
    result['notes'] = notes
    return result


def _accepted(result, hook, crossed, tables, probes, notes):
    chain = hook.upper()
    decided = next((c for c in crossed if c['table'] == 'filter' and c['chain'] == chain), None)
    if decided is not None:
        result.update(verdict=decided['target'], decided_by=decided['by'])
    else:
        if 'filter' in tables and chain in tables['filter']:
            policy = tables['filter'][chain].policy
            notes.append(f'filter/{chain} counters did not move although the packet reached the hook')
        else:
            policy = 'ACCEPT'
            notes.append(f'no filter/{chain} chain is loaded: the filter table has no say')
        result.update(verdict=policy, decided_by={'table': 'filter', 'chain': chain, 'policy': policy})
    if result['verdict'] == 'ACCEPT' and probes.get(f'{hook}_after', 0) <= 0:
        notes.append(f'filter/{chain} accepted but the packet was not seen after the filter hook')

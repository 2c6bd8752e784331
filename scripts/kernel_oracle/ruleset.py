"""The loaded ruleset as the kernel holds it (parsed from `iptables-save -c`), the map from
rules back to lines of the user's file, and what the ruleset needs from the oracle."""

import re
import shlex

BUILTIN_CHAINS = ('PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING')
# Targets after which a chain stops being walked for this packet in this table.
TERMINAL_TARGETS = {'ACCEPT', 'DROP', 'REJECT', 'QUEUE', 'NFQUEUE', 'DNAT', 'SNAT', 'MASQUERADE',
                    'REDIRECT', 'NETMAP', 'TPROXY', 'SYNPROXY', 'CLUSTERIP', 'TARPIT'}
# Targets that end the packet's life (its filter verdict when they fire in filter).
FATAL_TARGETS = {'DROP', 'REJECT', 'QUEUE', 'NFQUEUE', 'TARPIT'}
_COUNTER = re.compile(r'^\[(\d+):(\d+)\]\s*')
_POLICY = re.compile(r'^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?')


class Rule:
    def __init__(self, index, text, target, goto, packets):
        self.index, self.text, self.target, self.goto, self.packets = index, text, target, goto, packets
        self.line = None  # line of the user's file, when it can be told


class Chain:
    def __init__(self, name, policy, packets):
        self.name, self.policy, self.policy_packets = name, policy, packets
        self.rules = []

    @property
    def builtin(self):
        return self.policy not in (None, '-')


_RULE_COUNTER = re.compile(r'^\[(\d+):\d+\]\s+-A\s+(\S+)')


def parse_save_counters(text):
    """Only the counters of `iptables-save -c` output, in the shape of Tables.counts().

    A regex per line instead of a full parse: this runs after every packet."""
    counts = {}
    table = None
    for line in text.splitlines():
        if line.startswith('['):
            m = _RULE_COUNTER.match(line)
            if m:
                counts.setdefault((table, m.group(2)), ([], 0))[0].append(int(m.group(1)))
        elif line.startswith(':'):
            m = _POLICY.match(line)
            counts[(table, m.group(1))] = ([], int(m.group(3)) if m.group(3) is not None else 0)
        elif line.startswith('*'):
            table = line[1:].strip()
    return counts


class Tables(dict):
    """{table: {chain: Chain}} in the order iptables-save printed them."""

    def counts(self):
        """{(table, chain): ([rule packets], policy packets)}: the part that moves."""
        return {(t, c.name): ([r.packets for r in c.rules], c.policy_packets)
                for t, chains in self.items() for c in chains.values()}


def _target(tokens, chain_names):
    """(target, goto) of a rule's tokens; the first -j/-g whose argument names a target."""
    for i, token in enumerate(tokens[:-1]):
        if token in ('-j', '--jump', '-g', '--goto'):
            name = tokens[i + 1]
            if name in chain_names or re.fullmatch(r'[A-Z][A-Z0-9_]*', name):
                return name, token in ('-g', '--goto')
    return None, False


def parse_save(text):
    """Tables from `iptables-save -c` output."""
    tables = Tables()
    table = None
    pending = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith('*'):
            table = tables.setdefault(line[1:], {})
            pending = []
        elif line.startswith(':') and table is not None:
            m = _POLICY.match(line)
            packets = int(m.group(3)) if m.group(3) is not None else 0
            table[m.group(1)] = Chain(m.group(1), m.group(2), packets)
        elif line == 'COMMIT':
            _attach_rules(table, pending)
            pending = []
        elif table is not None and (line.startswith('[') or line.startswith('-A')):
            pending.append(line)
    return tables


def _attach_rules(table, lines):
    for line in lines:
        m = _COUNTER.match(line)
        packets = int(m.group(1)) if m else 0
        body = line[m.end():] if m else line
        tokens = shlex.split(body)
        chain = table[tokens[1]]
        target, goto = _target(tokens[2:], table)
        chain.rules.append(Rule(len(chain.rules) + 1, body, target, goto, packets))


# ---------------------------------------------------------------------------- user's file


def _expansions(tokens):
    """How many kernel rules one -A line becomes: iptables splits comma lists in -s/-d."""
    count = 1
    for i, token in enumerate(tokens[:-1]):
        if token in ('-s', '--source', '--src', '-d', '--destination', '--dst'):
            count *= len(tokens[i + 1].split(','))
    return count


def map_lines(source_text, tables):
    """Sets Rule.line from the user's file when the rule counts agree chain by chain."""
    per_chain = {}
    table = None
    for number, raw in enumerate(source_text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith('*'):
            table = line[1:]
            continue
        if table is None or not line.startswith('-'):
            continue
        try:
            tokens = shlex.split(line, comments=True)
        except ValueError:
            return
        if len(tokens) < 2:
            continue
        lines = per_chain.setdefault((table, tokens[1]), [])
        expanded = [number] * _expansions(tokens)
        if tokens[0] in ('-A', '--append'):
            lines.extend(expanded)
        elif tokens[0] in ('-I', '--insert'):
            position = int(tokens[2]) - 1 if len(tokens) > 2 and tokens[2].isdigit() else 0
            lines[position:position] = expanded
        elif tokens[0] not in ('-N', '--new-chain', '-P', '--policy'):
            return  # -D, -R, -F ...: too clever to map reliably
    for name, chains in tables.items():
        for chain in chains.values():
            lines = per_chain.get((name, chain.name), [])
            if len(lines) == len(chain.rules):
                for rule, number in zip(chain.rules, lines):
                    rule.line = number


_CONNTRACK_USERS = re.compile(
    r'(^\*nat\b|-m\s+(state|conntrack|connmark|connlimit|connbytes|connlabel|helper|cluster)\b|'
    r'-j\s+(CT|NOTRACK|CONNMARK|CONNSECMARK|DNAT|SNAT|MASQUERADE|REDIRECT|NETMAP|SYNPROXY)\b|--ctstate|--state\b)',
    re.M)


def uses_conntrack(source_text):
    """Whether the kernel will run conntrack for this ruleset: only when some rule needs it."""
    return bool(_CONNTRACK_USERS.search(source_text))


def has_notrack(source_text):
    return bool(re.search(r'-j\s+(NOTRACK|CT\b.*--notrack)', source_text))


def uses_masquerade(source_text):
    return bool(re.search(r'-j\s+MASQUERADE\b', source_text))

import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { parseCUnsigned } from '../numbers';

/** The kernel keeps 128 label bits per connection. */
const MAX_LABEL = 127;

/**
 * A label bit number (C syntax), printed in double quotes as iptables-save does. Names are
 * looked up in /etc/xtables/connlabel.conf on the machine that loads the rules; a stock
 * system has no such file and iptables refuses the name, so only numbers are safe.
 * Value: the bit number.
 */
const label: ValueGrammar = {
  name: 'label number (0-127)',
  parse(text) {
    const n = parseCUnsigned(text);
    if (n !== undefined) {
      if (n > BigInt(MAX_LABEL)) return fail(`Label ${text} is out of range: the kernel has labels 0 to ${MAX_LABEL}`);
      return ok(Number(n), `"${n}"`);
    }
    return fail(`'${text}' is not a label number: names only work when /etc/xtables/connlabel.conf on the loading machine defines them (iptables refuses the rule otherwise); write the label's number (0 to ${MAX_LABEL})`);
  },
};

export const connlabel: MatchModule = {
  kind: 'match',
  name: 'connlabel',
  families: BOTH_FAMILIES,
  summary: 'A label bit on the connection, optionally setting it',
  doc: `Tests, and can set, one of 128 label bits attached to a connection. Labels work like a connection mark split into independent flags: several can be set at once, each by a different rule, without masks.

\`\`\`iptables
-A FORWARD -i wg0 -m connlabel --label 5 --set
-A FORWARD -o eth0 -m connlabel --label 5 -j ACCEPT
\`\`\`

The first rule tags every connection coming from the VPN; the second lets tagged connections out.

- Use label numbers. Names come from /etc/xtables/connlabel.conf on the machine that loads the rules, and iptables refuses a name it cannot find there.
- Setting can fail: the kernel reserves label space when a connection starts, and only if a connlabel rule was loaded at that moment. Connections older than your first connlabel rule cannot take labels.
- With \`--set\` the match succeeds whenever the label could be set, so a target on that rule applies to nearly every packet it sees.`,
  options: [
    { names: ['--label'], args: [label], negatable: true, doc: 'Label bit number, 0 to 127. Without `--set`, the rule matches connections that already carry this label.' },
    { names: ['--set'], args: [], doc: 'Sets the label on the connection if it is not set yet. The match then succeeds whenever setting works, so the rule\'s target runs for almost every packet.' },
  ],
  check(ext) {
    return ext.options.some((o) => o.spec.names[0] === '--label')
      ? []
      : [{ kind: 'missing-required-option', message: '-m connlabel needs --label NUMBER (--set alone does not say which label)' }];
  },
};

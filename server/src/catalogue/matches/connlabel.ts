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
  options: [
    { names: ['--label'], args: [label], negatable: true },
    { names: ['--set'], args: [] },
  ],
  check(ext) {
    return ext.options.some((o) => o.spec.names[0] === '--label')
      ? []
      : [{ kind: 'missing-required-option', message: '-m connlabel needs --label NUMBER (--set alone does not say which label)' }];
  },
};

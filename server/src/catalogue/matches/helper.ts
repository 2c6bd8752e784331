import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { ok, saveString } from '../values';

/** The match stores 30 bytes including the terminating NUL. */
const MAX_NAME = 29;

/**
 * A conntrack helper name, optionally with a port (`ftp`, `ftp-2121`). iptables cuts
 * longer names silently. Value: the name as stored.
 */
const helperName: ValueGrammar = {
  name: 'helper name',
  parse(text) {
    if (Buffer.byteLength(text, 'utf8') > MAX_NAME) {
      const cut = text.slice(0, MAX_NAME);
      return ok(cut, saveString(cut), { message: `The helper name is longer than ${MAX_NAME} characters: iptables cuts it to '${cut}' (the kernel then compares only as many characters as the helper's own name has)`, kind: 'suspicious-value' });
    }
    // An empty name is legal and matches every connection that has any helper.
    return ok(text, saveString(text));
  },
};
export const helper: MatchModule = {
  kind: 'match',
  name: 'helper',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  summary: 'Packets of connections set up by a conntrack helper (ftp, sip, ...)',
  doc: `Matches packets of connections that a conntrack helper expected: the FTP data connection announced on the control connection, the media streams of a SIP call, and so on. It does not match the control connection itself.

\`\`\`iptables
# raw PREROUTING assigns the helper: -p tcp --dport 21 -j CT --helper ftp
-A FORWARD -m conntrack --ctstate RELATED -m helper --helper ftp -j ACCEPT
\`\`\`

- Since Linux 4.7 helpers are not attached automatically. Assign one with \`-j CT --helper NAME\` in the raw table; without that there is nothing to match.
- A bare \`--ctstate RELATED -j ACCEPT\` accepts the expected connections of every helper. Adding \`-m helper\` narrows it to one protocol.`,
  options: [{ names: ['--helper'], args: [helperName], negatable: true, doc: 'Name of the helper that announced the connection: `ftp`, `sip`, `tftp`, `irc` ... A helper loaded for an extra port through its module options carries that port in its name (`ftp-2121`).' }],
  check(ext) {
    return ext.options.length === 0 ? [{ kind: 'missing-required-option', message: '-m helper needs --helper NAME (for example ftp)' }] : [];
  },
};

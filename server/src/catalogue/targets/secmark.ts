import { BOTH_FAMILIES, TargetSpec, ValueGrammar } from '../types';
import { fail, ok } from '../values';
import { requireOne } from '../grammars/mangle-targets';

/** The kernel keeps 255 bytes of the context (SECMARK_SECCTX_MAX minus the NUL). */
const MAX_CONTEXT = 255;

/**
 * An SELinux security context such as `system_u:object_r:http_packet_t:s0`. Value: the
 * context string. iptables-save prints it as given, without quotes.
 */
const securityContext: ValueGrammar = {
  name: 'security context',
  parse(text) {
    const bytes = Buffer.byteLength(text, 'utf8');
    // iptables passes an empty context on; the kernel cannot map it to a security id.
    if (text.length === 0) return fail('Empty security context: write one such as system_u:object_r:http_packet_t:s0');
    if (bytes > MAX_CONTEXT)
      return ok(text, text, { message: `The security context is ${bytes} bytes long: the kernel cuts it to ${MAX_CONTEXT}, which leaves a context SELinux does not know`, kind: 'suspicious-value' });
    if (/\s/.test(text)) return ok(text, text, { message: 'A security context has no spaces: iptables-save would print this one unquoted, and the saved rules would not load back', kind: 'suspicious-value' });
    return ok(text, text);
  },
};

export const SECMARK: TargetSpec = {
  kind: 'target',
  name: 'SECMARK',
  families: BOTH_FAMILIES,
  terminating: false,
  // The kernel refuses it outside the security and mangle tables (any chain there).
  tables: ['mangle', 'security'],
  summary: 'Set the packet\'s security mark (SELinux context) for the security subsystem',
  doc: `SECMARK gives the packet an SELinux security label (a security context). The SELinux policy then decides which programs may send or receive packets with that label. The packet goes on to the next rule.

It works in the security table (also in mangle, for old setups).

\`\`\`iptables
*security
-A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW -j SECMARK --selctx system_u:object_r:http_packet_t:s0
-A INPUT -m conntrack --ctstate NEW -j CONNSECMARK --save
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j CONNSECMARK --restore
COMMIT
\`\`\`

- The kernel refuses the rule when SELinux is off or the loaded policy does not know the context.
- Label the first packet and let CONNSECMARK carry the label to the rest of the connection.
- Once a SECMARK rule is loaded, SELinux checks packet labels on all traffic, so labelling one service can affect others.`,
  options: [
    { names: ['--selctx'], args: [securityContext], doc: `The SELinux context to give the packet, e.g. \`system_u:object_r:http_packet_t:s0\`. The loaded policy must know it.` },
  ],
  check(ext) {
    return requireOne(ext, ['--selctx'], '-j SECMARK needs --selctx CONTEXT, e.g. --selctx system_u:object_r:http_packet_t:s0');
  },
};

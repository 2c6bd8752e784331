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
  options: [{ names: ['--selctx'], args: [securityContext] }],
  check(ext) {
    return requireOne(ext, ['--selctx'], '-j SECMARK needs --selctx CONTEXT, e.g. --selctx system_u:object_r:http_packet_t:s0');
  },
};

import { BOTH_FAMILIES, MatchModule, ValueGrammar } from '../types';
import { parseCUnsigned, parseUInt } from '../numbers';
import { fail, ok } from '../values';
import { findOption as find } from '../parsed';

/** A user or group id range; `name` when written as a name (resolved on the loading machine). */
export interface OwnerIdValue {
  /** Undefined for a name other than root, which only the loading machine can resolve. */
  readonly min?: number;
  readonly max?: number;
  readonly name?: string;
}

/** uid_t/gid_t: 4294967295 is (uid_t)-1, "no owner", so iptables stops one below. */
const MAX_ID = 0xfffffffe;

/**
 * `name`, `id` or `id-id` (also `id:id`). Value: OwnerIdValue. Only root is 0 everywhere;
 * other names are printed as written since their numbers depend on the loading machine.
 */
function ownerId(what: 'user' | 'group'): ValueGrammar {
  return {
    name: `${what} name, id or id-id`,
    parse(text) {
      const sep = text.search(/[-:]/);
      const loText = sep === -1 ? text : text.slice(0, sep);
      const lo = parseUInt(loText, 0, MAX_ID);
      if (lo === undefined) {
        if (text === 'root') return ok({ min: 0, max: 0, name: 'root' } satisfies OwnerIdValue, '0');
        if (/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(text)) return ok({ name: text } satisfies OwnerIdValue, text);
        if (parseCUnsigned(loText) !== undefined) return fail(`${what === 'user' ? 'User' : 'Group'} id ${loText} is out of range: ids go from 0 to ${MAX_ID}`, { at: [0, loText.length] });
        return fail(`'${text}' is not a ${what} name, an id or an id range (from-to)`);
      }
      if (sep === -1) return ok({ min: lo, max: lo } satisfies OwnerIdValue, String(lo));
      const hiText = text.slice(sep + 1);
      const hi = parseUInt(hiText, 0, MAX_ID);
      if (hi === undefined) return fail(`'${hiText}' is not a valid ${what} id: expected a number from 0 to ${MAX_ID}`, { at: [sep + 1, text.length] });
      // The kernel refuses a reversed range when the rule is loaded.
      if (lo > hi) return fail(`The ${what} id range ${text} is reversed: write ${hi}-${lo}`, { suggestion: `${hi}-${lo}` });
      return ok({ min: lo, max: hi } satisfies OwnerIdValue, lo === hi ? String(lo) : `${lo}-${hi}`);
    },
  };
}

export const owner: MatchModule = {
  kind: 'match',
  name: 'owner',
  families: BOTH_FAMILIES,
  semantics: 'unknown',
  // Only locally generated packets have an owning socket (checked by the kernel at load).
  hooks: ['OUTPUT', 'POSTROUTING'],
  summary: 'The user, group or socket of the local process that sent the packet',
  options: [
    { names: ['--socket-exists'], args: [], negatable: true },
    { names: ['--uid-owner'], args: [ownerId('user')], negatable: true },
    { names: ['--gid-owner'], args: [ownerId('group')], negatable: true },
    { names: ['--suppl-groups'], args: [] },
  ],
  check(ext) {
    if (!find(ext, '--socket-exists') && !find(ext, '--uid-owner') && !find(ext, '--gid-owner'))
      return [{ kind: 'missing-required-option', message: '-m owner needs --uid-owner, --gid-owner or --socket-exists' }];
    const suppl = find(ext, '--suppl-groups');
    const gid = find(ext, '--gid-owner');
    // iptables reads --suppl-groups as a modifier of an earlier --gid-owner.
    if (suppl && (!gid || gid.index > suppl.index))
      return [{ kind: 'missing-required-option', message: '--suppl-groups extends --gid-owner to supplementary groups: put --gid-owner GROUP before it', option: suppl }];
    return [];
  },
};

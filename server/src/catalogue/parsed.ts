// Small helpers for the catalogue's check/print functions, which look at a parsed
// extension instance.

import { ParsedExtension, ParsedOption } from './types';

/** The (first) option of the instance whose printed name is `name`, e.g. '--dport'. */
export function findOption(ext: ParsedExtension, name: string): ParsedOption | undefined {
  return ext.options.find((o) => o.spec.names[0] === name);
}

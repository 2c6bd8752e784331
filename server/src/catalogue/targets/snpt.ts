import { TargetSpec } from '../types';
import { checkNpt, nptPrefix, printNpt } from './dnpt';

export const SNPT: TargetSpec = {
  kind: 'target',
  name: 'SNPT',
  families: ['ipv6'],
  terminating: false,
  // Checked with both backends: mangle INPUT and POSTROUTING only.
  tables: ['mangle'],
  hooks: ['INPUT', 'POSTROUTING'],
  summary: 'Stateless IPv6 prefix translation of the source address (RFC 6296); undo with DNPT',
  options: [
    { names: ['--src-pfx'], args: [nptPrefix] },
    { names: ['--dst-pfx'], args: [nptPrefix] },
  ],
  check: checkNpt,
  print: printNpt,
};

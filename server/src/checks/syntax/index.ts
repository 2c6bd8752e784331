// The syntax and load checks (IPT1xx). Detection lives in the syntax and model layers,
// which tag each problem with one of these names.
import { CheckMeta } from '../types';
import { commitOutsideTable } from './commit-outside-table';
import { conflictingOptions } from './conflicting-options';
import { crlfLineEndings } from './crlf-line-endings';
import { danglingNegation } from './dangling-negation';
import { duplicateChain } from './duplicate-chain';
import { duplicateOption } from './duplicate-option';
import { familyMismatch } from './family-mismatch';
import { gotoNotChain } from './goto-not-chain';
import { hostname } from './hostname';
import { illegalOption } from './illegal-option';
import { interfaceDirection } from './interface-direction';
import { invalidChainName } from './invalid-chain-name';
import { invalidCounters } from './invalid-counters';
import { invalidPolicy } from './invalid-policy';
import { invalidValue } from './invalid-value';
import { jumpLoop } from './jump-loop';
import { legacyNegation } from './legacy-negation';
import { missingArgument } from './missing-argument';
import { missingCommand } from './missing-command';
import { missingCommit } from './missing-commit';
import { missingRequiredOption } from './missing-required-option';
import { multipleCommands } from './multiple-commands';
import { notNegatable } from './not-negatable';
import { octalAddress } from './octal-address';
import { optionWithoutModule } from './option-without-module';
import { outsideTable } from './outside-table';
import { policyOnUserChain } from './policy-on-user-chain';
import { removedExtension } from './removed-extension';
import { protocolRequired } from './protocol-required';
import { strayArgument } from './stray-argument';
import { suspiciousValue } from './suspicious-value';
import { tableOptionInRestore } from './table-option-in-restore';
import { tableReplaced } from './table-replaced';
import { targetNotAllowed } from './target-not-allowed';
import { undeclaredChain } from './undeclared-chain';
import { unknownBuiltinChain } from './unknown-builtin-chain';
import { unknownModule } from './unknown-module';
import { unknownOption } from './unknown-option';
import { unknownTable } from './unknown-table';
import { unknownTarget } from './unknown-target';
import { unterminatedQuote } from './unterminated-quote';

export const SYNTAX_CHECKS: readonly CheckMeta[] = [
  commitOutsideTable,
  conflictingOptions,
  crlfLineEndings,
  danglingNegation,
  duplicateChain,
  duplicateOption,
  familyMismatch,
  gotoNotChain,
  hostname,
  illegalOption,
  interfaceDirection,
  invalidChainName,
  invalidCounters,
  invalidPolicy,
  invalidValue,
  jumpLoop,
  legacyNegation,
  missingArgument,
  missingCommand,
  missingCommit,
  missingRequiredOption,
  multipleCommands,
  notNegatable,
  octalAddress,
  optionWithoutModule,
  outsideTable,
  policyOnUserChain,
  removedExtension,
  protocolRequired,
  strayArgument,
  suspiciousValue,
  tableOptionInRestore,
  tableReplaced,
  targetNotAllowed,
  undeclaredChain,
  unknownBuiltinChain,
  unknownModule,
  unknownOption,
  unknownTable,
  unknownTarget,
  unterminatedQuote,
];

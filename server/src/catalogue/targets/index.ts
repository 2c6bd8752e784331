// Every target the catalogue knows, one file each. Keep the list sorted.
import { TargetSpec } from '../types';
import { AUDIT } from './audit';
import { CHECKSUM } from './checksum';
import { CLASSIFY } from './classify';
import { CLUSTERIP } from './clusterip';
import { CONNMARK } from './connmark';
import { CONNSECMARK } from './connsecmark';
import { CT } from './ct';
import { DNAT } from './dnat';
import { DNPT } from './dnpt';
import { DSCP } from './dscp';
import { ECN } from './ecn';
import { HL } from './hl';
import { HMARK } from './hmark';
import { IDLETIMER } from './idletimer';
import { LED } from './led';
import { LOG } from './log';
import { MARK } from './mark';
import { MASQUERADE } from './masquerade';
import { NETMAP } from './netmap';
import { NFLOG } from './nflog';
import { NFQUEUE } from './nfqueue';
import { NOTRACK } from './notrack';
import { RATEEST } from './rateest';
import { REDIRECT } from './redirect';
import { REJECT_IPV4, REJECT_IPV6 } from './reject';
import { SECMARK } from './secmark';
import { SET } from './set';
import { SNAT } from './snat';
import { SNPT } from './snpt';
import { ACCEPT, DROP, QUEUE, RETURN } from './standard';
import { SYNPROXY } from './synproxy';
import { TCPMSS } from './tcpmss';
import { TCPOPTSTRIP } from './tcpoptstrip';
import { TEE } from './tee';
import { TOS } from './tos';
import { TPROXY } from './tproxy';
import { TRACE } from './trace';
import { TTL } from './ttl';
import { ULOG } from './ulog';

export const TARGETS: readonly TargetSpec[] = [
  ACCEPT,
  AUDIT,
  CHECKSUM,
  CLASSIFY,
  CLUSTERIP,
  CONNMARK,
  CONNSECMARK,
  CT,
  DNAT,
  DNPT,
  DROP,
  DSCP,
  ECN,
  HL,
  HMARK,
  IDLETIMER,
  LED,
  LOG,
  MARK,
  MASQUERADE,
  NETMAP,
  NFLOG,
  NFQUEUE,
  NOTRACK,
  QUEUE,
  RATEEST,
  REDIRECT,
  REJECT_IPV4,
  REJECT_IPV6,
  RETURN,
  SECMARK,
  SET,
  SNAT,
  SNPT,
  SYNPROXY,
  TCPMSS,
  TCPOPTSTRIP,
  TEE,
  TOS,
  TPROXY,
  TRACE,
  TTL,
  ULOG,
];

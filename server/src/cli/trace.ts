// `iptables-lint trace FILE PACKET_JSON` and `iptables-lint trace FILE --packets FILE.jsonl`:
// what the ruleset does with given packets, one JSON line per packet.

import * as fs from 'fs';
import { analyse, familyFromPath } from '../analysis';
import { PacketTracer, TraceError, TracePacket } from '../semantics/trace';

export const TRACE_USAGE = `Usage: iptables-lint trace FILE PACKET_JSON
       iptables-lint trace FILE --packets PACKETS.jsonl

Follows each packet through the filter table of FILE and prints, per packet, one JSON line:
{"verdict", "decided_by": {table, chain, rule, line} or {table, chain, policy}, "matched": [...],
 "certain": false when a match on the path depends on state (limit, recent ...)}.

A packet is {"proto", "src", "dst", "sport", "dport", "in", "out", "state", "flags",
"icmp_type", "icmp_code"}: "in" only = arriving (INPUT), "out" only = sent by this host
(OUTPUT), both = routed (FORWARD).
`;

export function runTrace(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [file, ...rest] = argv;
  if (!file || rest.length === 0 || (rest[0] === '--packets' && !rest[1])) {
    err(TRACE_USAGE);
    return 2;
  }
  let text: string;
  let packetLines: string[];
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
    packetLines = rest[0] === '--packets' ? fs.readFileSync(rest[1], 'utf8').split('\n').filter((l) => l.trim()) : [rest.join(' ')];
  } catch (e) {
    err(`iptables-lint: cannot read input: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  const a = analyse(text, { family: familyFromPath(file), semantics: false });
  const errors = a.findings.filter((f) => f.severity === 'error');
  if (errors.length) err(`iptables-lint: warning: ${file} has ${errors.length} error(s); iptables-restore would refuse it, the trace shows what the rules say anyway\n`);
  const tracer = new PacketTracer(a.ruleset, (rule) => a.tree.lines[rule.node].line + 1);
  let status = 0;
  for (const line of packetLines) {
    try {
      const packet = JSON.parse(line) as TracePacket;
      const r = tracer.trace(packet);
      out(JSON.stringify({ packet, verdict: r.verdict, decided_by: r.decidedBy, matched: r.matched, certain: r.certain, hook: r.hook }) + '\n');
    } catch (e) {
      if (!(e instanceof TraceError) && !(e instanceof SyntaxError)) throw e;
      out(JSON.stringify({ error: e.message, input: line }) + '\n');
      status = 2;
    }
  }
  return status;
}

// IPT403: a firewall script that forwards or translates traffic but never switches on the
// kernel's forwarding (net.ipv4.ip_forward, net.ipv6.conf.all.forwarding), or switches it
// off. Only a script can tell: a rules file holds no kernel parameters.

import { Family } from '../../catalogue/types';
import { Chain, Rule, TableModel } from '../../model/ruleset';
import { ForwardingWrite, isScriptTree, ScriptTree } from '../../syntax/script';
import { Span } from '../../syntax/text';
import { CheckContext } from '../context';
import { CheckReport, Fix, SemanticCheck } from '../types';

const KEY: Record<Family, string> = { ipv4: 'net.ipv4.ip_forward', ipv6: 'net.ipv6.conf.all.forwarding' };
const IP: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

/** Why the script expects forwarded traffic: the rule, and what it does in words. */
interface Evidence {
  readonly rule: Rule;
  readonly what: string;
}

/** Whether a chain accepts packets, itself or through the user chains it jumps to. */
function accepts(model: TableModel, chain: Chain, seen = new Set<string>()): boolean {
  if (seen.has(chain.name)) return false;
  seen.add(chain.name);
  return chain.rules.some((r) => {
    const t = r.target;
    if (!t) return false;
    if (t.kind === 'verdict') return t.name === 'ACCEPT';
    const callee = t.kind === 'chain' ? model.chains.get(t.name) : undefined;
    return !!callee && !callee.builtin && accepts(model, callee, seen);
  });
}

/** The rules of a family that only make sense when the host forwards: ACCEPTs in FORWARD, DNAT, SNAT, MASQUERADE. */
function evidence(ctx: CheckContext, family: Family): Evidence[] {
  const out: Evidence[] = [];
  for (const model of ctx.ruleset.tables) {
    if (model.family !== family) continue;
    if (model.table === 'filter') {
      const forward = model.chains.get('FORWARD');
      for (const r of forward?.rules ?? []) {
        const t = r.target;
        if (t?.kind === 'verdict' && t.name === 'ACCEPT') out.push({ rule: r, what: 'FORWARD accepts traffic here' });
        else if (t?.kind === 'chain' && !r.syntax.dynamic) {
          const callee = model.chains.get(t.name);
          if (callee && !callee.builtin && accepts(model, callee)) out.push({ rule: r, what: `FORWARD sends traffic to ${t.name}, which accepts some of it` });
        }
      }
    }
    if (model.table === 'nat') {
      for (const chain of model.chains.values()) {
        for (const r of chain.rules) {
          const name = r.target?.kind === 'extension' ? r.target.name : undefined;
          if (name === 'DNAT' && chain.name !== 'OUTPUT') out.push({ rule: r, what: 'this DNAT sends connections on to another host' });
          else if ((name === 'SNAT' || name === 'MASQUERADE' || name === 'NETMAP') && chain.name !== 'OUTPUT' && chain.name !== 'INPUT')
            out.push({ rule: r, what: `this ${name} rewrites the source of traffic this host passes on` });
        }
      }
    }
  }
  // In file order, one per place (a command in a loop adds several rules).
  const seen = new Set<number>();
  return out
    .sort((a, b) => ctx.spanOf(a.rule).start - ctx.spanOf(b.rule).start)
    .filter((e) => !seen.has(ctx.spanOf(e.rule).start) && !!seen.add(ctx.spanOf(e.rule).start));
}

/** What the script leaves the switch at: on, off (by this write), never set, or not known. */
function finalState(writes: readonly ForwardingWrite[]): { kind: 'on' } | { kind: 'off'; write: ForwardingWrite } | { kind: 'unset' } | { kind: 'unknown' } {
  let state: ReturnType<typeof finalState> = { kind: 'unset' };
  for (const w of writes) {
    if (w.certainty === 'inert') continue;
    // A write that may not run, or of a value only the run knows: the script may enable it.
    if (w.certainty === 'conditional' || w.value === undefined) return { kind: 'unknown' };
    state = w.value ? { kind: 'on' } : { kind: 'off', write: w };
  }
  return state;
}

/** Inserts `line` on a line of its own after the script's last top-level iptables command. */
function enableFix(tree: ScriptTree, family: Family): Fix | undefined {
  const last = tree.script.lastTopLevelCommand;
  if (!last) return undefined;
  const lineNo = tree.index.lineOf(last.end);
  const lineEnd = tree.index.lineContentEnd(lineNo);
  const lineText = tree.text.slice(tree.index.lineStart(lineNo), lineEnd);
  // Not after a line that goes on (`\`, `&&`, `|`) or that starts a here-document.
  if (/(\\|&&|\|\||\|)\s*$/.test(lineText) || lineText.includes('<<')) return undefined;
  const eol = tree.text.includes('\r\n') ? '\r\n' : '\n';
  const next = lineNo + 1 < tree.index.lineCount ? tree.index.lineStart(lineNo + 1) : tree.text.length;
  const atEnd = next === tree.text.length && !tree.text.endsWith('\n');
  const text = `sysctl -w ${KEY[family]}=1`;
  return {
    title: `Enable ${IP[family]} forwarding after the last rule (line ${lineNo + 1}): '${text}'`,
    edits: [{ span: { start: next, end: next }, text: `${atEnd ? eol : ''}${text}${eol}` }],
    // It turns the host into a router for every interface: the writer decides.
    safety: 'unsafe',
    preferred: true,
    effect: { kind: 'none' },
  };
}

function report(ctx: CheckContext, tree: ScriptTree, family: Family, found: readonly Evidence[], off: ForwardingWrite | undefined): CheckReport {
  const [first, ...others] = found;
  const span: Span = ctx.spanOf(first.rule);
  const line = (s: Span) => tree.index.lineOf(s.start) + 1;
  const state = off
    ? `the script turns ${IP[family]} forwarding off (${KEY[family]} = 0) on line ${line(off.span)}`
    : `the script never turns ${IP[family]} forwarding on (${KEY[family]}), and the kernel starts with it off`;
  const related = [
    ...(off ? [{ span: off.span, message: `${IP[family]} forwarding is switched off here` }] : []),
    ...others.slice(0, 3).map((e) => ({ span: ctx.spanOf(e.rule), message: e.what })),
  ];
  const fix = enableFix(tree, family);
  return {
    span,
    message: `${first.what[0].toUpperCase()}${first.what.slice(1)}, but ${state}: the host then routes no packet between its interfaces, and no forwarded traffic ever gets here. Enable it (sysctl -w ${KEY[family]}=1) unless /etc/sysctl.conf or another script does`,
    related,
    ...(fix ? { fixes: [fix] } : {}),
  };
}

export const forwardingDisabled: SemanticCheck = {
  code: 'IPT403',
  name: 'forwarding-disabled',
  severity: 'warning',
  summary: 'A script that forwards or translates traffic but never enables the kernel forwarding switch',
  docs: `## What it means
A firewall script has rules that only make sense on a router (an ACCEPT in the FORWARD chain, a DNAT port forward, SNAT or MASQUERADE), but it never turns forwarding on: no \`sysctl -w net.ipv4.ip_forward=1\`, \`sysctl net.ipv4.ip_forward=1\` or \`echo 1 > /proc/sys/net/ipv4/ip_forward\` (for IPv6: \`net.ipv6.conf.all.forwarding\`), or it even writes 0 there. The message names the rule that shows the host is meant to forward, and the line that turns forwarding off, if any.

The check reads shell scripts only: a rules file (iptables-save, rules.v4) holds no kernel parameters, so it cannot say. It says nothing when the script runs \`sysctl -p\` or \`sysctl --system\`, sources other files, or writes a value it computes at run time: those may enable forwarding.

## Why it matters
The kernel starts with forwarding off. Until it is on, the host does not route packets from one interface to another: they never reach the FORWARD chain or the nat POSTROUTING rules for them, and the LAN behind the host, or the server behind the port forward, is cut off, however right the rules are.

## Example
\`\`\`iptables
#!/bin/sh
iptables -F
iptables -t nat -F
iptables -P FORWARD DROP
iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT
iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
\`\`\`
The LAN on eth1 is meant to reach the internet through this host, but nothing turns forwarding on.

## How to fix
Enable forwarding in the script once the rules are in place: \`sysctl -w net.ipv4.ip_forward=1\` (IPv6: \`sysctl -w net.ipv6.conf.all.forwarding=1\`). The fix inserts that line after the script's last iptables command; it is never applied automatically, as it makes the host a router for every interface. To make it permanent independently of the script, set \`net.ipv4.ip_forward = 1\` in \`/etc/sysctl.conf\` (or a file in \`/etc/sysctl.d/\`). With IPv6 forwarding on, the host stops accepting router advertisements unless \`accept_ra\` is 2 on its uplink.

## When to silence it
When forwarding is enabled outside the script (sysctl.conf, the distribution's network configuration, another script): add \`# iptables-lint disable-next-line=IPT403\` above the reported rule, or \`{"disable": ["IPT403"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const tree = ctx.tree;
    if (!isScriptTree(tree) || tree.script.forwardingUnknown) return [];
    const out: CheckReport[] = [];
    for (const family of ['ipv4', 'ipv6'] as const) {
      const state = finalState(tree.script.forwarding.filter((w) => w.family === family));
      if (state.kind === 'on' || state.kind === 'unknown') continue;
      const found = evidence(ctx, family);
      if (found.length === 0) continue;
      out.push(report(ctx, tree, family, found, state.kind === 'off' ? state.write : undefined));
    }
    return out;
  },
};

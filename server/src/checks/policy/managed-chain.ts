import { Chain } from '../../model/ruleset';
import { Span } from '../../syntax/text';
import { CheckContext } from '../context';
import { CheckReport, SemanticCheck } from '../types';

/** A tool that creates chains of its own and rewrites them whenever it runs. */
interface ManagedTool {
  readonly tool: string;
  /** The user chains it owns. */
  readonly chains: RegExp;
  /**
   * Chains that must all be in the file for the tool to be recognised, when its names are
   * too common to tell on their own (CSF and Shorewall own every chain of the ruleset).
   */
  readonly requires?: readonly RegExp[];
  /** What it does to its chains: "... whenever it starts or reloads". */
  readonly rewrites: string;
  /** Where changes belong instead. */
  readonly instead: string;
}

/** The tools, most specific names first: a chain belongs to the first tool that claims it. */
const TOOLS: readonly ManagedTool[] = [
  {
    tool: 'ufw',
    chains: /^ufw6?-/,
    rewrites: 'ufw writes its chains from /etc/ufw/*.rules and its own rule list whenever it starts or reloads',
    instead: 'change them with the ufw command or in /etc/ufw/',
  },
  {
    tool: 'firewalld',
    chains: /^(?:(?:INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING)_direct|(?:INPUT|OUTPUT|PREROUTING|POSTROUTING)_ZONES(?:_SOURCE)?|FORWARD_(?:IN|OUT)_ZONES(?:_SOURCE)?|(?:IN|OUT|FWD|FWDI|FWDO|PRE|POST)_.+)$/,
    requires: [/^(?:INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING)_(?:direct|ZONES)$/],
    rewrites: 'firewalld rebuilds its chains from its zone settings on every start and reload',
    instead: 'use firewall-cmd (rich rules or direct rules) instead',
  },
  {
    tool: 'fail2ban',
    chains: /^(?:f2b|fail2ban)-/,
    rewrites: 'fail2ban creates its chains when a jail starts, adds and removes bans there, and deletes them when it stops',
    instead: 'change the jail settings in /etc/fail2ban/ instead',
  },
  {
    tool: 'Docker',
    chains: /^DOCKER(?:-ISOLATION(?:-STAGE-\d+)?|-INGRESS|-FORWARD|-BRIDGE|-CT|-INTERNAL)?$/,
    rewrites: 'Docker rewrites its chains whenever the daemon or a container starts',
    instead: 'put your own rules in DOCKER-USER, the chain Docker creates for them and never changes',
  },
  {
    tool: 'Kubernetes (kube-proxy and kubelet)',
    chains: /^KUBE-/,
    rewrites: 'kube-proxy and kubelet keep rewriting their chains from the cluster state',
    instead: 'use Kubernetes network policies or a chain of your own instead',
  },
  {
    tool: 'CSF (ConfigServer Security & Firewall)',
    chains: /./,
    requires: [/^LOCALINPUT$/, /^LOCALOUTPUT$/],
    rewrites: 'csf flushes the whole ruleset and builds it again on every restart',
    instead: 'edit /etc/csf/ (csf.conf, csf.allow, csf.deny, csfpre.sh, csfpost.sh) instead',
  },
  {
    tool: 'Shorewall',
    chains: /./,
    requires: [/^shorewall$/],
    rewrites: 'Shorewall compiles the whole ruleset from /etc/shorewall/ and replaces it on every start and reload',
    instead: 'edit the files in /etc/shorewall/ instead',
  },
];

interface Declared {
  readonly name: string;
  readonly span: Span;
  readonly line: number;
}

/** User chains in the order the file declares them, each name once. */
function declaredChains(ctx: CheckContext): Declared[] {
  const seen = new Map<string, Declared>();
  for (const table of ctx.ruleset.tables)
    for (const chain of table.chains.values()) {
      if (chain.builtin || !declarationOf(chain)) continue;
      const line = ctx.tree.lines[chain.declaration!].line;
      const known = seen.get(chain.name);
      if (!known || line < known.line) seen.set(chain.name, { name: chain.name, span: chain.nameSpan!, line });
    }
  return [...seen.values()].sort((a, b) => a.line - b.line);
}

function declarationOf(chain: Chain): boolean {
  return chain.declaration !== undefined && chain.nameSpan !== undefined;
}

function list(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} ...` : shown;
}

export const managedChain: SemanticCheck = {
  code: 'IPT310',
  name: 'managed-chain',
  severity: 'info',
  summary: 'Chains created by a tool (ufw, firewalld, fail2ban, Docker, Kubernetes, CSF, Shorewall) that rewrites them',
  docs: `## What it means
The file holds chains that a firewall tool created and keeps up to date: ufw (\`ufw-*\`, \`ufw6-*\`), firewalld (\`INPUT_direct\`, \`IN_public\`, \`FWDI_*\`, \`FWDO_*\` ...), fail2ban (\`f2b-*\`, \`fail2ban-*\`), Docker (\`DOCKER\`, \`DOCKER-ISOLATION-STAGE-*\` ...), Kubernetes (\`KUBE-*\`), CSF (recognised by \`LOCALINPUT\` and \`LOCALOUTPUT\`; it owns the whole ruleset) or Shorewall (recognised by its \`shorewall\` chain; it owns the whole ruleset). The message names the tool, what it does with its chains, and where changes belong instead. It is reported once per file, on the first such chain; the related information lists a few others.

## Why it matters
Changes made by hand to these chains (in this file, or with \`iptables\` on the live system) are lost the next time the tool runs: at boot, on a reload, when a container starts or a ban expires. Worse, a saved copy of them restored later can fight with what the tool expects. With Docker, \`DOCKER-USER\` is the chain meant for your own rules: Docker creates it and never changes it.

## Example
\`\`\`iptables
*filter
:INPUT DROP [0:0]
:ufw-user-input - [0:0]
-A INPUT -j ufw-user-input
-A ufw-user-input -p tcp --dport 22 -j ACCEPT
COMMIT
\`\`\`
\`ufw-user-input\` is written by ufw from its own rule list; \`ufw allow 22/tcp\` is the way to change it.

## How to fix
Make the change with the tool (its command or its configuration files), or in a chain of your own that the tool leaves alone (\`DOCKER-USER\` for Docker). There is nothing to fix when the file is only a dump of the live ruleset kept for reference.

## When to silence it
When the file is a dump for reference, or the tool is no longer used: add \`# iptables-lint disable-next-line=IPT310\` above the reported chain declaration, or \`{"disable": ["IPT310"]}\` in \`.iptables-lint.json\`.
`,
  run(ctx: CheckContext): CheckReport[] {
    const chains = declaredChains(ctx);
    const names = new Set(chains.map((c) => c.name));
    const tools = TOOLS.filter((t) => (t.requires ?? []).every((r) => [...names].some((n) => r.test(n))));
    const owned = new Map<ManagedTool, Declared[]>();
    for (const c of chains) {
      const tool = tools.find((t) => t.chains.test(c.name));
      if (tool) owned.set(tool, [...(owned.get(tool) ?? []), c]);
    }
    if (owned.size === 0) return [];
    const all = [...owned.values()].flat().sort((a, b) => a.line - b.line);
    const first = all[0];
    const parts = [...owned.entries()]
      .sort((a, b) => a[1][0].line - b[1][0].line)
      .map(([t, cs]) => {
        const others = cs.filter((c) => c !== first).map((c) => c.name);
        const which = cs.includes(first) ? `${first.name}${others.length ? ` and ${others.length} other chain${others.length > 1 ? 's' : ''} (${list(others)})` : ''}` : `${cs.length} chain${cs.length > 1 ? 's' : ''} (${list(cs.map((c) => c.name))})`;
        return `${which} belong${cs.length > 1 ? '' : 's'} to ${t.tool}: ${t.rewrites}, so edits made here are lost the next time it runs; ${t.instead}`;
      });
    // Related: the first chain of each other tool, then more chains of the same tools, a few in all.
    const firstOfEach = [...owned.values()].map((cs) => cs[0]).filter((c) => c !== first);
    const rest = all.filter((c) => c !== first && !firstOfEach.includes(c));
    const related = [...firstOfEach, ...rest].slice(0, 4).map((c) => ({ span: c.span, message: `${c.name}: managed by ${[...owned.entries()].find(([, cs]) => cs.includes(c))![0].tool}` }));
    return [{ span: first.span, message: parts.join('. Also, '), related }];
  },
};

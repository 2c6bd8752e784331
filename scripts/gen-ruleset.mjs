#!/usr/bin/env node
// Deterministic generator of large, realistic-looking iptables-save dumps for the benchmark:
// a host firewall (INPUT with services, allowlists and a blocklist chain), a router (FORWARD
// split into per-VLAN chains with per-host rules, like the corpus's largest ruleset) and a
// kube-proxy / Docker style nat table (a service chain per ClusterIP, endpoint chains with
// DNAT, Docker port forwards). The same size always gives the same file.
//
//   node scripts/gen-ruleset.mjs RULES > file.rules

const rulesWanted = Number(process.argv[2] ?? 1000);

/** mulberry32: small, fast, deterministic. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(rulesWanted);
const pick = (list) => list[Math.floor(rnd() * list.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const ip = (a, b) => `${a}.${b}.${int(0, 255)}.${int(1, 254)}`;
const PORTS = [22, 25, 53, 80, 110, 123, 143, 443, 465, 587, 993, 995, 1194, 3306, 5432, 6379, 8080, 8443, 9090, 9100];

const share = { host: 0.3, router: 0.4, kube: 0.3 };
const lines = { filter: [], nat: [], chainsFilter: [], chainsNat: [] };
let count = 0;
const add = (table, rule) => {
  lines[table].push(rule);
  count++;
};

function host(budget) {
  lines.chainsFilter.push(':BLOCKLIST - [0:0]', ':SERVICES - [0:0]');
  add('filter', '-A INPUT -i lo -j ACCEPT');
  add('filter', '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  add('filter', '-A INPUT -m conntrack --ctstate INVALID -j DROP');
  add('filter', '-A INPUT -j BLOCKLIST');
  add('filter', '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 4 --name ssh --rsource -j DROP');
  add('filter', '-A INPUT -j SERVICES');
  const start = count;
  let i = 0;
  while (count - start < budget - 4) {
    if (i % 3 === 0) add('filter', `-A BLOCKLIST -s ${ip(int(1, 223), int(0, 255))}/${pick([32, 32, 24, 28])} -j DROP`);
    else add('filter', `-A SERVICES -s ${ip(10, int(0, 255))}/${pick([32, 24, 16])} -p ${pick(['tcp', 'tcp', 'udp'])} -m multiport --dports ${pick(PORTS)},${pick(PORTS)} -j ACCEPT`);
    i++;
  }
  add('filter', '-A BLOCKLIST -j RETURN');
  add('filter', '-A INPUT -p icmp -m icmp --icmp-type 8 -m limit --limit 5/sec -j ACCEPT');
  add('filter', '-A INPUT -m limit --limit 3/min -j LOG --log-prefix "input-drop: "');
  add('filter', '-A INPUT -j REJECT --reject-with icmp-host-prohibited');
}

function router(budget) {
  add('filter', '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  const vlans = Math.max(2, Math.floor(budget / 120));
  const perVlan = Math.floor((budget - 2 * vlans - 2) / vlans);
  for (let v = 0; v < vlans; v++) {
    const iface = `eth1.${100 + v}`;
    const net = `10.${v % 250}.${Math.floor(v / 250) * 16}.0/20`;
    lines.chainsFilter.push(`:vlan_${v} - [0:0]`, `:mac_${v} - [0:0]`);
    add('filter', `-A FORWARD -s ${net} -i ${iface} -j mac_${v}`);
    add('filter', `-A FORWARD -i ${iface} -j vlan_${v}`);
    for (let h = 0; h < perVlan; h++) {
      if (h % 4 === 0) {
        const mac = Array.from({ length: 6 }, () => int(0, 255).toString(16).padStart(2, '0')).join(':');
        add('filter', `-A mac_${v} -s 10.${v % 250}.${int(0, 15)}.${int(1, 254)}/32 -m mac --mac-source ${mac} -j RETURN`);
      } else {
        add('filter', `-A vlan_${v} -d ${ip(int(11, 200), int(0, 255))}/32 -p ${pick(['tcp', 'udp'])} -m conntrack --ctstate NEW -m multiport --dports ${pick(PORTS)},${pick(PORTS)} -j ACCEPT`);
      }
    }
    add('filter', `-A mac_${v} -j DROP`);
  }
  add('filter', '-A FORWARD -j DROP');
}

function kube(budget) {
  lines.chainsNat.push(':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]', ':KUBE-POSTROUTING - [0:0]', ':DOCKER - [0:0]');
  add('nat', '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  add('nat', '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  add('nat', '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER');
  add('nat', '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
  add('nat', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
  add('nat', '-A KUBE-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE');
  add('nat', '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE');
  let s = 0;
  const start = count;
  while (count - start < budget - 8) {
    const svc = `KUBE-SVC-${String(s).padStart(12, '0')}`;
    const clusterIp = `10.96.${Math.floor(s / 250)}.${(s % 250) + 1}`;
    const port = pick(PORTS);
    const endpoints = int(1, 3);
    lines.chainsNat.push(`:${svc} - [0:0]`);
    add('nat', `-A KUBE-SERVICES -d ${clusterIp}/32 -p tcp -m comment --comment "default/svc-${s}:http cluster IP" -m tcp --dport ${port} -j ${svc}`);
    for (let e = 0; e < endpoints; e++) {
      const sep = `KUBE-SEP-${String(s).padStart(8, '0')}${e}`;
      lines.chainsNat.push(`:${sep} - [0:0]`);
      const prob = e === endpoints - 1 ? '' : ` -m statistic --mode random --probability ${(1 / (endpoints - e)).toFixed(11)}`;
      add('nat', `-A ${svc}${prob} -j ${sep}`);
      const pod = `10.244.${int(0, 255)}.${int(2, 254)}`;
      add('nat', `-A ${sep} -s ${pod}/32 -j KUBE-MARK-MASQ`);
      add('nat', `-A ${sep} -p tcp -m tcp -j DNAT --to-destination ${pod}:${port}`);
    }
    if (s % 10 === 0) add('nat', `-A DOCKER ! -i docker0 -p tcp -m tcp --dport ${8000 + s} -j DNAT --to-destination 172.17.0.${(s % 250) + 2}:80`);
    s++;
  }
}

host(Math.floor(rulesWanted * share.host));
router(Math.floor(rulesWanted * share.router));
kube(rulesWanted - count);

const out = [
  `# Generated by scripts/gen-ruleset.mjs ${rulesWanted} (deterministic benchmark input)`,
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':INPUT ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':POSTROUTING ACCEPT [0:0]',
  ...lines.chainsNat,
  ...lines.nat,
  'COMMIT',
  '*filter',
  ':INPUT DROP [0:0]',
  ':FORWARD DROP [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ...lines.chainsFilter,
  ...lines.filter,
  'COMMIT',
  '',
];
process.stdout.write(out.join('\n'));

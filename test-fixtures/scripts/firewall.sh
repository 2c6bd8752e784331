#!/bin/bash
# A small host firewall, written the way such scripts usually are.
IPT=/sbin/iptables
IP6T="/sbin/ip6tables"
EXT_IF=eth0
ADMIN_NET="192.0.2.0/24"
TCP_PORTS="22 80 443"

# Start from scratch.
$IPT -F
$IPT -X
$IPT -t nat -F
$IPT -P INPUT DROP
$IPT -P FORWARD DROP
$IPT -P OUTPUT ACCEPT

$IPT -A INPUT -i lo -j ACCEPT
$IPT -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
$IPT -A INPUT -p icmp --icmp-type echo-request \
     -m limit --limit 5/second -j ACCEPT

for port in $TCP_PORTS; do
    $IPT -A INPUT -i "$EXT_IF" -p tcp --dport "$port" -m conntrack --ctstate NEW -j ACCEPT
done

$IPT -N ADMIN
$IPT -A ADMIN -s ${ADMIN_NET} -j ACCEPT
$IPT -A ADMIN -j RETURN
$IPT -A INPUT -p tcp --dport 8443 -j ADMIN

$IPT -A INPUT -j LOG --log-prefix 'dropped: ' -m limit --limit 3/min
$IPT -L -n -v > /dev/null

$IP6T -F
$IP6T -P INPUT DROP
$IP6T -A INPUT -i lo -j ACCEPT
$IP6T -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
$IP6T -A INPUT -p ipv6-icmp -j ACCEPT

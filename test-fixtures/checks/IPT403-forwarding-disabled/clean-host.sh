#!/bin/sh
# A host that does not route: FORWARD only drops, and there is no NAT.
echo 0 > /proc/sys/net/ipv4/ip_forward
iptables -F
iptables -P INPUT DROP
iptables -P FORWARD DROP
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -j LOG --log-prefix "forward: " -m limit --limit 1/min
iptables -A FORWARD -j DROP

#!/bin/sh
# IPv4 forwarding is enabled; IPv6 forwarding is not, though FORWARD accepts IPv6 traffic.
sysctl -w net.ipv4.ip_forward=1
for cmd in iptables ip6tables; do
  $cmd -F
  $cmd -P FORWARD DROP
  $cmd -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ IPT403 the script never turns IPv6 forwarding on (net.ipv6.conf.all.forwarding)
  $cmd -A FORWARD -i eth1 -j ACCEPT
done

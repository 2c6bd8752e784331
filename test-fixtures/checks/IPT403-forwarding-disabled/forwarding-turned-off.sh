#!/bin/bash
# Port forwarding to a web server behind this host, after a hardening block that turns
# forwarding off.
echo 0 > /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv4/tcp_syncookies

IPT=/usr/sbin/iptables
$IPT -F
$IPT -t nat -F
$IPT -P FORWARD DROP
$IPT -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10
#^ IPT403 This DNAT sends connections on to another host, but the script turns IPv4 forwarding off (net.ipv4.ip_forward = 0) on line 4
$IPT -A FORWARD -d 192.168.1.10 -p tcp --dport 80 -j ACCEPT
$IPT -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT

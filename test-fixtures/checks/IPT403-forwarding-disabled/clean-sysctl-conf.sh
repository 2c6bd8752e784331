#!/bin/sh
# Forwarding comes from /etc/sysctl.conf, which the script loads: nothing to say.
sysctl -p
iptables -F
iptables -P FORWARD DROP
iptables -A FORWARD -i eth1 -o eth0 -j ACCEPT

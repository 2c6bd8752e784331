#!/usr/bin/env bash
# Loads a ruleset file into a throwaway network namespace with both iptables backends
# (nft and legacy) and prints what each said. Never touches the host's own tables.
#   scripts/kernel-restore.sh FILE [--ipv6]        (needs root and iptables installed)
#   SAVE=1 scripts/kernel-restore.sh FILE          also print iptables-save after the load
set -u
file=$1
prog=iptables
[ "${2:-}" = "--ipv6" ] && prog=ip6tables
for backend in nft legacy; do
  printf '%s: ' "$backend"
  unshare -n sh -c "$prog-$backend-restore < '$file' 2>&1; echo \"rc=\$?\"; ${SAVE:+$prog-$backend-save | grep -v '^#'}" 2>&1 | grep -v '^Try ' | tr '\n' '|'
  echo
done

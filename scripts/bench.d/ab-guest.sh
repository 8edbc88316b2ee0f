#!/bin/bash
# scripts/bench.d/ab.sh's guest side: loopback connection rate for each
# entry of TW_AB_MODES in turn ("bare", or a module path with optional
# ":param=value,..."), one "K MODE conns N secs S rate R" line each.
. "$(dirname "$0")/../tests/lib.sh"
set +e
trap - ERR
CR=build/bench/connrate
N=${TW_AB_CONNS:-6000}
netns_pair srv cli 1 2
ip netns exec cli sysctl -qw net.ipv4.ip_local_port_range="1024 65535" \
	net.core.somaxconn=65535 net.ipv4.tcp_max_tw_buckets=400000
ip netns exec cli $CR server 127.0.0.1 9000 > /dev/null &
sleep 1
ip netns exec cli $CR client 127.0.0.1 9000 2000 4 > /dev/null	# warm up
for mode in $TW_AB_MODES; do
	ko=${mode%%:*} params=
	[ "$ko" != "$mode" ] && params=${mode#*:}
	# shellcheck disable=SC2086 # the parameters: words
	[ "$ko" = bare ] || insmod "$ko" ${params//,/ } || fail "insmod $mode"
	sleep 1
	out=$(ip netns exec cli $CR client 127.0.0.1 9000 "$N" 4)
	[ "$ko" = bare ] || rmmod tcpwatch
	echo "K $mode $out"
	sleep 1
done

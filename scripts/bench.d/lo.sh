# shellcheck shell=bash
# Sourced by bench.d's guest scripts: netns cli with a connrate server on
# 127.0.0.1:9000, warmed up by 2,000 connections.
CR=build/bench/connrate
netns_pair srv cli 1 2
ip netns exec cli sysctl -qw net.ipv4.ip_local_port_range="1024 65535" \
	net.core.somaxconn=65535 net.ipv4.tcp_max_tw_buckets=400000
ip netns exec cli $CR server 127.0.0.1 9000 > /dev/null &
sleep 1
ip netns exec cli $CR client 127.0.0.1 9000 2000 4 > /dev/null	# warm up

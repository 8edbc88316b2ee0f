#!/bin/bash
# The transition matrix equals bpftrace's count of sock:inet_sock_set_state
# for the same netns, exactly, over 1000 connections (IPv4 and IPv6)
# between two netns.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
N=${TW_CONNS:-1000}
tw_load
netns_pair a b 1 2

bpftrace_start "$T/bt.out" '
tracepoint:sock:inet_sock_set_state /args->protocol == 6/ {
	@t[args->oldstate, args->newstate,
	   ((struct sock *)args->skaddr)->__sk_common.skc_net.net->ns.inum] = count();
}'

ip netns exec a python3 scripts/tests/churn.py server 192.0.2.1 8000 > "$T/s4" &
ip netns exec a python3 scripts/tests/churn.py server 2001:db8::1 8001 > "$T/s6" &
wait_for "grep -q listening $T/s4 && grep -q listening $T/s6" 30 ||
	fail "churn servers did not start"
ip netns exec b python3 scripts/tests/churn.py client 192.0.2.1 8000 $((N / 2)) -j 4 ||
	fail "IPv4 clients failed"
ip netns exec b python3 scripts/tests/churn.py client 2001:db8::1 8001 $((N - N / 2)) -j 4 ||
	fail "IPv6 clients failed"
sleep 2		# the servers' last closes
bpftrace_stop

# bpftrace map lines: @t[OLD, NEW, NETNS]: COUNT, states by number
STATES="ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN CLOSING NEW_SYN_RECV"
for ns in a b; do
	inum=$(ip netns exec $ns stat -L -c %i /proc/self/ns/net)
	sed -n "s/^@t\[\([0-9]*\), \([0-9]*\), $inum\]: \([0-9]*\)$/\1 \2 \3/p" \
		"$T/bt.out" | awk -v names="$STATES" '
		BEGIN { split(names, n, " ") } { print n[$1], n[$2], $3 }' |
		sort > "$T/bt.$ns"
	ip netns exec $ns tools/tcpwatch states -j > "$T/st.$ns.json" ||
		fail "tcpwatch states -j failed in $ns"
	jq -r '.transitions[] | "\(.from) \(.to) \(.count)"' \
		"$T/st.$ns.json" | sort > "$T/tw.$ns"
	echo "== $ns (netns $inum): bpftrace vs tcpwatch"
	paste "$T/bt.$ns" "$T/tw.$ns"
	[ -s "$T/bt.$ns" ] || fail "$ns: bpftrace saw nothing"
	cmp -s "$T/bt.$ns" "$T/tw.$ns" || fail "$ns: transition counts differ from bpftrace"
done
total=$(awk '{ n += $3 } END { print n }' "$T/tw.b")
[ "$total" -ge $((N * 5)) ] || fail "client side: only $total transitions for $N connections"

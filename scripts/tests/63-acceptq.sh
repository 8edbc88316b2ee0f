#!/bin/bash
# A listener that never calls accept(), backlog 4: the children dropped
# because the accept queue was full equal TcpExtListenOverflows exactly;
# handshakes completed equal the successful connects of a 1000-connection
# workload; every completed handshake's half-open lifetime is counted, and
# every accept() its wait in the accept queue.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tw_load
netns_pair srv cli 1 2
nstat_get() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

ip netns exec srv python3 scripts/tests/actor.py listen 192.0.2.1 7500 --backlog 4 --on-accept none > "$T/s" &
ip netns exec srv python3 scripts/tests/churn.py server 192.0.2.1 7501 > "$T/s2" &
wait_for "grep -q listening $T/s && grep -q listening $T/s2" 30 || fail "servers did not start"
ip netns exec srv nstat -n
ip netns exec srv nstat -az > "$T/n0"
# 10 connects: 5 fit (backlog + 1), the rest overflow and retry. The
# listener checks for room without a lock, so two ACKs handled at once on
# two CPUs may both pass the check: CI once found 6 children on 6.1, and
# ss agreed with tcpwatch.
for i in $(seq 10); do
	ip netns exec cli python3 scripts/tests/actor.py connect 192.0.2.1 7500 --nonblock --exit-after 30 > /dev/null &
done
ip netns exec cli python3 scripts/tests/churn.py client 192.0.2.1 7501 1000 -j 4 || fail "churn clients failed"
sleep 3
# The churn server may still be accepting (its connects completed in the
# kernel; on 5.10 one read found 807 of 1000 accepted): wait until its
# accept queue is empty, as ss's Recv-Q says.
wait_for "[ \"\$(ip netns exec srv ss -Htln 'sport = :7501' | awk '{ print \$2 }')\" = 0 ]" 60 ||
	fail "the churn server did not accept every connection"
# The 5 connects that overflowed go on retrying (SYNs, and ACKs of the
# SYN-ACKs the server retransmits), each overflowing again: read tcpwatch
# between two reads of the counter, until none came in between (on 7.2 one
# read after the counter's missed 3).
lo() { awk '$1 == "TcpExtListenOverflows" { print $2 }' "$1"; }
for try in $(seq 20); do
	ip netns exec srv nstat -az > "$T/n1"
	ip netns exec srv tools/tcpwatch listen -j > "$T/l.json"
	ip netns exec srv ss -Htln 'sport = :7500' > "$T/ss"
	ip netns exec srv nstat -az > "$T/n2"
	[ "$(lo "$T/n1")" != "$(lo "$T/n2")" ] || break
	echo "try $try: TcpExtListenOverflows went from $(lo "$T/n1") to $(lo "$T/n2") during the read"
	[ "$try" -lt 20 ] || fail "the accept queue never stopped overflowing"
	sleep 0.3
done
ip netns exec srv tools/tcpwatch states -j > "$T/st.json"
ip netns exec srv cat /proc/tcpwatch | sed -n '/^handshakes/p;/^LISTENERS/,/^$/p'
ovf=$(( $(nstat_get "$T/n1" TcpExtListenOverflows) - $(nstat_get "$T/n0" TcpExtListenOverflows) ))
get() { jq --argjson p $1 ".listeners[] | select(.local_port == \$p) | .$2" "$T/l.json"; }
# A probe hit that the kernel could not run leaves the counters short, and
# the module counts those (hooks_missed): a softirq can nest in a probe
# handler running in process context (on 5.10 the return handler of the
# inet_accept kretprobe), and its probe hits are then missed.
missed=$(jq '.hooks_missed // 0' "$T/st.json")
drops=$(get 7500 acceptq_drops)
echo "ListenOverflows: nstat $ovf, tcpwatch $drops (probe hits missed: $missed)"
[ "$ovf" -gt 0 ] || fail "the accept queue never overflowed"
# exact, unless the kernel missed probe hits: then short by at most those
exact_or_missed() { assert_eq_or_short "$1" "$2" "$missed" "probe hits the kernel missed" "$3"; }
exact_or_missed "$drops" "$ovf" "accept-queue drops vs TcpExtListenOverflows"
aq=$(awk '{ print $2 }' "$T/ss")
echo "accept queue of 7500: ss $aq, tcpwatch $(get 7500 acceptq_len) (backlog + 1 = 5)"
assert_eq "$(get 7500 acceptq_len)" "$aq" "accept queue of a listener that never accepts, vs ss's Recv-Q"
[ "$aq" -ge 5 ] && [ "$aq" -le 10 ] || fail "accept queue $aq: expected backlog + 1 = 5, or a little more"
exact_or_missed "$(get 7501 completed)" 1000 "handshakes completed for 1000 connects"
exact_or_missed "$(jq '.histograms.accept_wait.count' "$T/st.json")" 1000 "accept() waits measured"
# a handshake completed by a SYN cookie had no half-open to time
assert_eq "$(jq '.histograms.halfopen_done.count' "$T/st.json")" \
	"$(jq '.completed - (.cookies_recv // 0)' "$T/st.json")" "completed handshakes with a lifetime"
# the same, per listener
exact_or_missed "$(get 7501 histograms.accept_wait.count)" 1000 "accept() waits of the listener on 7501"
exact_or_missed "$(get 7501 histograms.halfopen_done.count)" 1000 "half-open lifetimes of the listener on 7501"

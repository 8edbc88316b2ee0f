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
# 10 connects: 5 fit (backlog + 1), the rest overflow and retry
for i in $(seq 10); do
	ip netns exec cli python3 scripts/tests/actor.py connect 192.0.2.1 7500 --nonblock --exit-after 30 > /dev/null &
done
ip netns exec cli python3 scripts/tests/churn.py client 192.0.2.1 7501 1000 -j 4 || fail "churn clients failed"
sleep 3
ip netns exec srv nstat -az > "$T/n1"
ip netns exec srv tools/tcpwatch listen -j > "$T/l.json"
ip netns exec srv tools/tcpwatch states -j > "$T/st.json"
ip netns exec srv cat /proc/tcpwatch | sed -n '/^handshakes/p;/^LISTENERS/,/^$/p'
ovf=$(( $(nstat_get "$T/n1" TcpExtListenOverflows) - $(nstat_get "$T/n0" TcpExtListenOverflows) ))
get() { jq --argjson p $1 ".listeners[] | select(.local_port == \$p) | .$2" "$T/l.json"; }
echo "ListenOverflows: nstat $ovf, tcpwatch $(get 7500 acceptq_drops)"
[ "$ovf" -gt 0 ] || fail "the accept queue never overflowed"
assert_eq "$(get 7500 acceptq_drops)" "$ovf" "accept-queue drops vs TcpExtListenOverflows"
assert_eq "$(get 7500 acceptq_len)" 5 "accept queue of a listener that never accepts (backlog + 1)"
assert_eq "$(get 7501 completed)" 1000 "handshakes completed for 1000 connects"
assert_eq "$(jq '.histograms.accept_wait.count' "$T/st.json")" 1000 "accept() waits measured"
assert_eq "$(jq '.histograms.halfopen_done.count' "$T/st.json")" \
	"$(jq '.completed' "$T/st.json")" "completed handshakes with a lifetime"
# the same, per listener
assert_eq "$(get 7501 histograms.accept_wait.count)" 1000 "accept() waits of the listener on 7501"
assert_eq "$(get 7501 histograms.halfopen_done.count)" 1000 "half-open lifetimes of the listener on 7501"

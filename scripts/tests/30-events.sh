#!/bin/bash
# `tcpwatch events` receives every transition of a 200-connection
# workload: as many state events as the module counted transitions, per
# (from, to), and no delivery failed.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
N=200
tw_load
netns_pair a b 1 2
nstate() { grep -c '^{"event":"state"' "$1"; }
ntw() { grep -c '^{"event":"tw_enter"' "$1"; }

for ns in a b; do
	ip netns exec $ns stdbuf -oL tools/tcpwatch events -j > "$T/ev.$ns" 2> "$T/ev.$ns.err" &
	echo $! > "$T/ev.$ns.pid"
done
# subscribed before the first connection
wait_for "grep -q tracing $T/ev.a.err && grep -q tracing $T/ev.b.err" 30 ||
	fail "event readers did not start"
ip netns exec a python3 scripts/tests/churn.py server 192.0.2.1 8000 > "$T/s4" &
ip netns exec a python3 scripts/tests/churn.py server 2001:db8::1 8001 > "$T/s6" &
wait_for "grep -q listening $T/s4 && grep -q listening $T/s6" 30 ||
	fail "churn servers did not start"
ip netns exec b python3 scripts/tests/churn.py client 192.0.2.1 8000 $((N / 2)) -j 4 ||
	fail "IPv4 clients failed"
ip netns exec b python3 scripts/tests/churn.py client 2001:db8::1 8001 $((N / 2)) -j 4 ||
	fail "IPv6 clients failed"
# settle: every client socket in TIME_WAIT, every server socket gone (the
# server may accept and close well after the clients are done)
wait_for "netns_settled b a 2" 60 ||
	fail "connections did not settle"

for ns in a b; do
	ip netns exec $ns tools/tcpwatch states -j > "$T/st.$ns.json"
	# the reader may still be printing: wait for as many state events as
	# transitions counted (at most 10 s), then stop it
	want=$(jq '[.transitions[].count] | add' "$T/st.$ns.json")
	wait_for "[ \$(nstate $T/ev.$ns) -ge $want ]" 10 || true
	[ $ns = a ] || wait_for "[ \$(ntw $T/ev.$ns) -ge $N ]" 10 || true
	kill -INT "$(cat "$T/ev.$ns.pid")"
	wait "$(cat "$T/ev.$ns.pid")" 2>/dev/null || true
	jq -r '.transitions[] | "\(.from) \(.to) \(.count)"' "$T/st.$ns.json" |
		sort > "$T/want.$ns"
	jq -r 'select(.event == "state") | "\(.old_state) \(.state)"' "$T/ev.$ns" |
		sort | uniq -c | awk '{ print $2, $3, $1 }' | sort > "$T/got.$ns"
	echo "== $ns: transitions counted vs events received"
	paste "$T/want.$ns" "$T/got.$ns"
	cmp -s "$T/want.$ns" "$T/got.$ns" || fail "$ns: events differ from the counted transitions"
	drops=$(jq '.event_drops' "$T/st.$ns.json")
	assert_eq "$drops" 0 "$ns: event deliveries failed"
	n=$(wc -l < "$T/want.$ns")
	[ "$n" -ge 4 ] || fail "$ns: too few kinds of transition ($n)"
done
# every client connection ended in TIME_WAIT, and said so
tw=$(jq -r 'select(.event == "tw_enter")' "$T/ev.b" | jq -s length)
assert_eq "$tw" "$N" "client timewait entry events"

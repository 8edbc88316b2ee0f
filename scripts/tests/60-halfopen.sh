#!/bin/bash
# The SYN queue at work: half-opens held by dropping the client's final
# ACK are listed with growing age while they live; listeners show their
# queues against their limits; with tcp_synack_retries=3 each request is
# retransmitted three times and expires (15 s: wide enough for a loaded
# host, where 7 s at 2 retries had expired before the second read on
# 5.10), and the SYN-ACK retransmissions equal
# the kernel's count (tp_count) and bpftrace on tcp:tcp_retransmit_synack.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tw_load
netns_pair srv cli 1 2
ip netns exec srv sysctl -qw net.ipv4.tcp_synack_retries=3
nft_hold_acks cli 7200 7201

tp_count_start synack tcp/tcp_retransmit_synack sport
bpftrace_start "$T/bt.out" 'tracepoint:tcp:tcp_retransmit_synack { @n[cpu] = count(); }
interval:s:1 { printf("--\n"); print(@n); printf("==\n"); }'

ip netns exec srv stdbuf -oL tools/tcpwatch events -j --kind halfopen_end,synack_retrans > "$T/ev" 2> "$T/ev.err" &
evpid=$!
wait_for "grep -q tracing $T/ev.err" 30 || fail "event reader did not start"
actor_listen srv 192.0.2.1 7200 "$T/s4" --backlog 16 --on-accept none
actor_listen srv 2001:db8::1 7201 "$T/s6" --backlog 16 --on-accept none
ip netns exec cli python3 scripts/tests/actor.py connect 192.0.2.1 7200 --count 3 > "$T/c4" &
ip netns exec cli python3 scripts/tests/actor.py connect 2001:db8::1 7201 --count 3 > "$T/c6" &
wait_for "grep -q ready $T/c4 && grep -q ready $T/c6" 30 || fail "clients did not connect"

half() { awk '/^HALF-OPEN/ { on = 1; getline; next } /^$/ { on = 0 } on' "$1"; }
ip netns exec srv cat /proc/tcpwatch > "$T/p1"
ip netns exec srv tools/tcpwatch halfopen -j > "$T/h1.json" || fail "tcpwatch halfopen -j failed"
sleep 1.5
ip netns exec srv cat /proc/tcpwatch > "$T/p2"
ip netns exec srv tools/tcpwatch halfopen -j > "$T/h2.json"
cat "$T/p2"

assert_eq "$(half "$T/p1" | wc -l)" 6 "half-open rows in /proc/tcpwatch"
assert_eq "$(jq '.halfopen | length' "$T/h1.json")" 6 "half-open rows over netlink"
for port in 7200 7201; do
	awk -v p=":$port" '/^LISTENERS/ { on = 1; getline; next } /^$/ { on = 0 }
		on && substr($1, length($1) - length(p) + 1) == p { print }' "$T/p1" > "$T/l.$port"
	[ -s "$T/l.$port" ] || fail "no listener row for port $port"
	read -r _ backlog synq _ <<< "$(cat "$T/l.$port")"
	assert_eq "$backlog" 16 "backlog of $port"
	assert_eq "$synq" 3/16 "SYN queue of $port"
	grep -q ' 3 *15.00s ' "$T/l.$port" || fail "port $port: retries 3 and half-open lifetime 15.00s expected: $(cat "$T/l.$port")"
done
# every request is older in the second read
jq -r '.halfopen[] | "\(.remote_port) \(.age_ns)"' "$T/h1.json" | sort > "$T/a1"
jq -r '.halfopen[] | "\(.remote_port) \(.age_ns)"' "$T/h2.json" | sort > "$T/a2"
join "$T/a1" "$T/a2" | awk '{ if ($3 - $2 < 1000000000) bad = 1; n++ }
	END { exit bad || n != 6 }' || { paste "$T/a1" "$T/a2"; fail "ages did not grow by the 1.5 s between reads"; }

# all expire: 1 + 2 + 4 + 8 s of SYN-ACK timeouts, plus timer slack
wait_for "[ \$(ip netns exec srv tools/tcpwatch halfopen -j | jq '.halfopen | length') -eq 0 ]" 45 ||
	fail "half-opens did not expire"
sleep 1.5
bpftrace_last "$T/bt.out" > "$T/bt.last"
bpftrace_stop
ip netns exec srv tools/tcpwatch states -j > "$T/st.json"
ip netns exec srv tools/tcpwatch listen -j > "$T/l.json"
got=$(jq '.synack_retrans' "$T/st.json")
hist=$(tp_count synack | awk '{ n += $2 } END { print n + 0 }')
dropped=$(tp_dropped synack)
tp_count_stop synack
# counted per CPU, as 20-transitions counts, and summed
bt=$(awk '/^@n\[/ { n += $2 } END { print n + 0 }' "$T/bt.last")
echo "SYN-ACK retransmissions: tcpwatch $got, kernel $hist, bpftrace $bt"
assert_eq "$got" 18 "SYN-ACK retransmissions: 6 requests x 3"
assert_eq_or_short "$hist" "$got" "$dropped" "hits its hist trigger dropped" "the kernel's count vs tcpwatch"
assert_eq "$bt" "$got" "bpftrace vs tcpwatch"
for port in 7200 7201; do
	assert_eq "$(jq --argjson p $port '.listeners[] | select(.local_port == $p) | .synack_retrans' "$T/l.json")" 9 \
		"SYN-ACK retransmissions of the listener on $port"
done
# each expired after 1 + 2 + 4 + 8 = 15 s, the waits of the first SYN-ACK and
# its three retransmissions: lifetimes within 10%
assert_eq "$(jq '.histograms.halfopen_expired.count' "$T/st.json")" 6 "expired half-opens"
mean=$(jq '.histograms.halfopen_expired.sum / .histograms.halfopen_expired.count' "$T/st.json")
echo "mean half-open lifetime at expiry: $mean us"
awk -v m="$mean" 'BEGIN { exit !(m >= 13500000 && m <= 16500000) }' ||
	fail "mean half-open lifetime $mean us, expected 15 s +-10%"
for port in 7200 7201; do
	assert_eq "$(jq --argjson p $port '.listeners[] | select(.local_port == $p) | .expired' "$T/l.json")" 3 \
		"half-opens expired at the listener on $port"
done

# the same story as events: 18 retransmissions, 6 expiries with their
# lifetime and 3 SYN-ACK retransmissions each
kill -INT $evpid; wait $evpid || true
assert_eq "$(jq -r 'select(.event == "synack_retrans")' "$T/ev" | jq -s length)" 18 "synack_retrans events"
assert_eq "$(jq -r 'select(.event == "halfopen_end" and .outcome == "expired" and .synack_retrans == 3 and .lifetime_ns > 13500000000 and .lifetime_ns < 16500000000)' "$T/ev" | jq -s length)" 6 \
	"halfopen_end events: expired, 3 SYN-ACK retransmissions, lifetime 15 s"
for port in 7200 7201; do
	assert_eq "$(jq --argjson p $port '.listeners[] | select(.local_port == $p) | .histograms.halfopen_expired.count' "$T/l.json")" 3 \
		"expired half-open lifetimes of the listener on $port"
done

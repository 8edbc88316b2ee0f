#!/bin/bash
# The CLI's timer and window views against the module (issue #4):
# `tcpwatch window` as user nobody is refused (CAP_NET_ADMIN, status 1);
# as root it logs an iperf3 flow over a 20 ms, 1% loss path: cwnd grows
# in slow start, ssthresh is cut after a loss; `tcpwatch retrans -j`
# reports the flow's retransmissions with their cause and RTO; the log is
# switched off when `window` exits.  Skips while the module lacks
# SET_WINLOG.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tw_load
netns_pair srv cli 1 2
ip netns exec srv tc qdisc add dev v-cli root netem delay 10ms
ip netns exec cli tc qdisc add dev v-srv root netem delay 10ms loss 1%
ip netns exec srv iperf3 -s -p 5201 -1 > "$T/iperf.srv" 2>&1 &
wait_for "ip netns exec srv ss -Htln 'sport = :5201' | grep -q ." 30 ||
	fail "iperf3 server did not start"

# nobody may not set the log
st=0
ip netns exec cli setpriv --reuid=65534 --regid=65534 --clear-groups \
	tools/tcpwatch window 5201 -c 1 > /dev/null 2> "$T/nobody.err" || st=$?
cat "$T/nobody.err"
grep -q 'does not know this request' "$T/nobody.err" &&
	skip "the module has no SET_WINLOG yet"
assert_eq "$st" 1 "window as nobody: status"
grep -q CAP_NET_ADMIN "$T/nobody.err" || fail "window as nobody: no word of CAP_NET_ADMIN"

ip netns exec cli stdbuf -oL tools/tcpwatch window 5201 -j --interval 0 \
	> "$T/win" 2> "$T/win.err" &
winpid=$!
ip netns exec cli stdbuf -oL tools/tcpwatch retrans -j --port 5201 \
	> "$T/rt" 2> "$T/rt.err" &
rtpid=$!
wait_for "grep -q 'Ctrl-C' $T/win.err && grep -q 'Ctrl-C' $T/rt.err" 20 ||
	{ cat "$T/win.err" "$T/rt.err"; fail "window or retrans did not start"; }
jq -e '.winlog_port == 5201' <(ip netns exec cli tools/tcpwatch states -j) > /dev/null ||
	fail "states -j does not show the window log's port"
ip netns exec cli iperf3 -c 192.0.2.1 -p 5201 -t 4 > "$T/iperf.cli" ||
	fail "iperf3 client failed"
sleep 1
kill -INT "$winpid" "$rtpid"
wait "$winpid" || fail "window exited $? on SIGINT"
wait "$rtpid" || fail "retrans exited $? on SIGINT"

# the log: JSON lines of window events, the sender's (local port not 5201)
jq -e -s 'length > 0 and all(.event == "window")' "$T/win" > /dev/null ||
	fail "window -j: no window events, or others"
jq -r 'select(.remote_port == 5201) | "\(.cwnd) \(.ssthresh)"' "$T/win" > "$T/cw"
echo "window samples of the sender: $(wc -l < "$T/cw")"; head -20 "$T/cw"
[ "$(wc -l < "$T/cw")" -ge 5 ] || fail "too few samples of the sender"
grep -q null "$T/cw" && fail "a window sample without cwnd or ssthresh"
first=$(head -1 "$T/cw" | cut -d' ' -f1)
max=$(sort -n "$T/cw" | tail -1 | cut -d' ' -f1)
[ "$max" -gt "$first" ] || fail "cwnd never grew ($first .. $max)"
awk '$2 < 2147483647 { f = 1 } END { exit !f }' "$T/cw" ||
	fail "ssthresh never cut (no loss seen)"

# retrans: the flow's retransmissions, each with a cause and an RTO
n=$(jq -s '[.[] | select(.event == "retrans")] | length' "$T/rt")
echo "retrans events: $n"
[ "$n" -gt 0 ] || fail "no retrans events over a 1% loss path"
jq -e -s '[.[] | select(.event == "retrans")] |
	all(.retrans_cause != null and .rto_us != null)' "$T/rt" > /dev/null ||
	fail "a retrans event without cause or RTO"

# window's exit switched the log off
jq -e '.winlog_port == null and .winlog_addr == null' \
	<(ip netns exec cli tools/tcpwatch states -j) > /dev/null ||
	fail "the window log is still set after window exited"

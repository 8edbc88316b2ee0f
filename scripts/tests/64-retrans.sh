#!/bin/bash
# Retransmit timers and windows (issue #4), on one connection's life:
# 1. a 2 MB transfer over netem 20 ms delay and 2% loss: the sender's
#    retransmissions, by cause, add up to the kernel's own count (tp_count) of
#    tcp:tcp_retransmit_skb for that socket exactly (bpftrace: <= and
#    within 5%, see 20-transitions.sh), and RTO expiries equal nstat's
#    TcpExtTCPTimeouts delta;
# 2. quiesced, its cwnd, ssthresh, windows, rto, mss and srtt equal ss -tin;
# 3. blackholed by nft (at the peer) with tcp_retries2=3: each RTO event reports twice the
#    timeout before it and one more backoff, until the connection dies;
# 4. a receiver that stops reading: rcv_wnd 0 on its side, zero-window
#    probes on the sender equal to TcpExtTCPWinProbe's delta;
# 5. the window log of an iperf3 flow: cwnd grows in slow start, is cut
#    after a loss.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
PORT=7400
tw_load
netns_pair srv cli 1 2
ip netns exec cli ping -q -c 1 -W 5 192.0.2.1 > /dev/null || fail "no route"
# netem drops whole skbs: with TSO/GSO a sender's skb is up to 64 KB, and
# 2 MB made so few that a run on 6.18 lost none.  MSS-sized packets make
# the 2% apply per segment (about 29 expected).
ip netns exec cli ethtool -K v-srv tso off gso off > /dev/null
ip netns exec cli tc qdisc add dev v-srv root netem delay 20ms loss 2%
ip netns exec srv tc qdisc add dev v-cli root netem delay 20ms

nstat_abs() {	# nstat_abs NETNS COUNTER: the counter's absolute value
	ip netns exec "$1" nstat -az "$2" | awk -v c="$2" '$1 == c { print $2 }'
}

proc_count() {	# proc_count NETNS LABEL: "LABEL N" from the /proc header
	ip netns exec "$1" cat /proc/tcpwatch |
		sed -n "s/.*  *$2 \([0-9-]*\).*/\1/p" | head -n 1
}

tp_count_start rtx tcp/tcp_retransmit_skb sport,dport
bpftrace_start "$T/bt.out" 'tracepoint:tcp:tcp_retransmit_skb {
	@n[args->sport, args->dport] = count();
}
interval:s:1 { printf("--\n"); print(@n); printf("==\n"); }'

# --- 1. bulk transfer with loss
to0=$(nstat_abs cli TcpExtTCPTimeouts)
ip netns exec srv python3 scripts/tests/txflow.py sink 192.0.2.1 $PORT > "$T/sink" &
wait_for "grep -q ready $T/sink" 30 || fail "sink did not start"
touch "$T/hold"
ip netns exec cli python3 scripts/tests/txflow.py send 192.0.2.1 $PORT \
	$((2 << 20)) --hold "$T/hold" --then 65536 > "$T/send" &
wait_for "grep -q sent $T/send" 180 || fail "transfer did not finish"
dump() { ip netns exec cli python3 scripts/tests/txflow.py dump --port $PORT |
	jq -c "select(.dport == $PORT)"; }
wait_for "[ \"\$(dump | jq .inflight)\" = 0 ]" 60 || fail "data still in flight"
sleep 1.5
dump > "$T/d1"
cat "$T/d1"
sport=$(jq .sport "$T/d1")
ours=$(jq '.retrans | add' "$T/d1")
hist=$(tp_count rtx | awk -v s="$sport" -v d=$PORT '$1 == s && $2 == d { print $3 }')
bpftrace_last "$T/bt.out" > "$T/bt.last"
bt=$(awk -v k="@n[$sport, $PORT]:" '$1 " " $2 == k { print $3 }' "$T/bt.last")
echo "retransmissions: tcpwatch $ours (by cause $(jq -c .retrans "$T/d1")) kernel $hist bpftrace ${bt:-0} total_retrans $(jq .total_retrans "$T/d1")"
[ "${ours:-0}" -gt 0 ] || fail "no retransmissions at 2% loss"
assert_eq "$ours" "$hist" "per-socket retransmissions vs the kernel's count"
[ "${bt:-0}" -le "$ours" ] && [ $(( (ours - ${bt:-0}) * 20 )) -le "$ours" ] ||
	fail "bpftrace counted ${bt:-0}, tcpwatch $ours"
to1=$(nstat_abs cli TcpExtTCPTimeouts)
rto=$(proc_count cli "RTO expiries")
echo "RTO expiries: tcpwatch $rto nstat $((to1 - to0)) (socket: $(jq .rto_expiries "$T/d1"))"
assert_eq "$rto" "$((to1 - to0))" "RTO expiries vs TcpExtTCPTimeouts"
jq -e ".rto_expiries == $rto" "$T/d1" > /dev/null || fail "the socket's RTO expiries differ from its netns's"

# --- 2. quiesced: the same numbers as ss -tin
ss_line=$(ip netns exec cli ss -Htin "dport = :$PORT" | tr '\n' ' ')
echo "ss: $ss_line"
ssv() { sed -n "s/.* $1:\([0-9.]*\).*/\1/p" <<< " $ss_line"; }
for f in cwnd ssthresh snd_wnd rcv_wnd mss; do
	v=$(ssv $f)
	[ -n "$v" ] || { echo "ss prints no $f on this kernel"; continue; }
	assert_eq "$(jq .$f "$T/d1")" "$v" "$f vs ss"
done
awk -v a="$(jq .rto_us "$T/d1")" -v b="$(ssv rto)" \
	'BEGIN { exit !(a / 1000 == b) }' || fail "rto $(jq .rto_us "$T/d1") us vs ss rto:$(ssv rto)"
rtt=$(sed -n 's/.* rtt:\([0-9.]*\)\/.*/\1/p' <<< " $ss_line")
awk -v a="$(jq .srtt_us "$T/d1")" -v b="$rtt" \
	'BEGIN { d = a / 1000 - b; exit !(d < 0.001 && d > -0.001) }' ||
	fail "srtt $(jq .srtt_us "$T/d1") us vs ss rtt:$rtt"

# --- 3. blackhole: RTO doubles, backoff grows, the connection dies
ip netns exec cli tc qdisc del dev v-srv root
ip netns exec cli sysctl -qw net.ipv4.tcp_retries2=3
ip netns exec cli python3 scripts/tests/txflow.py events --stop "$T/evstop" \
	> "$T/ev" 2> "$T/ev.err" &
evpid=$!
wait_for "grep -q ready $T/ev.err" 30 || fail "event reader did not start"
# drop at the peer: a local output drop fails the send instead (EPERM)
ip netns exec srv nft -f - <<NFT
table inet bh {
	chain in {
		type filter hook input priority 0;
		tcp dport $PORT drop
	}
}
NFT
to0=$(nstat_abs cli TcpExtTCPTimeouts)
rm "$T/hold"
wait_for "grep -q dead $T/send" 60 || fail "the blackholed connection did not die"
to1=$(nstat_abs cli TcpExtTCPTimeouts)
touch "$T/evstop"
wait $evpid
grep dead "$T/send"
# [RTO that expired, backoff after it, state after it]
jq -c "select(.event == \"rto\" and .sport == $sport) | [.rto_us, .backoff, .state]" "$T/ev" > "$T/rto"
cat "$T/rto"
n=$(wc -l < "$T/rto")
assert_eq "$n" "$((to1 - to0))" "RTO events vs TcpExtTCPTimeouts"
[ "$n" -ge 3 ] || fail "only $n RTO expiries before the connection died"
# each expiry: twice the timeout before; backoff one more, except at the
# last, fatal one (tcp_write_timeout() gives up before backing off)
jq -s -e '. as $a |
	  all(range(1; $a | length); $a[.][0] == 2 * $a[. - 1][0]) and
	  all(range(1; ($a | length) - 1); $a[.][1] == $a[. - 1][1] + 1) and
	  $a[0][1] == 1 and $a[-1][2] == 7 and all($a[:-1][]; .[2] != 7)' "$T/rto" > /dev/null ||
	fail "RTO did not double, or backoff did not grow, at each expiry"
[ -n "$(jq -c "select(.event == \"state\" and .sport == $sport and .state == 7)" "$T/ev")" ] || {
	jq -c "select(.event != \"retrans\") | [.event, .sport, .old_state, .state]" "$T/ev"
	fail "no CLOSE event for the dead connection"
}
rtx=$(jq -c "select(.event == \"retrans\" and .sport == $sport) | .retrans_cause" "$T/ev" | sort | uniq -c | tr '\n' ' ')
echo "retransmission events of the blackholed socket by cause: $rtx"
ip netns exec srv nft delete table inet bh

# --- 4. zero window
zw0=$(nstat_abs cli TcpExtTCPWinProbe)
touch "$T/pause"
ip netns exec srv python3 scripts/tests/txflow.py sink 192.0.2.1 7401 --pause "$T/pause" > "$T/sink2" &
wait_for "grep -q ready $T/sink2" 30 || fail "sink did not start"
ip netns exec cli python3 scripts/tests/txflow.py send 192.0.2.1 7401 $((16 << 20)) > "$T/send2" &
sdump() { ip netns exec "$1" python3 scripts/tests/txflow.py dump --port 7401 |
	jq -c "select(.$2 == 7401 and .state != 10)"; }
wait_for "[ \"\$(sdump srv sport | jq .rcv_wnd)\" = 0 ]" 60 ||
	fail "the receiver's rcv_wnd did not reach 0: $(sdump srv sport)"
wait_for "[ \"\$(sdump cli dport | jq .zw_probes)\" -ge 3 ]" 60 ||
	fail "no zero-window probes: $(sdump cli dport)"
# probes go out every RTO (they are answered): bracket tcpwatch's count
# between two reads of the kernel's
zwa=$(nstat_abs cli TcpExtTCPWinProbe)
z=$(sdump cli dport | jq .zw_probes)
zwb=$(nstat_abs cli TcpExtTCPWinProbe)
echo "zero-window probes: nstat $((zwa - zw0)) <= tcpwatch $z <= nstat $((zwb - zw0)); sender: $(sdump cli dport | jq -c '[.timer, .probes, .snd_wnd]')"
[ "$((zwa - zw0))" -le "$z" ] && [ "$z" -le "$((zwb - zw0))" ] ||
	fail "zero-window probes $z outside TcpExtTCPWinProbe's [$((zwa - zw0)), $((zwb - zw0))]"
assert_eq "$(sdump cli dport | jq .timer)" 2 "the sender's pending timer (zero-window probe)"
rm "$T/pause"
pkill -f "txflow.py send 192.0.2.1 7401" || true

# --- 5. the window log of an iperf3 flow
ip netns exec cli tc qdisc add dev v-srv root netem delay 20ms loss 1%
ip netns exec srv iperf3 -s -1 -B 192.0.2.1 -p 5201 > /dev/null &
wait_for "ip netns exec srv ss -Htln 'sport = :5201' | grep -q ." 30 || fail "iperf3 server"
assert_eq "$(ip netns exec cli python3 scripts/tests/txflow.py winlog --port 5201 --interval 0)" "winlog 0" "SET_WINLOG"
grep -q 'window log: on, port 5201' <(ip netns exec cli cat /proc/tcpwatch) || fail "/proc does not show the filter"
rm -f "$T/evstop"
ip netns exec cli python3 scripts/tests/txflow.py events --stop "$T/evstop" \
	> "$T/wl" 2> "$T/wl.err" &
wait_for "grep -q ready $T/wl.err" 30 || fail "event reader did not start"
ip netns exec cli iperf3 -c 192.0.2.1 -p 5201 -t 4 > "$T/iperf" || fail "iperf3 failed"
sleep 1
touch "$T/evstop"
wait $!
ip netns exec cli python3 scripts/tests/txflow.py winlog > /dev/null
grep -q 'window log: off' <(ip netns exec cli cat /proc/tcpwatch) || fail "the filter was not cleared"
# the data flow: the one with the most samples
flow=$(jq -r 'select(.event == "window") | .sport' "$T/wl" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
jq -c "select(.event == \"window\" and .sport == $flow) | [.cwnd, .ssthresh]" "$T/wl" > "$T/cw"
echo "window log: $(wc -l < "$T/cw") samples of flow $flow; first: $(head -n 5 "$T/cw" | tr '\n' ' ')"
# cwnd grows (in slow start, or in congestion avoidance after a loss).
# Not "doubles": with 1% loss the first loss may come at cwnd 12 (seen on
# 6.1), and congestion avoidance under that loss stays near there.
jq -s -e '. as $a | any(range(1; $a | length); $a[.][0] > $a[. - 1][0])' "$T/cw" > /dev/null ||
	fail "cwnd never grew"
echo "highest cwnd $(jq -s 'map(.[0]) | max' "$T/cw"), in slow start $(jq -s '[.[] | select(.[1] >= 2147483647) | .[0]] | max' "$T/cw")"
jq -s -e '. as $a | any(range(1; $a | length);
	$a[.][0] < $a[. - 1][0] and $a[.][1] < 2147483647)' "$T/cw" > /dev/null ||
	fail "no cwnd cut with a finite ssthresh"
grep -q 'samples sent [1-9]' <(ip netns exec cli cat /proc/tcpwatch) || fail "samples not counted"

bpftrace_stop
tp_count_stop rtx
ip netns exec cli cat /proc/tcpwatch | sed -n '/^retransmissions/,/^window log/p'
ip netns exec cli cat /proc/tcpwatch | sed -n '/^TIMERS/,/^LISTENERS/p' | head -n 8
tw_unload

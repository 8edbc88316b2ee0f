#!/bin/bash
# scripts/bench's guest side: runs in the VM (see scripts/bench), prints
# the measurements as "RESULT key value" lines and a table at the end.
# Each workload runs four ways, interleaved per round so that drift hits
# all alike: bare kernel; tcpwatch loaded; tcpwatch loaded with one event
# reader (tcpwatch events -j in the client's netns, whose JSON output costs
# CPU on the same 2 vCPUs); bpftrace attached to the same tracepoints
# (bench.d/equiv.bt).  The connection rate also runs a fifth way: tcpwatch
# with handshake_probes=0.
. "$(dirname "$0")/../tests/lib.sh"
set +e
trap - ERR

CR=build/bench/connrate
ROUNDS=${TW_BENCH_ROUNDS:-3}
N=${TW_BENCH_CONNS:-20000}
IPERF_S=${TW_BENCH_IPERF_S:-10}
HOLD=${TW_BENCH_HOLD:-50000}
HALF=${TW_BENCH_HALF:-10000}
EVRATE=${TW_BENCH_EVRATE:-1000}
PARTS=" ${TW_BENCH_PARTS:-rate bulk flood scale} "	# a subset, while iterating
part() { [[ $PARTS == *" $1 "* ]]; }
T=$TW_TMP

say() { echo "RESULT $*"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

netns_pair srv cli 1 2
for ns in srv cli; do
	ip netns exec $ns sysctl -qw net.ipv4.ip_local_port_range="1024 65535" \
		net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65536 \
		net.ipv4.tcp_max_tw_buckets=400000
done
ip netns exec cli $CR server 127.0.0.1 9000 > /dev/null &
ip netns exec srv $CR server 192.0.2.1 9001 > /dev/null &
ip netns exec srv iperf3 -s -B 192.0.2.1 -p 5201 > /dev/null 2>&1 &
wait_for "ip netns exec srv ss -Htln 'sport = :9001' | grep -q . &&
	  ip netns exec cli ss -Htln 'sport = :9000' | grep -q ." 30 ||
	fail "servers did not start"
ip netns exec cli ping -q -c 1 -W 5 192.0.2.1 > /dev/null

mode_on() {
	case $1 in
	module)
		tw_load ;;
	nohs)
		tw_load handshake_probes=0 ;;
	reader)
		tw_load
		ip netns exec cli tools/tcpwatch events -j > /dev/null 2>&1 &
		sleep 1 ;;
	bpftrace)
		bpftrace_start "$T/bt.out" scripts/bench.d/equiv.bt ;;
	esac
}

mode_off() {
	case $1 in
	module|nohs)
		tw_unload ;;
	reader)
		pkill -f "tcpwatch events"; sleep 0.5; tw_unload ;;
	bpftrace)
		bpftrace_stop ;;
	esac
}

# --- 1: connection rate (loopback, veth)
rounds=$ROUNDS
part rate || rounds=0
# nohs: the module without its handshake kprobes (handshake_probes=0),
# which shows their share of the cost in the same run
for r in $(seq "$rounds"); do
	for m in bare module nohs reader bpftrace; do
		mode_on $m
		lo=$(ip netns exec cli $CR client 127.0.0.1 9000 "$N" 4 | awk '{ print $6 }')
		ve=$(ip netns exec cli $CR client 192.0.2.1 9001 "$N" 4 | awk '{ print $6 }')
		mode_off $m
		echo "round $r $m: loopback $lo conn/s, veth $ve conn/s"
		echo "$lo" >> "$T/lo.$m"; echo "$ve" >> "$T/ve.$m"
		sleep 2		# let TIME_WAIT drain a little
	done
done
part rate && for m in bare module nohs reader bpftrace; do
	say "conn_lo_$m" "$(median < "$T/lo.$m")"
	say "conn_veth_$m" "$(median < "$T/ve.$m")"
done

# --- 2: bulk throughput, once the rate part's 80,000 timewait socks per
# mode are gone: their expiry (2,000 a second, 60 s after) would otherwise
# land in whichever mode's iperf3 runs then.
part bulk && wait_for "[ \$(ip netns exec cli ss -Htan state time-wait | wc -l) = 0 ] &&
	[ \$(ip netns exec srv ss -Htan state time-wait | wc -l) = 0 ]" 120
rounds=${TW_BENCH_BULK_ROUNDS:-5}
part bulk || rounds=0
# what tcpwatch's hooks saw in both netns: transitions, retransmissions,
# congestion-state changes, RTO expiries, loss probes
hook_calls() {
	local ns sum=0 n
	for ns in cli srv; do
		n=$(ip netns exec $ns tools/tcpwatch states -j | jq '([.transitions[]?.count] | add // 0) +
			((.retrans // {}) | add // 0) + (.ca_changes // 0) +
			(.rto_expiries // 0) + (.loss_probes // 0)')
		sum=$((sum + n))
	done
	echo $sum
}
for r in $(seq "$rounds"); do
	for m in bare module reader bpftrace; do
		mode_on $m
		[ $m = module ] && h0=$(hook_calls)
		bw=$(ip netns exec cli iperf3 -c 192.0.2.1 -p 5201 -t "$IPERF_S" -A 0,1 -J |
			jq '.end.sum_received.bits_per_second')
		[ $m = module ] && echo "$(($(hook_calls) - h0))" >> "$T/hooks"
		mode_off $m
		echo "round $r $m: iperf3 $bw bit/s"
		echo "$bw" >> "$T/bw.$m"
	done
done
part bulk && for m in bare module reader bpftrace; do
	say "bulk_$m" "$(median < "$T/bw.$m")"
done
part bulk && say bulk_hook_calls "$(median < "$T/hooks")"

# --- 4: event flood (before the scale part fills the tables)
flood() {
	tw_load
	ip netns exec cli tools/tcpwatch events -j > "$T/ev" 2> "$T/ev.err" &
	evpid=$!
	sleep 1
	st0=$(ip netns exec cli tools/tcpwatch states -j)
	ip netns exec cli $CR client 127.0.0.1 9000 $((EVRATE * 10)) 4 "$EVRATE" > "$T/evrate"
	sleep 2
	st1=$(ip netns exec cli tools/tcpwatch states -j)
	kill "$evpid"; wait "$evpid" 2>/dev/null
	gen=$(jq -n --argjson a "$st0" --argjson b "$st1" \
		'([($b.transitions // [])[].count] | add) - ([($a.transitions // [])[].count] | add // 0)')
	say ev_rate_achieved "$(awk '{ print $6 }' "$T/evrate")"
	say ev_generated "$gen"
	say ev_delivered "$(grep -c '"event":"state"' "$T/ev")"
	say ev_sent "$(jq -n --argjson a "$st0" --argjson b "$st1" '$b.events_sent - $a.events_sent')"
	say ev_lost "$(jq -n --argjson a "$st0" --argjson b "$st1" '$b.event_drops - $a.event_drops')"
	tw_unload
	sleep 3
}
part flood && flood

# --- 3: scale.  Module memory: what rmmod gives back (slab + vmalloc).
memkb() { awk '/^(SUnreclaim|VmallocUsed):/ { s += $2 } END { print s }' /proc/meminfo; }
# timed KEY OUT CMD...: run CMD in netns cli into OUT, say its seconds as KEY
timed() {
	local key=$1 out=$2 t0 t1
	shift 2
	t0=$(date +%s.%N); ip netns exec cli "$@" > "$out"; t1=$(date +%s.%N)
	say "$key" "$(echo "$t1 - $t0" | bc)"
}
# The same run by a shell already in netns cli, so without the start of
# `ip netns exec` (it mounts sysfs and so on: 0.1-0.3 s under TCG on a
# quiet host, more on a busy one),
# median of 3 runs: the CLI's own cost.
innetns() {	# innetns KEY OUT CMD...
	local key=$1 out=$2
	shift 2
	say "$key" "$(ip netns exec cli bash -c '
		out=$1; shift
		for i in 1 2 3; do
			t0=$EPOCHREALTIME; "$@" > "$out"; t1=$EPOCHREALTIME
			echo "$t1 - $t0" | bc
		done' _ "$out" "$@" | median)"
}
# the start of `ip netns exec` alone, median of 3
exec_start() {
	local i t0 t1
	for i in 1 2 3; do
		t0=$EPOCHREALTIME; ip netns exec cli true; t1=$EPOCHREALTIME
		echo "$t1 - $t0" | bc
	done | median
}
scale_point() {	# scale_point LABEL
	local m0 m1 tracked
	tw_load
	sleep 2
	tracked=$(ip netns exec cli tools/tcpwatch states -j | jq .tracked)
	timed "proc_s_$1" "$T/proc.$1" cat /proc/tcpwatch
	timed "dump_s_$1" "$T/dump.$1" tools/tcpwatch sockets -j
	say "dump_rows_$1" "$(jq '.sockets | length' "$T/dump.$1")"
	# the same dump without JSON, and with a filter that leaves no row to
	# print: what the kernel's walk and the transfer cost alone
	timed "dump_table_s_$1" /dev/null tools/tcpwatch sockets
	timed "dump_empty_s_$1" /dev/null tools/tcpwatch sockets --state CLOSING
	say "exec_s_$1" "$(exec_start)"
	innetns "dump_in_s_$1" "$T/dump.$1" tools/tcpwatch sockets -j
	innetns "dump_table_in_s_$1" /dev/null tools/tcpwatch sockets
	innetns "dump_empty_in_s_$1" /dev/null tools/tcpwatch sockets --state CLOSING
	innetns "dump_null_in_s_$1" /dev/null tools/tcpwatch sockets -j
	# the record cache: object size, and a slab page's share per record
	read -r objsize perslab pages < <(awk '$1 == "tcpw_entry" { print $4, $5, $6 }' /proc/slabinfo)
	say "slab_obj_b_$1" "$objsize"
	say "slab_b_per_rec_$1" "$((pages * 4096 / perslab))"
	say "proc_lines_$1" "$(wc -l < "$T/proc.$1")"
	say "tracked_$1" "$tracked"
	m1=$(memkb)
	tw_unload
	sleep 3		# RCU frees the records
	m0=$(memkb)
	say "mem_kb_$1" "$((m1 - m0))"
	say "mem_b_per_sock_$1" "$(( (m1 - m0) * 1024 / tracked ))"
}
part scale || exit 0
ip netns exec srv $CR sink 192.0.2.1 9002 > /dev/null &
wait_for "ip netns exec srv ss -Htln 'sport = :9002' | grep -q ." 30
ip netns exec cli bash -c "$CR hold 192.0.2.1 9002 $((HOLD / 5)) 10000 > $T/hold1 &"
wait_for "grep -q held $T/hold1" 600 || fail "could not hold $((HOLD / 5)) connections"
scale_point 10k
ip netns exec cli bash -c "$CR hold 192.0.2.1 9002 $((HOLD - HOLD / 5)) $((10000 + HOLD / 5)) > $T/hold2 &"
wait_for "grep -q held $T/hold2" 1200 || fail "could not hold $HOLD connections"
# half-opens: SYNs whose SYN-ACK the client side drops (no RST back)
ip netns exec srv sysctl -qw net.ipv4.tcp_syncookies=0
ip netns exec srv python3 scripts/tests/actor.py listen 192.0.2.1 9003 --backlog 65535 > /dev/null &
wait_for "ip netns exec srv ss -Htln 'sport = :9003' | grep -q ." 30
ip netns exec cli nft -f - <<'NFT'
table inet half {
	chain in {
		type filter hook input priority 0;
		tcp sport 9003 drop
	}
}
NFT
ip netns exec cli hping3 -q -S -p 9003 -i u100 -c "$HALF" 192.0.2.1 > /dev/null 2>&1
say halfopen "$(ip netns exec srv ss -Htn state syn-recv | wc -l)"
scale_point 50k
echo "--- /proc/tcpwatch at 50k (head)"
head -n 20 "$T/proc.50k"

# shellcheck shell=bash
# Helpers for the VM tests in scripts/tests/NN-name.sh. Source it first:
#   . "$(dirname "$0")/lib.sh"
# Tests run as root inside the guest (scripts/guest-run), in the repo's top
# directory, with bash. Exit 0 = pass, 77 = skip, anything else = fail.
# scripts/guest-run cleans up after each test: it unloads tcpwatch, deletes
# every netns and kills whatever the test left running.
#
# set -e is on: an unchecked failing command fails the test, and the ERR
# trap says which one.

set -eE -o pipefail
trap 'echo "FAIL: ${BASH_SOURCE[0]##*/}:$LINENO: \"$BASH_COMMAND\" exited $?" >&2' ERR

TW_KO=${TW_KO:-build/${TW_KVER:-$(uname -r)}/tcpwatch.ko}
TW_TMP=${TW_TMP:-$(mktemp -d /tmp/tw.XXXXXX)}

# fail MSG...: the test fails with MSG.
fail() {
	trap - ERR
	echo "FAIL: $*" >&2
	exit 1
}

# skip [REASON]: the test is skipped (exit 77).
skip() {
	trap - ERR
	echo "SKIP: ${*:-no reason given}"
	exit 77
}

# assert_eq ACTUAL EXPECTED [MSG]
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-assert_eq}: expected '$2', got '$1'"
}

# assert_eq_or_short ACTUAL EXPECTED MAX WHY MSG: ACTUAL equals EXPECTED, or
# falls short of it by at most MAX, which WHY names (an oracle's own count
# of what it lost)
assert_eq_or_short() {
	local got=$1 want=$2 max=$3 why=$4 what=$5
	if [ "$got" -lt "$want" ] && [ $((want - got)) -le "$max" ]; then
		echo "$what: $got of $want, within the $max $why"
	else
		assert_eq "$got" "$want" "$what"
	fi
}

# wait_for 'COMMAND LINE' [TIMEOUT_S=10]: run the command line (eval'd)
# every 0.2 s until it succeeds; returns 1 after TIMEOUT_S seconds.
wait_for() {
	local cmd=$1 end=$((SECONDS + ${2:-10}))
	until eval "$cmd" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# tw_load [PARAM=VALUE...]: insmod the module under test ($TW_KO).
tw_load() {
	[ -f "$TW_KO" ] ||
		fail "tw_load: module not built: $TW_KO (did 'make KVER=${TW_KVER:-?} module' fail?)"
	if ! insmod "$TW_KO" "$@"; then
		dmesg | tail -n 20 >&2
		fail "tw_load: insmod $TW_KO $* failed (dmesg above)"
	fi
}

# tw_unload: rmmod tcpwatch; failing to unload fails the test. A netlink
# dump holds a module reference until its reader has read it to the end,
# so a reader just stopped may make rmmod fail "in use" for a moment:
# retried for 5 s.
tw_unload() {
	local end=$((SECONDS + 5)) err
	until err=$(rmmod tcpwatch 2>&1); do
		if [[ $err != *"in use"* && $err != *"temporarily unavailable"* ]] ||
		   [ "$SECONDS" -ge "$end" ]; then
			echo "$err" >&2
			fail "tw_unload: rmmod tcpwatch failed"
		fi
		sleep 0.2
	done
}

# netns_settled CLIENT_NS SERVER_NS LISTENERS: has a short-connection
# workload settled? Every client socket in TIME_WAIT (or already out of
# it), and nothing left at the server but its LISTENERS listeners.
netns_settled() {
	[ "$(ip netns exec "$1" ss -Htan exclude time-wait | wc -l)" -eq 0 ] &&
		[ "$(ip netns exec "$2" ss -Htan | wc -l)" -eq "$3" ]
}

# netns_pair A B [ADDR_A=1] [ADDR_B=2]: network namespaces A and B (created
# if missing) joined by a veth pair, links and lo up. An ADDR is a host
# number N (192.0.2.N and 2001:db8::N), or "IPV4[,IPV6]" (IPV6 defaults to
# 2001:db8::<last IPv4 byte>). Prefixes are /24 and /64. DAD is off so the
# IPv6 addresses work at once. In A the interface is named "v-B", in B
# "v-A" (cut to 15 characters).
netns_pair() {
	local a=$1 b=$2 ia=v-$2 ib=v-$1 ns
	ia=${ia:0:15} ib=${ib:0:15}
	for ns in "$a" "$b"; do
		[ -e "/run/netns/$ns" ] || ip netns add "$ns"
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
		ip -n "$ns" link set lo up
	done
	ip -n "$a" link add "$ia" type veth peer name "$ib" netns "$b"
	_netns_addr "$a" "$ia" "${3:-1}"
	_netns_addr "$b" "$ib" "${4:-2}"
}

_netns_addr() {
	local ns=$1 dev=$2 v4=${3%%,*} v6=
	case $3 in *,*) v6=${3#*,} ;; esac
	case $v4 in *.*) ;; *) v4=192.0.2.$v4 ;; esac
	[ -n "$v6" ] || v6=2001:db8::${v4##*.}
	ip -n "$ns" addr add "$v4/24" dev "$dev"
	ip -n "$ns" addr add "$v6/64" dev "$dev" nodad
	ip -n "$ns" link set "$dev" up
}

# tcp_listen NS ADDR PORT: a TCP server in netns NS that accepts every
# connection, echoes what it reads and closes when the peer does. Runs in
# the background until the test ends; returns once it listens.
tcp_listen() {
	ip netns exec "$1" python3 -c '
import socket, sys, threading
a, p = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((a, p)); s.listen(128)
def serve(c):
    with c:
        while (d := c.recv(65536)):
            c.sendall(d)
while True:
    threading.Thread(target=serve, args=(s.accept()[0],), daemon=True).start()
' "$2" "$3" &
	wait_for "ip netns exec $1 ss -Htln 'sport = :$3' | grep -q ." 30 ||
		fail "tcp_listen: nothing listens on $2 port $3 in $1"
}

# tcp_connect NS ADDR PORT [HOLD_S=0]: connect from netns NS, send a line,
# read the echo, keep the connection open HOLD_S seconds, then close it
# (closing first puts this side in TIME_WAIT). Run it with & to hold a
# connection open while the test goes on.
tcp_connect() {
	ip netns exec "$1" python3 -c '
import socket, sys, time
a, p, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
c = socket.create_connection((a, p), timeout=30)
c.sendall(b"hello\n")
assert c.recv(100) == b"hello\n"
time.sleep(hold)
c.close()
' "$2" "$3" "${4:-0}"
}

# actor_listen NS ADDR PORT OUTFILE [ACTOR_ARGS...]: `actor.py listen` in
# netns NS, in the background, its output in OUTFILE; returns once it
# listens. ACTOR_ARGS: --backlog N, --on-accept ACTION, --count N.
actor_listen() {
	local ns=$1 addr=$2 port=$3 out=$4
	shift 4
	ip netns exec "$ns" python3 scripts/tests/actor.py listen "$addr" "$port" "$@" > "$out" &
	wait_for "grep -q listening $out" 30 ||
		fail "actor_listen: nothing listens on $addr port $port in $ns"
}

# churn_start SERVER_NS CLIENT_NS ADDR PORT N JOBS: short connections
# (churn.py) from CLIENT_NS to a server on ADDR PORT in SERVER_NS until the
# test ends: a client of N connections, JOBS at a time, run again and
# again. The server's output is in $TW_TMP/churn, the clients' ("done N"
# a run) in $TW_TMP/churn.cli; TW_CHURN_PID is the loop's pid, to kill.
# Returns once the server listens.
churn_start() {
	local srv=$1 cli=$2 addr=$3 port=$4 n=$5 jobs=$6
	ip netns exec "$srv" python3 scripts/tests/churn.py server "$addr" "$port" > "$TW_TMP/churn" &
	wait_for "grep -q listening $TW_TMP/churn" 30 || fail "churn_start: churn server did not start"
	( while :; do
		ip netns exec "$cli" python3 scripts/tests/churn.py client "$addr" "$port" "$n" -j "$jobs" || true
	done ) > "$TW_TMP/churn.cli" 2>&1 &
	# shellcheck disable=SC2034 # for the test to kill
	TW_CHURN_PID=$!
}

# nft_rule NS TABLE HOOK RULE: netns NS filters with RULE on HOOK (input,
# output), in a chain of that name in nft table inet TABLE.
nft_rule() {
	ip netns exec "$1" nft -f - <<NFT
table inet $2 {
	chain $3 {
		type filter hook $3 priority 0;
		$4
	}
}
NFT
}

# nft_hold_acks NS PORT...: netns NS drops the pure ACKs it sends to the
# PORTs, so that its connections to them stay half-open on the server's
# side, the last ACK of their handshake lost.
nft_hold_acks() {
	local ns=$1 ports
	shift
	ports=$*
	nft_rule "$ns" hold output "tcp dport { ${ports// /, } } tcp flags == ack drop"
}

# nft_drop_from NS PORT...: netns NS drops every segment from the PORTs,
# as a SYN flooder must: its kernel would answer the SYN-ACKs with RSTs.
nft_drop_from() {
	local ns=$1 ports
	shift
	ports=$*
	nft_rule "$ns" flood input "tcp sport { ${ports// /, } } drop"
}

# bpftrace_start OUTFILE 'PROGRAM'|FILE.bt: run bpftrace in the background,
# output to OUTFILE, and return once its probes are attached (5-15 s under
# TCG). One at a time. bpftrace prints "Attaching N probes..." *before* it
# attaches them (and runs BEGIN before too), so ready means: that line is
# out and bpftrace sleeps in epoll_wait, its event loop after attaching.
bpftrace_start() {
	local out=$1 prog=$2 pid
	if [ -f "$prog" ]; then
		bpftrace "$prog" >"$out" 2>&1 &
	else
		bpftrace -e "$prog" >"$out" 2>&1 &
	fi
	pid=$!
	TW_BPFTRACE_PID=$pid
	local end=$((SECONDS + 180))	# seen past 90 s on a loaded host
	until grep -q '^Attaching' "$out" && _bpftrace_polling "$pid"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$out" >&2
			fail "bpftrace_start: bpftrace exited (output above)"
		fi
		if [ "$SECONDS" -ge "$end" ]; then
			cat "$out" >&2
			fail "bpftrace_start: probes not attached after 180 s"
		fi
		sleep 0.2
	done
}

# Is PID blocked in epoll_wait (syscall 232) or epoll_pwait (281)?
_bpftrace_polling() {
	local nr
	read -r nr _ < "/proc/$1/syscall" 2>/dev/null || return 1
	[ "$nr" = 232 ] || [ "$nr" = 281 ]
}

# bpftrace_btf: can bpftrace read this kernel's BTF, and so cast to kernel
# structs? Not bpftrace 0.17 on Debian's 5.10 ("btf: no" in its --info,
# "Unknown struct/union" for struct sock); there an #include of the
# kernel's headers does it, but clang takes minutes to parse them under
# TCG.
bpftrace_btf() {
	bpftrace --info 2>&1 | grep -q '^ *btf: yes'
}

# bpftrace_last OUTFILE: the maps printed last.  bpftrace 0.17 sometimes
# never exits after SIGINT (so never prints its maps at the end), so the
# scripts print theirs every second between a line "--" and a line "==":
#   interval:s:1 { printf("--\n"); print(@n); printf("==\n"); }
# Only a block with its "==" is whole: bpftrace prints a map entry by entry.
# Wait more than a second after the last event before reading.
bpftrace_last() {
	awk '/^--$/ { n = 0; delete l; next }
	     /^==$/ { m = n; for (i = 1; i <= n; i++) w[i] = l[i]; next }
	     /^@/ { l[++n] = $0 }
	     END { for (i = 1; i <= m; i++) print w[i] }' "$1"
}

# bpftrace_stop: SIGINT bpftrace and wait for it, so that it prints its maps
# into OUTFILE (detaching takes a few seconds under TCG, much longer when
# the host is busy).
bpftrace_stop() {
	local pid=${TW_BPFTRACE_PID:?bpftrace_stop: no bpftrace_start} t0=$SECONDS
	kill -INT "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do
		if [ $((SECONDS - t0)) -ge 30 ]; then
			echo "bpftrace_stop: bpftrace still running 30 s after SIGINT: killed" >&2
			kill -KILL "$pid" 2>/dev/null
			break
		fi
		sleep 0.2
	done
	wait "$pid" 2>/dev/null || true
	[ $((SECONDS - t0)) -lt 10 ] ||
		echo "bpftrace_stop: bpftrace took $((SECONDS - t0)) s to exit" >&2
	unset TW_BPFTRACE_PID
}

# The kernel's own count of a tracepoint's hits, per key, an oracle that
# never skips (unlike bpftrace, see 20-transitions.sh):
#   tp_count_start NAME EVENT KEYS [FILTER]  e.g. tp_count_start rtx \
#       tcp/tcp_retransmit_skb sport,dport 'dport == 7400'
#   tp_count NAME    lines "KEY1 KEY2 ... COUNT", keys as numbers (at most
#                    3 keys: a hist trigger takes no more; one count per
#                    event and keys at a time)
#   tp_count_stop NAME
# A hist trigger counts where the kernel has them; Debian's 5.10 is built
# without CONFIG_HIST_TRIGGERS, and there the event is recorded in a trace
# instance of its own (tw_NAME), whose records are counted: every hit is
# one record, and a buffer that overflowed fails the count. States, which
# the records print by name (TCP_LISTEN), are turned back into numbers.
_tp_dir=/sys/kernel/tracing
_tp_states="ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN CLOSING NEW_SYN_RECV"

# Does EVENT count by hist trigger? TW_TP_TRACE=1 forces the trace
# instance, to compare the two ways on a kernel that has both.
_tp_hist() {
	[ -z "${TW_TP_TRACE:-}" ] && [ -e "$_tp_dir/events/$1/hist" ]
}

# _tp_load NAME: the caller's event, keys and filter, as tp_count_start
# saved them for NAME
_tp_load() {
	{ read -r event; read -r keys; read -r filter; } < "$TW_TMP/tp.$1"
}

_tp_trigger() {	# _tp_trigger KEYS FILTER
	echo "hist:keys=$1:vals=hitcount${2:+ if $2}"
}

tp_count_start() {
	local name=$1 event=$2 keys=$3 filter=${4:-} inst
	printf '%s\n%s\n%s\n' "$event" "$keys" "$filter" > "$TW_TMP/tp.$name"
	if _tp_hist "$event"; then
		# append: opening the trigger file with O_TRUNC (>) removes
		# every hist trigger already on the event
		_tp_trigger "$keys" "$filter" >> "$_tp_dir/events/$event/trigger" ||
			fail "tp_count_start: cannot set a hist trigger on $event"
		return
	fi
	inst=$_tp_dir/instances/tw_$name
	mkdir "$inst" || fail "tp_count_start: cannot make the trace instance $inst"
	echo 8192 > "$inst/buffer_size_kb"
	if [ -n "$filter" ]; then
		echo "$filter" > "$inst/events/$event/filter" ||
			fail "tp_count_start: filter '$filter' refused on $event"
	fi
	echo 1 > "$inst/events/$event/enable" ||
		fail "tp_count_start: cannot enable $event in $inst"
}

tp_count() {
	local name=$1 event keys filter inst
	_tp_load "$name"
	if _tp_hist "$event"; then
		# { sport:       7200, dport: 1 } hitcount:          6, in the
		# section of this trigger, which its keys tell
		awk -v trig="$(_tp_trigger "$keys")" -v keys="$keys" '
			BEGIN { nk = split(keys, k, ",") }
			/^# trigger info:/ { on = index($0, trig); info = info "\n" $0 }
			on && /^{/ {
				gsub(/[{},]/, " "); out = ""
				for (i = 1; i < NF; i++) {
					if ($i == "hitcount:") c = $(i + 1)
					for (j = 1; j <= nk; j++)
						if ($i == k[j] ":") v[j] = $(i + 1)
				}
				for (j = 1; j <= nk; j++) out = out v[j] " "
				print out c; n++
			}
			END { if (!n) print "tp_count: no entries for " trig ", in:" info > "/dev/stderr" }
			' "$_tp_dir/events/$event/hist"
		return
	fi
	inst=$_tp_dir/instances/tw_$name
	# "# entries-in-buffer/entries-written: 10002/10002   #P:2"
	awk '/^# entries-in-buffer\/entries-written:/ { split($3, n, "/")
		if (n[1] != n[2]) { print "tp_count: " n[2] - n[1] " records lost" > "/dev/stderr"; exit 1 }
		exit }' "$inst/trace" || fail "tp_count: the trace buffer of $name overflowed"
	awk -v ev="${event#*/}:" -v keys="$keys" -v states="$_tp_states" '
		BEGIN { nk = split(keys, k, ","); ns = split(states, s, " ")
			for (i = 1; i <= ns; i++) num["TCP_" s[i]] = i }
		/^#/ { next }
		{
			for (i = 1; i <= NF && $i != ev; i++) ;
			if (i > NF) next
			key = ""
			for (j = 1; j <= nk; j++)
				for (f = i + 1; f <= NF; f++)
					if (index($f, k[j] "=") == 1) {
						v = substr($f, length(k[j]) + 2)
						if (v in num) v = num[v]
						key = key v " "
						break
					}
			n[key]++
		}
		END { for (key in n) print key n[key] }' "$inst/trace"
}

# tp_dropped NAME: hits the kernel's hist trigger dropped ("Dropped:" in
# its totals; 0 for a trace instance, whose overflow fails tp_count). A new
# key's first hits may be dropped when two CPUs insert it at once: the
# second waits for the first by spinning a bounded number of times
# (tracing_map's __tracing_map_insert()), which a vCPU that QEMU has
# paused outlasts.
tp_dropped() {
	local name=$1 event keys filter
	_tp_load "$name"
	if ! _tp_hist "$event"; then
		echo 0
		return
	fi
	awk -v trig="$(_tp_trigger "$keys")" '
		/^# trigger info:/ { on = index($0, trig) }
		on && $1 == "Dropped:" { d = $2 }
		END { print d + 0 }' "$_tp_dir/events/$event/hist"
}

tp_count_stop() {
	local name=$1 event keys filter inst
	_tp_load "$name"
	if _tp_hist "$event"; then
		echo "!$(_tp_trigger "$keys" "$filter")" >> "$_tp_dir/events/$event/trigger"
		return
	fi
	inst=$_tp_dir/instances/tw_$name
	echo 0 > "$inst/events/$event/enable"
	rmdir "$inst"
}

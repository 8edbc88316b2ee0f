# Hook points per kernel: every tracepoint, kretprobe and kprobe the module
# names in /proc/tcpwatch is attached when the running kernel has it, and
# marked "(off)" there, with a dmesg line, when it does not; the module
# loads either way. Prints one line per hook, for the README's table.
. "$(dirname "$0")/lib.sh"

mark="tcpwatch-test: hooks $RANDOM"
echo "$mark" > /dev/kmsg
tw_load
hdr=$(sed -n '1,/^STATE/p' /proc/tcpwatch)
log=$(dmesg | sed -n "/$mark\$/,\$p")

# "kretprobes: a b(off); kprobe c, missed 0" -> "a b(off) c" (kretprobe c
# on 5.10)
hooks() {
	printf '%s\n' "$hdr" | sed -n "s/^$1: //p" | sed 's/, missed.*//; s/; kprobe / /; s/; kretprobe / /'
}
bad=0
check() {	# KIND NAME(off)? PRESENT
	local kind=$1 word=$2 present=$3 name=${2%(off)} state=on
	[ "$word" = "$name" ] || state=off
	echo "$(uname -r) $kind $name: $state"
	if [ "$present" = yes ] && [ $state = off ]; then
		echo "  ... but this kernel has $name"; bad=1
	elif [ "$present" = no ] && [ $state = on ]; then
		echo "  ... but this kernel has no $name"; bad=1
	elif [ $state = off ] && ! grep -q "$name not" <<<"$log"; then
		echo "  ... and dmesg does not say so"; bad=1
	fi
}

tps=$(hooks tracepoints)
[ -n "$tps" ] || fail "/proc/tcpwatch has no 'tracepoints:' line"
for w in $tps; do
	n=${w%(off)}
	if ls /sys/kernel/tracing/events/*/"$n" >/dev/null 2>&1; then p=yes; else p=no; fi
	check tracepoint "$w" $p
done
for w in $(hooks kretprobes) $(hooks 'timer kretprobes') $(hooks 'timewait kprobe'); do
	n=${w%(off)}
	if grep -qE " [tT] $n\$" /proc/kallsyms; then p=yes; else p=no; fi
	check kprobe "$w" $p
done
# the kprobe list names them while they are on (the check below relies on it)
if [ -r /sys/kernel/debug/kprobes/list ]; then
	grep -q tcp_conn_request /sys/kernel/debug/kprobes/list ||
		fail "the kernel's kprobe list does not name tcp_conn_request"
fi
tw_unload
[ $bad = 0 ] || fail "hooks and /proc/tcpwatch disagree (above)"

T=$TW_TMP
# handshake_probes=0: no handshake kprobe is attached (none listed in
# /sys/kernel/debug/kprobes/list), /proc says why, the handshake counter
# line is absent, and states are still tracked.
tw_load handshake_probes=0
grep -q '^kretprobes: off (handshake_probes=0)' /proc/tcpwatch ||
	fail "handshake_probes=0: no 'kretprobes: off (handshake_probes=0)' line"
grep -q '^handshakes: SYNs' /proc/tcpwatch &&
	fail "handshake_probes=0: the handshake counters are shown"
if [ -r /sys/kernel/debug/kprobes/list ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null; then
	grep -E 'tcp_conn_request|tcp_check_req|cookie_v[46]_check|inet_csk_reqsk_queue_drop|inet_accept' \
		/sys/kernel/debug/kprobes/list &&
		fail "handshake_probes=0: handshake kprobes attached (above)"
fi
netns_pair a b 1 2
actor_listen a 192.0.2.1 9000 "$T/srv" --count 1
ip netns exec b python3 scripts/tests/actor.py connect 192.0.2.1 9000 --count 1 > "$T/cli" &
wait_for "grep -q ready $T/cli" 30 || fail "handshake_probes=0: client did not connect"
ip netns exec a grep -Eq '^ESTABLISHED +192\.0\.2\.1:9000 ' /proc/tcpwatch ||
	fail "handshake_probes=0: the connection is not tracked"
echo "handshake_probes=0: no handshake kprobes, states tracked"
tw_unload

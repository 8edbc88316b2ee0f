#!/bin/bash
# Permissions and module parameters.
#
# 1. Module parameters out of their range (README: max_sockets 16..16M,
#    close_ring 1..1M, gc_ms 10..60000) and non-numbers are refused at
#    insmod, with a dmesg line naming the parameter, and nothing of the
#    module stays: no /sys/module/tcpwatch, no /proc/tcpwatch, no netlink
#    family. The bounds themselves are accepted.
# 2. Reading is unprivileged, as /proc/net/tcp is: user nobody can cat
#    /proc/tcpwatch and run `tcpwatch sockets`, `states`, `closed`,
#    `listen`, `halfopen` and `events -c 1`, and its malformed requests get
#    the same answers as root's (nlfuzz.py check).
# 3. Every state-changing command is refused to nobody with -EPERM, and
#    changes nothing; root may. Today there is one: SET_WINLOG (the window
#    log filter, GENL_ADMIN_PERM). `tcpwatch window` is used when the CLI
#    has it, else nlfuzz.py sends the raw request. While the module does
#    not implement the command yet (-EOPNOTSUPP) the test says so and
#    checks nothing more there.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
chmod 755 "$T"

gone() {
	[ ! -e /sys/module/tcpwatch ] || return 1
	[ ! -e /proc/net/tcpwatch ] || return 1
	! lsmod | grep -q '^tcpwatch ' || return 1
	! python3 scripts/tests/nlfuzz.py stats >/dev/null 2>&1
}

echo "== module parameters"
gone || fail "tcpwatch is loaded before the test"
# an insmod takes 3-7 s under TCG: the suite tries three bad values and
# the lower bounds; TW_PERMS_ALL=1 (`make stress`) tries them all
bad="max_sockets=15 close_ring=1048577 gc_ms=abc"
good=("max_sockets=16 close_ring=1 gc_ms=10")
if [ "${TW_PERMS_ALL:-0}" = 1 ]; then
	bad="max_sockets=0 max_sockets=15 max_sockets=16777217 max_sockets=-1
	     close_ring=0 close_ring=1048577
	     gc_ms=5 gc_ms=9 gc_ms=60001 gc_ms=abc gc_ms= max_sockets=1k"
	good+=("gc_ms=60000" "max_sockets=16777216" "close_ring=1048576")
fi
for p in $bad; do
	mark="tcpwatch-test: insmod $p $RANDOM"
	echo "$mark" > /dev/kmsg
	if insmod "$TW_KO" "$p" 2> "$T/err"; then
		rmmod tcpwatch || true
		fail "insmod $p succeeded"
	fi
	log=$(dmesg | sed -n "/$mark\$/,\$p" | sed 1d)
	name=${p%%=*}
	printf '%-20s refused: %s\n' "$p" "$(tr -d '\n' < "$T/err")"
	printf '%s\n' "$log" | sed 's/^/    dmesg: /'
	printf '%s\n' "$log" | grep -q "tcpwatch: $name=.*must be an integer from" ||
		fail "insmod $p: no dmesg line naming $name and its range"
	gone || fail "insmod $p was refused but left the module (or part of it) loaded"
done
# the bounds are accepted
for p in "${good[@]}"; do
	# shellcheck disable=SC2086 # several parameters
	insmod "$TW_KO" $p 2> "$T/err" || {
		cat "$T/err"; dmesg | tail -n 20
		fail "insmod $p (in range) refused"
	}
	got=$(for kv in $p; do echo "${kv%%=*}=$(cat "/sys/module/tcpwatch/parameters/${kv%%=*}")"; done | xargs)
	assert_eq "$got" "$p" "parameters as loaded"
	echo "$p: loaded"
	tw_unload
done

echo "== unprivileged reads"
tw_load
# some sockets to read, in netns p (the guest's own lo is down): a listener
# and a connection, and a closed one
ip netns add p
ip -n p link set lo up
ip netns exec p python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 9100)); s.listen(8)
c = socket.create_connection(("127.0.0.1", 9100)); a, _ = s.accept()
t = socket.create_connection(("127.0.0.1", 9100)); s.accept()[0].close(); t.close()
print("ready", flush=True)
time.sleep(600)
' > "$T/socks" &
wait_for "grep -q ready $T/socks" 30 || fail "sockets not set up"

# root enters netns p, then becomes nobody
asnobody() { ip netns exec p setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
assert_eq "$(asnobody id -u)" 65534 "uid of the unprivileged user"

asnobody cat /proc/tcpwatch > "$T/proc" || fail "nobody cannot read /proc/tcpwatch"
grep -Eq '^LISTEN +127\.0\.0\.1:9100' "$T/proc" ||
	{ cat "$T/proc"; fail "nobody's /proc/tcpwatch lacks the listener"; }
echo "cat /proc/tcpwatch: $(wc -l < "$T/proc") lines"

for cmd in sockets states closed listen halfopen "sockets --port 9100" \
	"states --hist" "-j sockets" "-j listen"; do
	# shellcheck disable=SC2086 # cmd is several words
	asnobody tools/tcpwatch $cmd > "$T/out" 2> "$T/err" ||
		{ cat "$T/err"; fail "nobody: tcpwatch $cmd exited $?"; }
	echo "tcpwatch $cmd: $(wc -l < "$T/out") lines"
done
asnobody tools/tcpwatch sockets --port 9100 | grep -q ESTAB ||
	fail "nobody: tcpwatch sockets lacks the connection"
asnobody tools/tcpwatch listen | grep -q 9100 ||
	fail "nobody: tcpwatch listen lacks the listener"
asnobody tools/tcpwatch -j closed | jq -e '.closed | length > 0' > /dev/null ||
	fail "nobody: tcpwatch closed lacks the closed connection"

# events: nobody joins the multicast group
asnobody tools/tcpwatch events -c 1 > "$T/ev" 2> "$T/ev.err" &
ev=$!
# the reader joins, then one connection makes its event
for _ in $(seq 50); do
	ip netns exec p python3 -c 'import socket; socket.create_connection(("127.0.0.1", 9100)).close()'
	kill -0 $ev 2>/dev/null || break
	sleep 0.2
done
wait $ev || { cat "$T/ev.err"; fail "nobody: tcpwatch events -c 1 exited $?"; }
[ "$(grep -vc '^TIME ' "$T/ev")" = 1 ] || { cat "$T/ev"; fail "events -c 1 did not print one event"; }
echo "events -c 1:"; cat "$T/ev"

# nobody's malformed requests get the same answers as root's
asnobody python3 -B scripts/tests/nlfuzz.py check > "$T/check" 2>&1 ||
	{ cat "$T/check"; fail "nobody: nlfuzz.py check"; }
tail -n 1 "$T/check"

echo "== state-changing commands"
rc=0; ip netns exec p python3 -B scripts/tests/nlfuzz.py winlog > "$T/wl.root" 2>&1 || rc=$?
cat "$T/wl.root"
if grep -q EOPNOTSUPP "$T/wl.root"; then
	echo "NOTE: this module does not implement SET_WINLOG: EPERM not checked"
else
	[ $rc = 0 ] || fail "root: SET_WINLOG refused"
	rc=0; asnobody python3 -B scripts/tests/nlfuzz.py winlog --port 9100 > "$T/wl" 2>&1 || rc=$?
	cat "$T/wl"
	[ $rc = 3 ] && grep -q 'SET_WINLOG uid 65534: -EPERM' "$T/wl" ||
		fail "nobody: SET_WINLOG was not refused with EPERM"
	grep -q 'filter port now none' "$T/wl" || fail "nobody's refused SET_WINLOG changed the filter"
	if tools/tcpwatch --help 2>&1 | grep -qw window; then
		rc=0; asnobody timeout 10 tools/tcpwatch window 9100 -c 1 > "$T/w" 2>&1 || rc=$?
		echo "nobody: tcpwatch window 9100 -c 1: exit $rc: $(head -c 300 "$T/w")"
		[ $rc = 1 ] || fail "nobody: tcpwatch window 9100 exited $rc, not 1"
		grep -q 'CAP_NET_ADMIN' "$T/w" ||
			fail "nobody: tcpwatch window does not say it needs CAP_NET_ADMIN"
	else
		echo "NOTE: the CLI has no 'window' command yet: raw request only"
	fi
	# root sets a filter, nobody cannot clear it
	ip netns exec p python3 -B scripts/tests/nlfuzz.py winlog --port 9100 | grep -q 'ok; filter port now 9100' ||
		fail "root: SET_WINLOG --port 9100 did not take"
	asnobody python3 -B scripts/tests/nlfuzz.py winlog > "$T/wl" 2>&1 || true
	grep -q -- '-EPERM; filter port now 9100' "$T/wl" ||
		{ cat "$T/wl"; fail "nobody cleared root's window-log filter"; }
fi

tw_unload
# without the module, nobody is told so
asnobody tools/tcpwatch sockets > /dev/null 2> "$T/err" && fail "tcpwatch sockets without the module exited 0"
grep -q 'kernel module not loaded' "$T/err" || { cat "$T/err"; fail "no 'module not loaded' message"; }

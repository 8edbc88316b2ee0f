#!/bin/bash
# A reader in another netns sees none of a workload's sockets, counters or
# events; deleting the netns with live sockets leaves no records behind.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tracked() { awk '/^tracked/ { split($2, a, "/"); print a[1] }' /proc/tcpwatch; }
tw_load
# Namespaces deleted by earlier tests may still be dying, their orphaned
# sockets recorded at load: those records can only go down from here, and
# may do so at any time (on 7.2, 2 of 3 went during this test).
base=$(tracked)
netns_pair a b 1 2
ip netns add c

ip netns exec c stdbuf -oL tools/tcpwatch events -j > "$T/ev.c" &
evpid=$!
ip netns exec a python3 scripts/tests/actor.py listen 192.0.2.1 9000 --count 5 > "$T/srv" &
srvpid=$!
wait_for "grep -q listening $T/srv" 30 || fail "server did not start"
ip netns exec b python3 scripts/tests/actor.py connect 192.0.2.1 9000 --count 5 > "$T/cli" &
clipid=$!
wait_for "grep -q ready $T/cli" 30 || fail "clients did not connect"
sleep 1

rows() { awk '/^SOCKETS/ { on = 1; getline; next } /^$/ { on = 0 } on' "$1" | wc -l; }
ip netns exec a cat /proc/tcpwatch > "$T/proc.a"
ip netns exec c cat /proc/tcpwatch > "$T/proc.c"
[ "$(rows "$T/proc.a")" -ge 6 ] || { cat "$T/proc.a"; fail "netns a: expected 6 sockets"; }
assert_eq "$(rows "$T/proc.c")" 0 "sockets of netns c in /proc/tcpwatch"
assert_eq "$(ip netns exec c tools/tcpwatch sockets -j | jq '.sockets | length')" 0 \
	"sockets of netns c over netlink"
assert_eq "$(ip netns exec c tools/tcpwatch closed -j | jq '.closed | length')" 0 \
	"closed sockets of netns c over netlink"
assert_eq "$(ip netns exec c tools/tcpwatch states -j | jq '[.transitions[].count] | add // 0')" 0 \
	"transitions counted in netns c"
kill -INT $evpid; wait $evpid || true
assert_eq "$(wc -l < "$T/ev.c")" 0 "events delivered to netns c"

# Kill the peers so that the netns hold only orphans and timewait
# sockets, then delete them: their records must go.
before=$(tracked)
[ "$before" -ge 10 ] || fail "only $before sockets tracked before netns deletion"
kill $srvpid $clipid 2>/dev/null || true
settled() {
	[ -z "$(ip netns exec a ss -Htan state all exclude time-wait exclude listen)" ] &&
	[ -z "$(ip netns exec b ss -Htan state all exclude time-wait)" ]
}
wait_for settled 30 || fail "sockets did not settle into TIME_WAIT"
ip netns del a
ip netns del b
wait_for '[ "$(tracked)" -le "$base" ]' 30 ||
	{ head -4 /proc/tcpwatch; fail "records left after the netns were deleted"; }
# this test's 11 sockets (5 connections and the listener) were recorded,
# and went: at least 10 records fewer than before the deletion
after=$(tracked)
echo "records: $base at load, $before before the deletion, $after after"
[ $((before - after)) -ge 10 ] ||
	fail "only $((before - after)) records went with the netns ($before before, $after after)"

#!/bin/bash
# rmmod while connections are open, churning, and an event reader is
# subscribed; then insmod again: the sockets older than the module are
# listed with their time counted from the load, and nothing is left of
# the first load (its slab cache is gone).
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tw_load
netns_pair a b 1 2
actor_listen a 192.0.2.1 9000 "$T/srv" --count 3
ip netns exec b python3 scripts/tests/actor.py connect 192.0.2.1 9000 --count 3 > "$T/cli" &
wait_for "grep -q ready $T/cli" 30 || fail "clients did not connect"
churn_start a b 192.0.2.1 9001 20 2
ip netns exec b tools/tcpwatch events -j > "$T/ev" 2> "$T/ev.err" &
ev=$!
sleep 2

tw_unload
grep -q tcpw_entry /proc/slabinfo && fail "slab cache tcpw_entry left after rmmod"
# the reader notices the module went away and says so, without crashing
wait_for "! kill -0 $ev" 10 || fail "event reader still running after rmmod"
wait $ev && fail "event reader exited 0 after rmmod"
cat "$T/ev.err"
grep -qi 'module' "$T/ev.err" || fail "event reader did not say the module went away"

tw_load
sleep 1
ip netns exec a cat /proc/tcpwatch > "$T/proc.a"
cat "$T/proc.a"
grep -Eq '^ESTABLISHED +192\.0\.2\.1:9000 .*\*' "$T/proc.a" ||
	fail "established sockets older than the load are not marked '*'"
grep -Eq '^LISTEN +192\.0\.2\.1:9000 .*\*' "$T/proc.a" ||
	fail "the listener older than the load is not marked '*'"
kill "$TW_CHURN_PID"
tw_unload
tw_load
tw_unload

#!/bin/bash
# A new reader misses none of its first events: on kernels with the
# genetlink bind callback (6.9+, compat.h) tcpwatch answers "a reader
# listens" from the moment one joins, although it otherwise asks netlink
# only once a jiffy.  30 rounds: join the events group and connect at
# once, while churn keeps the once-a-jiffy answer fresh ("no reader");
# each round's CLOSE -> SYN_SENT must arrive.  Older kernels: the misses
# are reported, not failed (README: up to a jiffy).  Then, on every
# kernel, 30 rounds that ask for the stats between the join and the
# connect, as `tcpwatch events` does: none may miss.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tw_load
netns_pair a b 1 2

ip netns exec a python3 scripts/tests/churn.py server 192.0.2.1 8000 > "$T/s" &
ip netns exec a python3 scripts/tests/actor.py listen 192.0.2.1 8100 \
	--backlog 1024 --on-accept none > "$T/l" &
wait_for "grep -q listening $T/s && grep -q listening $T/l" 30 ||
	fail "servers did not start"
ip netns exec b python3 scripts/tests/churn.py client 192.0.2.1 8000 1000000 -j 2 \
	> /dev/null 2>&1 &
sleep 1
out=$(ip netns exec b python3 scripts/tests/joinev.py 192.0.2.1 8100 30) ||
	fail "joinev.py failed: $out"
echo "$out"
missed=$(echo "$out" | awk '{ print $4 }')
read -r major minor _ < <(uname -r | tr '.-' '  ')
if [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 9 ]; }; then
	assert_eq "$missed" 0 "rounds whose first event was missed (bind callback)"
else
	echo "no genetlink bind callback before 6.9: $missed of 30 missed (allowed)"
fi
out=$(ip netns exec b python3 scripts/tests/joinev.py --announce 192.0.2.1 8100 30) ||
	fail "joinev.py --announce failed: $out"
echo "with a stats request after the join: $out"
assert_eq "$(echo "$out" | awk '{ print $4 }')" 0 \
	"rounds whose first event was missed after a stats request"

#!/bin/bash
# Every view's -j output parses with jq, and its counts equal
# /proc/tcpwatch in the same netns: the sockets (in all and per state),
# the state counts, the listeners, the half-opens and the transitions.
# The stream views (events, retrans) print one object per line.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tw_load
netns_pair srv cli 1 2

ip netns exec cli stdbuf -oL tools/tcpwatch events -j -c 20 > "$T/events" 2>/dev/null &
evpid=$!
sleep 1
tcp_listen srv 192.0.2.1 7400
tcp_listen srv 2001:db8::1 7401
for i in 1 2 3 4; do tcp_connect cli 192.0.2.1 7400 120 & done
for i in 1 2; do tcp_connect cli 2001:db8::1 7401 120 & done
for i in 1 2 3; do tcp_connect cli 192.0.2.1 7400 0; done	# TIME-WAIT
wait_for "[ \$(ip netns exec srv ss -Htn state established | wc -l) -eq 6 ]" 30 ||
	fail "the six held connections are not up"
sleep 1

# proc_rows FILE SECTION: the rows of SECTION (after its column header)
proc_rows() {
	awk -v sec="$2" '
		index($0, sec) == 1 { on = 1; next }
		on && /^$/ { exit }
		on && !hdr { if ($1 == "STATE" || $1 == "LOCAL" || $1 == "LISTENER") hdr = 1; next }
		on && /^  / { next }
		on { print }' "$1"
}

for ns in srv cli; do
	x() { ip netns exec $ns tools/tcpwatch "$@"; }
	ip netns exec $ns cat /proc/tcpwatch > "$T/proc.$ns"
	x sockets -j > "$T/sockets.$ns"
	x states -j > "$T/states.$ns"
	x listen -j > "$T/listen.$ns"
	x halfopen -j > "$T/halfopen.$ns"
	x closed -j > "$T/closed.$ns"
	x hist -j > "$T/hist.$ns"
	for v in sockets states listen halfopen closed hist; do
		jq -e . "$T/$v.$ns" > /dev/null || fail "$ns: '$v -j' is not JSON"
	done
	echo "== /proc/tcpwatch in $ns"; cat "$T/proc.$ns"

	# the sockets, in all and per state
	proc_rows "$T/proc.$ns" SOCKETS > "$T/rows.$ns"
	assert_eq "$(jq '.sockets | length' "$T/sockets.$ns")" \
		"$(wc -l < "$T/rows.$ns")" "$ns: sockets, -j vs /proc"
	awk '{ print $1 }' "$T/rows.$ns" | sort | uniq -c | awk '{ print $2, $1 }' > "$T/ps.$ns"
	jq -r '.sockets[].state' "$T/sockets.$ns" | sort | uniq -c |
		awk '{ print $2, $1 }' > "$T/js.$ns"
	echo "-- per state: /proc vs -j"; paste "$T/ps.$ns" "$T/js.$ns"
	cmp -s "$T/ps.$ns" "$T/js.$ns" || fail "$ns: sockets per state differ"
	n=$(jq '[.sockets[] | select(.state == "ESTABLISHED")] | length' "$T/sockets.$ns")
	assert_eq "$n" 6 "$ns: ESTABLISHED sockets in -j"

	# the STATE table's NOW column against state_count
	awk '/^STATE +NOW/ { on = 1; next } on && /^$/ { exit } on { print $1, $2 }' \
		"$T/proc.$ns" | sort > "$T/pnow.$ns"
	jq -r '.state_count | to_entries[] | "\(.key) \(.value)"' "$T/states.$ns" |
		sort > "$T/jnow.$ns"
	cmp -s "$T/pnow.$ns" "$T/jnow.$ns" ||
		{ paste "$T/pnow.$ns" "$T/jnow.$ns"; fail "$ns: state counts differ"; }

	# listeners and half-opens
	assert_eq "$(jq '.listeners | length' "$T/listen.$ns")" \
		"$(proc_rows "$T/proc.$ns" LISTENERS | wc -l)" "$ns: listeners, -j vs /proc"
	assert_eq "$(jq '.halfopen | length' "$T/halfopen.$ns")" \
		"$(proc_rows "$T/proc.$ns" HALF-OPEN | wc -l)" "$ns: half-opens, -j vs /proc"

	# the transitions, in all
	p=$(awk '/^TRANSITIONS/ { on = 1; getline; next } on && /^$/ { exit }
		 on { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }' "$T/proc.$ns")
	assert_eq "$(jq '[.transitions[].count] | add // 0' "$T/states.$ns")" "$p" \
		"$ns: transitions, -j vs /proc"
	# every field documented is there, null or not: no field left out
	jq -e '.sockets[0] | has("cwnd") and has("rto_us") and has("retrans")' \
		"$T/sockets.$ns" > /dev/null || fail "$ns: timer fields missing in sockets -j"
done
assert_eq "$(jq '.listeners | length' "$T/listen.srv")" 2 "srv listeners"

# the event stream: one object per line
wait "$evpid" || true
[ -s "$T/events" ] || fail "events -j printed nothing"
while read -r line; do
	echo "$line" | jq -e .event > /dev/null || fail "events -j: not one object per line: $line"
done < "$T/events"
echo "events -j: $(wc -l < "$T/events") lines, each an object"

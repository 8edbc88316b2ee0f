#!/bin/bash
# Netns isolation, both ways, in every view; 40-netns checks an empty
# third netns and the deletion of settled netns. Here two worlds run side
# by side: w1 (netns a1 <-> b1, 192.0.2.0/24, port 8001) and w2 (a2 <-> b2,
# 198.51.100.0/24, port 8002), each with a listener, held connections, a
# half-open connection (its final ACK dropped), and closed connections.
#
# - In each of a1, b1, a2, b2: /proc/tcpwatch (SOCKETS, LISTENERS,
#   HALF-OPEN, RECENTLY CLOSED) and the dumps sockets, closed, listen and
#   halfopen name only that world's addresses; the sockets dump lists what
#   ss lists there, no more, and as many ESTABLISHED.
# - Events: a reader in a1 gets w1's events only, all carrying a1's netns
#   inode; a reader in a2 gets w2's.
# - w2 is destroyed with live sockets in every state it has (processes
#   killed, netns deleted at once, while w1's readers dump in a loop): the
#   records of w2 go (tracked falls to what w1's dumps show as tracked),
#   w1 is untouched, and new netns see no closed record or socket of w2.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tracked() { awk '/^tracked/ { split($2, a, "/"); print a[1] }' /proc/tcpwatch; }
tw_load
# sockets of netns deleted by earlier tests may live on a while (and were
# recorded at load): wait for them to go, so that the count below is exact
t0=$SECONDS
wait_for '[ "$(tracked)" = 0 ]' 20 || echo "still $(tracked) records of earlier tests' netns after 20 s"
base=$(tracked)
echo "records at the start: $base (waited $((SECONDS - t0)) s)"
netns_pair a1 b1 1 2
netns_pair a2 b2 198.51.100.1 198.51.100.2
ino() { stat -L -c %i "/run/netns/$1"; }

# events readers first, so they see everything
for ns in a1 a2; do
	ip netns exec $ns stdbuf -oL tools/tcpwatch -j events > "$T/ev.$ns" 2> "$T/ev.$ns.err" &
	echo $! > "$T/ev.$ns.pid"
	wait_for "grep -q tracing $T/ev.$ns.err" 20 || { cat "$T/ev.$ns.err"; fail "event reader in $ns did not start"; }
done

world() {	# world N ADDR_PREFIX
	local n=$1 net=$2 a=a$1 b=b$1 port=800$1
	# the half-open must outlive the test (TCG under load: minutes)
	ip netns exec $a sysctl -qw net.ipv4.tcp_synack_retries=9
	# the half-open: b's final ACK for port 810N is dropped
	ip netns exec $b nft -f - <<NFT
table inet w$n {
	chain out {
		type filter hook output priority 0;
		tcp dport 810$n tcp flags == ack drop
	}
}
NFT
	ip netns exec $a python3 scripts/tests/actor.py listen $net.1 $port --count 3 > "$T/srv$n" &
	ip netns exec $a python3 scripts/tests/actor.py listen $net.1 810$n --on-accept none > "$T/ho$n" &
	wait_for "grep -q listening $T/srv$n && grep -q listening $T/ho$n" 30 || fail "w$n: servers did not start"
	ip netns exec $b python3 scripts/tests/actor.py connect $net.1 $port --count 3 > "$T/cli$n" &
	ip netns exec $b python3 scripts/tests/actor.py connect $net.1 810$n --nonblock > "$T/hocli$n" &
	wait_for "grep -q ready $T/cli$n" 30 || fail "w$n: clients did not connect"
}
tcp_listen a1 192.0.2.1 8011
tcp_listen a2 198.51.100.1 8012
world 1 192.0.2
world 2 198.51.100
for _ in 1 2; do tcp_connect b1 192.0.2.1 8011; tcp_connect b2 198.51.100.1 8012; done
wait_for "ip netns exec a1 ss -Htn state syn-recv | grep -q . && ip netns exec a2 ss -Htn state syn-recv | grep -q ." 20 ||
	fail "no half-open connection"
sleep 1

# every address a view shows must be of the world: 192.0.2.x or 198.51.100.x
addrs_of() {	# NS: the addresses in its /proc/tcpwatch tables and dumps
	local ns=$1
	ip netns exec "$ns" cat /proc/tcpwatch |
		awk '/^(SOCKETS|LISTENERS|HALF-OPEN|RECENTLY CLOSED)/ { on = 1; getline; next }
		     /^$/ { on = 0 } on' | grep -oE '([0-9]+\.){3}[0-9]+' || true
	for v in sockets closed listen halfopen; do
		ip netns exec "$ns" tools/tcpwatch -j $v |
			jq -r '.[][] | .local_addr, .remote_addr // empty'
	done
}
for ns in a1 b1 a2 b2; do
	case $ns in *1) mine='^192\.0\.2\.' ;; *2) mine='^198\.51\.100\.' ;; esac
	addrs_of $ns | sort | uniq -c > "$T/addrs.$ns"
	echo "$ns: $(awk '{ printf "%s x%d  ", $2, $1 }' "$T/addrs.$ns")"
	[ -s "$T/addrs.$ns" ] || fail "$ns: no address in any view"
	bad=$(awk '{ print $2 }' "$T/addrs.$ns" | grep -Ev "$mine|^0\.0\.0\.0$|^::$|^\*$" || true)
	[ -z "$bad" ] || fail "$ns shows addresses of another netns: $bad"
	# the sockets dump has what ss has, as many
	assert_eq "$(ip netns exec $ns tools/tcpwatch -j sockets | jq '.sockets | length')" \
		"$(ip netns exec $ns ss -Htan | wc -l)" "$ns: sockets in the dump vs ss"
	assert_eq "$(ip netns exec $ns tools/tcpwatch -j sockets | jq '[.sockets[] | select(.state == "ESTABLISHED")] | length')" \
		"$(ip netns exec $ns ss -Htn state established | wc -l)" "$ns: ESTABLISHED in the dump vs ss"
done
for ns in a1 a2; do
	[ "$(ip netns exec $ns tools/tcpwatch -j listen | jq '.listeners | length')" = 3 ] ||
		fail "$ns: expected its 3 listeners"
	[ "$(ip netns exec $ns tools/tcpwatch -j halfopen | jq '.halfopen | length')" -ge 1 ] ||
		fail "$ns: its half-open connection is not listed"
	[ "$(ip netns exec $ns tools/tcpwatch -j closed | jq '.closed | length')" -ge 2 ] ||
		fail "$ns: its closed connections are not listed"
done
for ns in b1 b2; do
	assert_eq "$(ip netns exec $ns tools/tcpwatch -j listen | jq '.listeners | length')" 0 "$ns: listeners"
	assert_eq "$(ip netns exec $ns tools/tcpwatch -j halfopen | jq '.halfopen | length')" 0 "$ns: half-opens"
done

echo "== events"
for ns in a1 a2; do
	kill -INT "$(cat "$T/ev.$ns.pid")"
	wait "$(cat "$T/ev.$ns.pid")" || true
	n=$(wc -l < "$T/ev.$ns")
	others=$(jq -r --argjson i "$(ino $ns)" 'select(.netns != $i) | .netns' "$T/ev.$ns" | sort -u | xargs)
	case $ns in a1) mine='^192\.0\.2\.' ;; a2) mine='^198\.51\.100\.' ;; esac
	foreign=$(jq -r '.local_addr' "$T/ev.$ns" | grep -cvE "$mine" || true)
	echo "$ns: $n events, netns other than $(ino $ns): '${others}', foreign addresses: $foreign"
	[ "$n" -gt 0 ] || fail "$ns: no event"
	[ -z "$others" ] || fail "$ns got events of netns $others"
	assert_eq "$foreign" 0 "$ns: events with another world's addresses"
done

echo "== destroying w2 with live sockets"
ip netns exec a2 ss -Htan | awk '{ print $1 }' | sort | uniq -c | xargs echo "a2:"
ip netns exec b2 ss -Htan | awk '{ print $1 }' | sort | uniq -c | xargs echo "b2:"
before=$(tracked)
# w1's views are read in a loop meanwhile
( while :; do
	for v in sockets closed listen halfopen states; do
		ip netns exec a1 tools/tcpwatch -j $v > /dev/null || echo "a1: tcpwatch $v failed"
	done
	ip netns exec b1 cat /proc/tcpwatch > /dev/null
done ) > "$T/w1loop" 2>&1 &
loop=$!
t0=$SECONDS
for ns in a2 b2; do ip netns pids $ns | xargs -r kill -KILL; done 2>/dev/null
ip netns del a2
ip netns del b2
# records of w2 go once its netns are freed (netns cleanup runs in a
# workqueue); what remains tracked is w1's
w1_tracked() {
	for ns in a1 b1; do ip netns exec $ns tools/tcpwatch -j sockets; done |
		jq -s '[.[].sockets[] | select(.tracked)] | length'
}
if ! wait_for '[ "$(tracked)" -le "$(($(w1_tracked) + base))" ]' 60; then
	head -n 4 /proc/tcpwatch
	fail "records of w2 left: tracked $(tracked), w1 shows $(w1_tracked) tracked, base $base"
fi
kill $loop 2>/dev/null; wait $loop 2>/dev/null || true
[ ! -s "$T/w1loop" ] || { cat "$T/w1loop"; fail "w1's views failed while w2 was destroyed"; }
echo "tracked: $before before, $(tracked) $((SECONDS - t0)) s after (w1 shows $(w1_tracked) tracked, $base at the start)"
# w1 is untouched: its connections are still there
assert_eq "$(ip netns exec a1 tools/tcpwatch -j sockets --port 8001 | jq '[.sockets[] | select(.state == "ESTABLISHED")] | length')" 3 \
	"w1's held connections after w2's end"
# new netns (struct net memory reused) see nothing of w2
for i in 1 2 3 4 5; do
	ip netns add n$i
	s=$(ip netns exec n$i tools/tcpwatch -j sockets | jq '.sockets | length')
	c=$(ip netns exec n$i tools/tcpwatch -j closed | jq '.closed | length')
	p=$(ip netns exec n$i cat /proc/tcpwatch | grep -cE '198\.51\.100\.' || true)
	[ "$s$c$p" = 000 ] || fail "new netns n$i sees sockets $s, closed $c, /proc lines of w2 $p"
done
echo "5 new netns: no socket, closed record or /proc line of w2"
tw_unload

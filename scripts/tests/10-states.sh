#!/bin/bash
# Every TCP state, reached for real between two netns, shows in
# /proc/tcpwatch and `tcpwatch sockets`, and the table equals `ss -tan`.
# IPv4 and IPv6.  Each state is held by dropping the packet that would
# end it (nft), as the seed describes for SYN_RCVD.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
actor=scripts/tests/actor.py
tw_load
netns_pair srv cli 1 2
# A TIME_WAIT sock dies on an in-window RST (RFC 1337's "assassination"),
# and over veth with two CPUs the server's ACK and FIN can arrive in the
# wrong order: the client's timewait sock answers the late ACK, the server,
# closed by then, answers with an RST, and 7x07's TIME_WAIT is gone (ss
# agrees; seen in CI on 6.12). tcp_rfc1337=1 makes timewait socks ignore it.
ip netns exec cli sysctl -qw net.ipv4.tcp_rfc1337=1

# The packets whose loss holds a socket in its state:
#   SYN_SENT: the server's SYN-ACK; SYN_RECV: the client's final ACK;
#   FIN_WAIT1, LAST_ACK, CLOSING: the ACK of a FIN; CLOSING: also the
#   server's own FIN, so the client's FIN arrives first.
ip netns exec srv nft -f - <<'NFT'
table inet hold {
	chain out {
		type filter hook output priority 0;
		tcp sport { 7002, 7102 } tcp flags & (syn | ack) == syn | ack drop
		tcp sport { 7005, 7006, 7008, 7105, 7106, 7108 } tcp flags == ack drop
		tcp sport { 7008, 7108 } tcp flags & fin == fin drop
	}
}
NFT
ip netns exec cli nft -f - <<'NFT'
table inet hold {
	chain out {
		type filter hook output priority 0;
		tcp dport { 7003, 7103 } tcp flags == ack drop
	}
}
NFT

srv() { ip netns exec srv python3 $actor listen "$@" > "$T/srv.$2.$1" & }
cli() { ip netns exec cli python3 $actor connect "$@" > "$T/cli.$2.$1" & }
ready() { wait_for "grep -q ready $T/$1" 30 || fail "$1 not ready"; }

for fam in 4 6; do
	if [ $fam = 4 ]; then S=192.0.2.1 B=7000; else S=2001:db8::1 B=7100; fi
	srv $S $((B + 1)) --on-accept hold		# LISTEN, ESTABLISHED
	srv $S $((B + 2)) --on-accept none		# SYN_SENT at the client
	srv $S $((B + 3)) --on-accept none		# SYN_RECV
	srv $S $((B + 4)) --on-accept close		# CLOSE_WAIT, FIN_WAIT2
	srv $S $((B + 5)) --on-accept close		# LAST_ACK
	srv $S $((B + 6)) --on-accept hold		# FIN_WAIT1
	srv $S $((B + 7)) --on-accept eof-close	# TIME_WAIT
	srv $S $((B + 8)) --on-accept wait-shutdown --go "$T/go1.$fam"	# CLOSING
	for p in 1 2 3 4 5 6 7 8; do
		wait_for "grep -q listening $T/srv.$((B + p)).$S" 30 ||
			fail "server $S port $((B + p)) not listening"
	done
	cli $S $((B + 1)) --then hold
	cli $S $((B + 2)) --nonblock
	cli $S $((B + 3)) --then hold
	cli $S $((B + 4)) --then eof-hold
	cli $S $((B + 5)) --then eof-close
	cli $S $((B + 6)) --then close
	cli $S $((B + 7)) --then close
	cli $S $((B + 8)) --then wait-shutdown --go "$T/go2.$fam"
	for p in 1 2 3 4 5 6 7 8; do ready cli.$((B + p)).$S; done
	# CLOSING needs the server's FIN sent (and held: FIN_WAIT1) before the
	# client's FIN arrives
	touch "$T/go1.$fam"
	wait_for "ip netns exec srv ss -Htn state fin-wait-1 '( sport = :$((B + 8)) )' | grep -q ." 10 ||
		echo "warning: the server on $((B + 8)) is not in FIN_WAIT1 yet"
	touch "$T/go2.$fam"
	if [ $fam = 4 ]; then up4=$SECONDS; else up6=$SECONDS; fi
done
sleep 2
# TIME_WAIT, the orphan FIN_WAIT2 and SYN_RECV last about 60 s: say how
# old IPv4's are when read, should one be missing
echo "read $((SECONDS - up4)) s after IPv4's states were set up, $((SECONDS - up6)) s after IPv6's"

# state SIDE PORT: the row of SIDE's table whose peer or local port is PORT
expect() {
	local ns=$1 state=$2 port=$3
	awk -v s="$state" -v p=":$port" '
		/^SOCKETS/ { on = 1; next } /^$/ { on = 0 }
		on && $1 == s && (substr($2, length($2) - length(p) + 1) == p ||
				  substr($3, length($3) - length(p) + 1) == p) { f = 1 }
		END { exit !f }' "$T/proc.$ns" ||
		fail "$ns: no $state socket on port $port in /proc/tcpwatch"
	jq -e --arg s "$state" --argjson p "$port" \
		'[.sockets[] | select(.state == $s and (.local_port == $p or .remote_port == $p))] | length > 0' \
		"$T/cli.$ns.json" >/dev/null ||
		fail "$ns: no $state socket on port $port in 'tcpwatch sockets -j'"
}

for ns in srv cli; do
	ip netns exec $ns cat /proc/tcpwatch > "$T/proc.$ns"
	ip netns exec $ns tools/tcpwatch sockets -j > "$T/cli.$ns.json" ||
		fail "tcpwatch sockets -j failed in $ns"
done
echo "== /proc/tcpwatch in srv"; cat "$T/proc.srv"
echo "== /proc/tcpwatch in cli"; cat "$T/proc.cli"

for B in 7000 7100; do
	expect srv LISTEN $((B + 1))
	expect srv ESTABLISHED $((B + 1))
	expect cli ESTABLISHED $((B + 1))
	expect cli SYN_SENT $((B + 2))
	expect srv SYN_RECV $((B + 3))
	expect cli CLOSE_WAIT $((B + 4))
	expect srv FIN_WAIT2 $((B + 4))
	expect cli LAST_ACK $((B + 5))
	expect cli FIN_WAIT1 $((B + 6))
	expect srv CLOSE_WAIT $((B + 6))
	expect cli TIME_WAIT $((B + 7))
	expect srv CLOSING $((B + 8))
done

# CLOSE is no socket's resting state but the end of every life: the
# matrix counts the ways in (LAST_ACK -> CLOSE at the server of 7x07).
grep -A20 '^TRANSITIONS' "$T/proc.srv" | awk '$1 == "LAST_A" { print }' |
	grep -q . || fail "srv: no LAST_ACK row in the transition matrix"
ip netns exec srv tools/tcpwatch states -j > "$T/states.srv"
jq -e '.transitions[] | select(.from == "LAST_ACK" and .to == "CLOSE" and .count >= 2)' \
	"$T/states.srv" >/dev/null ||
	fail "srv: LAST_ACK -> CLOSE not counted twice by 'tcpwatch states -j'"

for ns in srv cli; do
	ip netns exec $ns python3 scripts/tests/compare_ss.py ||
		fail "$ns: /proc/tcpwatch and ss -tan differ"
done

#!/bin/bash
# A SYN flood (hping3) against a listener with backlog 16: with syncookies
# off, the SYNs tcpwatch counts as dropped because the SYN queue was full
# equal nstat's TcpExtTCPReqQFullDrop delta exactly, and ListenDrops;
# with syncookies on, cookies sent equal TcpExtSyncookiesSent.  The
# flooder's kernel would answer the SYN-ACKs with RSTs: nft drops them.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
tw_load
netns_pair srv cli 1 2
nft_drop_from cli 7400 7401
nstat_get() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# get FIELD [FILE]: this mode's listener's FIELD, from FILE or the last read
get() { jq --argjson p "$port" ".listeners[] | select(.local_port == \$p) | .$1" "${2:-$T/l1.$mode}"; }

for mode in 0 1; do
	port=$((7400 + mode))
	ip netns exec srv sysctl -qw net.ipv4.tcp_syncookies=$mode
	actor_listen srv 192.0.2.1 $port "$T/s$mode" --backlog 16 --on-accept none
	ip netns exec srv nstat -n		# reset nstat's history
	ip netns exec srv nstat -az > "$T/n0.$mode"
	ip netns exec srv tools/tcpwatch listen -j > "$T/l0.$mode"
	ip netns exec cli hping3 -q -S -p $port -i u2000 -c 500 192.0.2.1 > /dev/null 2>&1 || true
	ip netns exec srv nstat -az > "$T/n1.$mode"
	# A queue over half full is pruned: once no request is young, the
	# kernel expires each after its second SYN-ACK retransmission (about
	# 7 s after its SYN: reqsk_timer_handler()), which a slow host may
	# reach before this read. Read the queue until two reads of
	# tcpwatch and ss's count between them agree.
	for try in $(seq 20); do
		ip netns exec srv tools/tcpwatch listen -j > "$T/l1.$mode"
		nss=$(ip netns exec srv ss -Htn state syn-recv "sport = :$port" | wc -l)
		ip netns exec srv tools/tcpwatch listen -j > "$T/l2.$mode"
		[ "$(get synq_len "$T/l1.$mode")" = "$nss" ] &&
			[ "$(get synq_len "$T/l2.$mode")" = "$nss" ] &&
			[ "$(get expired "$T/l1.$mode")" = "$(get expired "$T/l2.$mode")" ] && break
		[ "$try" -lt 20 ] || fail "the SYN queue kept changing while read"
		sleep 0.2
	done
	ip netns exec srv cat /proc/tcpwatch | sed -n '/^handshakes/p;/^LISTENERS/,/^$/p'
	for k in TcpExtTCPReqQFullDrop TcpExtListenDrops TcpExtSyncookiesSent TcpExtListenOverflows; do
		eval "$k=\$(( \$(nstat_get "$T/n1.$mode" $k) - \$(nstat_get "$T/n0.$mode" $k) ))"
	done
	echo "syncookies=$mode: nstat ReqQFullDrop $TcpExtTCPReqQFullDrop ListenDrops $TcpExtListenDrops SyncookiesSent $TcpExtSyncookiesSent; tcpwatch synq_drops $(get synq_drops) cookies_sent $(get cookies_sent) syns $(get syns)"
	if [ $mode = 0 ]; then
		[ "$TcpExtTCPReqQFullDrop" -gt 0 ] || fail "the flood filled no SYN queue"
		assert_eq "$(get synq_drops)" "$TcpExtTCPReqQFullDrop" "SYN-queue-full drops vs TcpExtTCPReqQFullDrop"
		assert_eq "$(get synq_drops)" "$TcpExtListenDrops" "SYN-queue-full drops vs TcpExtListenDrops"
	else
		[ "$TcpExtSyncookiesSent" -gt 0 ] || fail "no SYN cookies were sent"
		assert_eq "$(get cookies_sent)" "$TcpExtSyncookiesSent" "cookies sent vs TcpExtSyncookiesSent"
	fi
	# every SYN that reached the listener became a request (in the queue
	# now, or expired), was dropped, or was answered with a cookie
	# (hping3's 500 do not all arrive)
	echo "SYN queue: tcpwatch $(get synq_len), ss $nss; expired $(get expired)"
	assert_eq "$(get syns)" $(($(get synq_len) + $(get expired) + $(get synq_drops) + $(get cookies_sent))) \
		"SYNs received vs requests + drops + cookies"
	[ "$(get syns)" -le 500 ] || fail "more SYNs received than sent"
	# backlog + 1 fit (more, if requests expired while the flood still
	# ran, or two CPUs both took the last place: the kernel tests for room
	# without a lock, as for 63-acceptq's accept queue)
	q=$(( $(get synq_len) + $(get expired) ))
	[ "$q" -ge 17 ] || fail "requests made in a full SYN queue: $q, expected at least backlog + 1 = 17"
done

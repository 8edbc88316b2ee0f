#!/bin/bash
# A SYN flood from another netns, with the record table full and an event
# reader that cannot keep up. TW_FLOOD_N SYNs (4000; `make stress`:
# 100000), hping3 from netns cli at a listener in netns srv (backlog 64):
# half with syncookies off (each SYN past the queue is dropped and makes a
# syn_drop event), half with syncookies on (cookies, at another listener).
# The module is loaded with max_sockets=64 and 40 connections are held
# (80 sockets), so the record table is full all along.
#
# - Memory stays within the bound: `tracked` in /proc/tcpwatch, sampled
#   every 0.5 s, never exceeds max_sockets; the dumps list every socket
#   (as ss does) but no more than max_sockets of them as tracked; the
#   tcpw_entry slab cache (when not merged with another) holds no more
#   objects than max_sockets plus the per-CPU slabs. Slab and Percpu
#   memory are printed before, during and after.
# - Every drop is counted: `untracked(full)` grows while the table is full;
#   two event readers (evreader.py, 4 KiB buffers, paused during the
#   flood; one with NETLINK_BROADCAST_ERROR, one without, as the CLI)
#   got or lost every batch of events: for each, datagrams received + the
#   kernel's failed deliveries (Drops in /proc/net/netlink, per datagram)
#   = tcpwatch's `event batches sent` + `lost` (sent: some reader got it;
#   lost: none did); and the events they got are within tcpwatch's
#   `events sent`.
# - The machine stays responsive: connections to another port, one a
#   second, complete while the flood runs.
# - Counters are consistent: SYN-queue drops equal nstat's
#   TcpExtTCPReqQFullDrop and ListenDrops deltas, cookies sent equal
#   TcpExtSyncookiesSent, and no listener saw more SYNs than were sent.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
N=${TW_FLOOD_N:-4000}
MAX=64
HELD=40

hdr() { ip netns exec srv head -n 4 /proc/tcpwatch | grep '^tracked'; }
# field NAME of the header line: tracked, untracked(full), sent, lost
# (of events); with a second argument, its Nth occurrence (2: batches)
hfield() {
	hdr | awk -v k="$1" -v nth="${2:-1}" '{ for (i = 1; i < NF; i++)
		if ($i == k && ++seen == nth) {
			v = $(i + 1); sub("/.*", "", v); print v; exit } }'
}
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
mem() { echo "Slab $(meminfo Slab) kB, Percpu $(meminfo Percpu) kB"; }
nstat_get() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

echo "before insmod: $(mem)"
tw_load max_sockets=$MAX
netns_pair srv cli 1 2
nft_drop_from cli 7500 7502

# the listeners: flood targets 7500 (cookies off) and 7502 (cookies on),
# held connections on 7501, probes on 7503
for p in 7500 7502; do
	actor_listen srv 192.0.2.1 $p "$T/l$p" --backlog 64 --on-accept none
done
actor_listen srv 192.0.2.1 7501 "$T/l7501" --count $HELD
tcp_listen srv 192.0.2.1 7503
ip netns exec cli python3 scripts/tests/actor.py connect 192.0.2.1 7501 --count $HELD > "$T/held" &
wait_for "grep -q ready $T/held" 60 || fail "$HELD connections not up"
hdr
[ "$(hfield tracked)" -le $MAX ] || fail "tracked above max_sockets before the flood"
[ "$(hfield 'untracked(full)')" -gt 0 ] || fail "$((2 * HELD)) sockets, max_sockets $MAX, yet nothing untracked"

# two event readers, paused from the start, with the same buffer: "bcerr"
# sets NETLINK_BROADCAST_ERROR, "plain" does not, as the tcpwatch CLI
# (then netlink_broadcast() tells the module ESRCH, not ENOBUFS, when
# every buffer is full). They fill up together, so each loses every event
# lost.
touch "$T/pause"
readers=()
for r in bcerr plain; do
	ip netns exec srv python3 -B scripts/tests/evreader.py --rcvbuf 4096 \
		$([ $r = bcerr ] && echo --broadcast-error) \
		--pause "$T/pause" --stop "$T/stop" > "$T/reader.$r" 2>&1 &
	readers+=($!)
	wait_for "grep -q '^reader portid' $T/reader.$r" 30 ||
		{ cat "$T/reader.$r"; fail "event reader $r did not start"; }
	echo "$r: $(cat "$T/reader.$r")"
done
sent0=$(hfield sent) lost0=$(hfield lost)
bsent0=$(hfield sent 2) blost0=$(hfield lost 2)

# tracked sampled every 0.5 s
( while :; do hfield tracked; sleep 0.5; done ) > "$T/samples" 2>/dev/null &
sampler=$!
# a probe connection a second
( while :; do
	ip netns exec cli python3 -c '
import socket, time
t = time.time()
c = socket.create_connection(("192.0.2.1", 7503), timeout=20)
c.sendall(b"x"); assert c.recv(1) == b"x"; c.close()
print("probe %.3f %.3f" % (t, time.time() - t), flush=True)
' || echo "probe failed"
	sleep 1
done ) > "$T/probes" 2>&1 &
prober=$!

# Each request expires after one SYN-ACK retransmission (3 s), so that
# the SYN queues are empty soon after the flood: the event accounting
# below needs a netns that makes no more events.
ip netns exec srv sysctl -qw net.ipv4.tcp_synack_retries=1
ip netns exec srv nstat -n
ip netns exec srv nstat -az > "$T/n0"
flood_t0=$(date +%s.%N)
half=$((N / 2))
for p in 7500 7502; do
	ip netns exec srv sysctl -qw net.ipv4.tcp_syncookies=$([ $p = 7500 ] && echo 0 || echo 1)
	t0=$SECONDS
	ip netns exec cli hping3 -q -S -p $p -i u1 -c $half 192.0.2.1 > "$T/hping.$p" 2>&1 || true
	echo "port $p: $half SYNs sent in $((SECONDS - t0)) s; $(hdr); $(mem)"
	# under load hping3's own "transmitted" can lag its count of replies
	# (6.12: "1954 packets transmitted, 2000 packets received"): either
	grep -Eq "^$half packets transmitted|, $half packets received" "$T/hping.$p" ||
		{ cat "$T/hping.$p"; fail "hping3 did not send $half SYNs"; }
done
flood_t1=$(date +%s.%N)
sleep 2
ip netns exec srv nstat -az > "$T/n1"
kill $sampler $prober 2>/dev/null || true
wait $sampler $prober 2>/dev/null || true

echo "== memory bound"
echo "tracked samples: $(wc -l < "$T/samples"), highest $(sort -n "$T/samples" | tail -n1), max_sockets $MAX"
[ -s "$T/samples" ] || fail "no sample of tracked"
[ "$(sort -n "$T/samples" | tail -n1)" -le $MAX ] || fail "tracked exceeded max_sockets"
hdr
for ns in srv cli; do ip netns exec $ns tools/tcpwatch -j sockets; done |
	jq -s '[.[].sockets[]] | {rows: length, tracked: map(select(.tracked)) | length}' -c > "$T/rows"
ss_n=$(for ns in srv cli; do ip netns exec $ns ss -Htan; done | wc -l)
echo "dumps: $(cat "$T/rows"); ss: $ss_n sockets"
[ "$(jq .tracked "$T/rows")" -le $MAX ] || fail "more tracked sockets in the dumps than max_sockets"
[ "$(jq .rows "$T/rows")" -ge $((2 * HELD)) ] || fail "the dumps lack sockets"
if [ -L /sys/kernel/slab/tcpw_entry ]; then
	echo "tcpw_entry slab cache merged into $(readlink /sys/kernel/slab/tcpw_entry): objects not checked"
elif [ -r /sys/kernel/slab/tcpw_entry/objects ]; then
	# freed records wait out an RCU grace period, then may sit in the
	# allocator's per-CPU caches (7.2's sheaves count them as in use):
	# let RCU run, and have the allocator give its caches back first
	sleep 1
	echo 1 > /sys/kernel/slab/tcpw_entry/shrink 2>/dev/null || true
	objs=$(cut -d' ' -f1 /sys/kernel/slab/tcpw_entry/objects)
	per=$(cat /sys/kernel/slab/tcpw_entry/objs_per_slab)
	slack=$((per * 2 * $(nproc)))
	echo "tcpw_entry slab: $objs objects ($per per slab)"
	[ "$objs" -le $((MAX + slack)) ] || fail "tcpw_entry holds $objs objects, more than $MAX + $slack"
fi
echo "after the flood: $(mem)"

echo "== responsiveness"
cat "$T/probes"
grep -q 'probe failed\|Traceback' "$T/probes" && fail "a probe connection failed during the flood"
during=$(awk -v a="$flood_t0" -v b="$flood_t1" '$1 == "probe" && $2 >= a && $2 + $3 <= b' "$T/probes" | wc -l)
slowest=$(awk '$1 == "probe" { if ($3 > m) m = $3 } END { print m + 0 }' "$T/probes")
echo "flood lasted $(awk -v a="$flood_t0" -v b="$flood_t1" 'BEGIN { printf "%.1f", b - a }') s; probes completed within it: $during, slowest probe $slowest s"
[ "$during" -ge 1 ] || fail "no probe connection completed while the flood ran"

echo "== events"
# quiet first: the readers must see every event or have it counted as
# dropped, so none may come once one of them stops (the last probe's
# connection closing, the flood's requests expiring)
wait_for "! pgrep -f 'create_connection' > /dev/null" 30 || fail "the last probe did not end"
wait_for "[ -z \"\$(ip netns exec srv ss -Htn state syn-recv)\" ] &&
	  [ -z \"\$(ip netns exec srv ss -Htan exclude listening '( sport = :7503 )')\" ]" 30 ||
	{ ip netns exec srv ss -Htan | awk '{ print $1 }' | sort | uniq -c; fail "netns srv did not quieten"; }
sleep 1
rm -f "$T/pause"
touch "$T/stop"
for i in 0 1; do
	wait "${readers[$i]}" || { cat "$T"/reader.*; fail "an event reader failed"; }
done
sent=$(($(hfield sent) - sent0)) lost=$(($(hfield lost) - lost0))
bsent=$(($(hfield sent 2) - bsent0)) blost=$(($(hfield lost 2) - blost0))
echo "tcpwatch: events sent $sent lost $lost, in batches sent $bsent lost $blost"
# A batch is sent when some reader got it, lost when none did; each
# reader got it or had it dropped (Drops, per datagram). While the readers
# drain, one may get a batch the other's still full buffer drops.
rmax=0 rsum=0
# rfield READER NAME: from "received N datagrams G enobufs E drops D ..."
rfield() { awk -v k="$2" '/^received/ { for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$T/reader.$1"; }
for r in bcerr plain; do
	drops=$(rfield $r drops)
	received=$(rfield $r received)
	datagrams=$(rfield $r datagrams)
	echo "reader $r: $(grep '^received' "$T/reader.$r")"
	assert_eq $((datagrams + drops)) $((bsent + blost)) \
		"reader $r: datagrams received + Drops vs tcpwatch's batches sent + lost"
	[ "$drops" -ge "$blost" ] || fail "reader $r: Drops $drops < tcpwatch's batches lost $blost"
	rsum=$((rsum + received)); [ "$received" -le "$rmax" ] || rmax=$received
done
[ "$sent" -ge "$rmax" ] && [ "$sent" -le "$rsum" ] ||
	fail "tcpwatch's sent $sent: not between the readers' most ($rmax) and sum ($rsum)"
[ "$lost" -gt 0 ] || fail "the paused readers lost no event: the test did not overflow them"

echo "== counters"
ip netns exec srv tools/tcpwatch listen -j > "$T/listen"
ip netns exec srv cat /proc/tcpwatch | sed -n '/^handshakes/p;/^LISTENERS/,/^$/p'
get() { jq --argjson p "$1" ".listeners[] | select(.local_port == \$p) | .$2" "$T/listen"; }
d() { echo $(($(nstat_get "$T/n1" "$1") - $(nstat_get "$T/n0" "$1"))); }
echo "nstat: ReqQFullDrop $(d TcpExtTCPReqQFullDrop) ListenDrops $(d TcpExtListenDrops) SyncookiesSent $(d TcpExtSyncookiesSent)"
echo "tcpwatch: 7500 syns $(get 7500 syns) synq_drops $(get 7500 synq_drops); 7502 syns $(get 7502 syns) cookies_sent $(get 7502 cookies_sent)"
[ "$(get 7500 synq_drops)" -gt 0 ] || fail "the flood filled no SYN queue"
[ "$(get 7502 cookies_sent)" -gt 0 ] || fail "no SYN cookie was sent"
assert_eq "$(get 7500 synq_drops)" "$(d TcpExtTCPReqQFullDrop)" "SYN-queue drops vs TcpExtTCPReqQFullDrop"
assert_eq "$(get 7500 synq_drops)" "$(d TcpExtListenDrops)" "SYN-queue drops vs TcpExtListenDrops"
assert_eq "$(get 7502 cookies_sent)" "$(d TcpExtSyncookiesSent)" "cookies sent vs TcpExtSyncookiesSent"
for p in 7500 7502; do
	[ "$(get $p syns)" -le $half ] || fail "listener $p: more SYNs received than sent"
done
untracked=$(hfield 'untracked(full)')
echo "untracked(full) $untracked"

tw_unload
echo "after rmmod: $(mem)"

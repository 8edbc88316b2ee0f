#!/bin/bash
# The tcpwatch netlink family survives malformed requests and answers each
# one as the netlink core and its policy say it must. scripts/tests/nlfuzz.py
# is a raw generic netlink client (no libmnl) with a model of the answers.
#
# 1. Specific requests get the exact errno, extended ACK message and bad
#    attribute offset: FILTER_STATES with bit 0 or a bit above 12 set is
#    -EINVAL "reserved bit set"; FILTER_PORT of 1 or 8 bytes is -EINVAL
#    "invalid attribute length"; unknown commands, and a do of a dump-only
#    command or the reverse, are -EOPNOTSUPP; ...
# 2. TW_FUZZ_N (5000; `make stress`: 100000) seeded random messages
#    (TW_FUZZ_SEED, default 70),
#    several per sendmsg, while connections churn between two netns: the
#    fuzzers run in both, so the valid dumps among them race with sockets
#    coming and going. Random commands and flags, unknown, oversized,
#    nested and misfit attributes, short genl headers, bad nlmsg_len.
#    Every reply is checked; a per-errno histogram is printed.
# 3. The module still answers GET_STATS, the CLI still works, it unloads.
# The runner fails the test if the kernel logged a warning or worse.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
N=${TW_FUZZ_N:-5000}
SEED=${TW_FUZZ_SEED:-70}
fuzz=scripts/tests/nlfuzz.py

tw_load
netns_pair a b 1 2
# TIME_WAIT sockets pile up under churn (60 s each): cap them, so that
# a dump stays short (past the cap, sockets close without TIME_WAIT)
for ns in a b; do
	ip netns exec $ns sysctl -qw net.ipv4.tcp_max_tw_buckets=64
done

echo "== specific requests"
python3 $fuzz check || fail "specific malformed requests did not get the right answers"

echo "== fuzz: $N messages, seed $SEED, under connection churn"
churn_start a b 192.0.2.1 9001 50 4
wait_for "grep -q done $T/churn.cli" 30 || fail "churn client made no connection"
# two fuzzers, one in each netns of the churn, each half the messages
t0=$SECONDS
ip netns exec a python3 $fuzz fuzz -n $((N / 2)) --seed "$SEED" > "$T/fuzz.a" 2>&1 &
fa=$!
ip netns exec b python3 $fuzz fuzz -n $((N - N / 2)) --seed $((SEED + 1)) > "$T/fuzz.b" 2>&1 &
fb=$!
rca=0 rcb=0
wait $fa || rca=$?
wait $fb || rcb=$?
kill "$TW_CHURN_PID" 2>/dev/null || true
echo "-- fuzzer in netns a:"; cat "$T/fuzz.a"
echo "-- fuzzer in netns b:"; cat "$T/fuzz.b"
echo "fuzzing took $((SECONDS - t0)) s; churn: $(grep -c '^done' "$T/churn.cli") rounds of 50 connections"
[ $rca = 0 ] || fail "fuzzer in netns a: exit $rca (seed $SEED)"
[ $rcb = 0 ] || fail "fuzzer in netns b: exit $rcb (seed $((SEED + 1)))"

# the sum of both histograms
echo "== outcomes of all $N messages"
awk '/^outcomes/ { on = 1; next } /^[^ ]/ { on = 0 } on { n[$1] += $2 }
     END { for (k in n) printf "  %-14s %7d\n", k, n[k] }' "$T/fuzz.a" "$T/fuzz.b" |
	sort -k2,2nr

echo "== afterwards"
python3 $fuzz stats || fail "no valid GET_STATS reply after the fuzz"
tools/tcpwatch states > /dev/null || fail "tcpwatch states failed after the fuzz"
ip netns exec a tools/tcpwatch sockets > /dev/null || fail "tcpwatch sockets failed after the fuzz"
tw_unload

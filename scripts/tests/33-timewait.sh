#!/bin/bash
# The end of a timewait sock is seen when it happens (kprobe on
# inet_twsk_kill), not at the next GC pass: clients close first, so each
# connection leaves a timewait sock on the client; 2 s later the clients
# connect again from the same ports, and the kernel reuses each timewait
# sock (tcp_tw_reuse), killing it. As the clients end, tcpwatch's "timewait
# exited" count and its tw_exit events equal the kernel's own count of
# reuses (nstat TcpExtTWRecycled delta), with the GC pass 30 s away; each
# event says the sock died in TIME_WAIT (it entered FIN_WAIT2 first: the
# servers close late) and how long it spent there (about 2 s, not 60).
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
N=20			# per address family
tw_load
grep -q '^timewait kprobe: inet_twsk_kill,' /proc/tcpwatch ||
	skip "no inet_twsk_kill kprobe here: $(grep '^timewait kprobe' /proc/tcpwatch)"
grep -q '^params: .*gc_ms=30000' /proc/tcpwatch ||
	fail "GC is not the 30 s safety net: $(grep '^params' /proc/tcpwatch)"
netns_pair a b 1 2
# tcp_rfc1337=1: no RST ends a client timewait sock in TIME_WAIT early (see
# 10-states.sh); in FIN_WAIT2 one still does, hence the wait below
ip netns exec b sysctl -qw net.ipv4.tcp_tw_reuse=1 net.ipv4.tcp_rfc1337=1

# server: accept, wait for the client's FIN, close
cat > "$T/tw.py" <<'EOF'
import socket, sys, threading, time
def server(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(128)
    print("listening", flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=lambda c=c: (c.recv(1), time.sleep(0.3), c.close())).start()
def clients(laddr, addr, port, first, n):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    for p in range(first, first + n):
        c = socket.socket(fam)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((laddr, p)); c.connect((addr, port)); c.close()
if sys.argv[1] == "server":
    server(sys.argv[2], int(sys.argv[3]))
else:
    clients(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
EOF
ip netns exec a python3 "$T/tw.py" server 192.0.2.1 8300 > "$T/s4" &
ip netns exec a python3 "$T/tw.py" server 2001:db8::1 8301 > "$T/s6" &
wait_for "grep -q listening $T/s4 && grep -q listening $T/s6" 30 ||
	fail "servers did not start"

run_clients() {
	ip netns exec b python3 "$T/tw.py" client 192.0.2.2 192.0.2.1 8300 40000 $N &&
	ip netns exec b python3 "$T/tw.py" client 2001:db8::2 2001:db8::1 8301 41000 $N
}
run_clients || fail "first clients failed"
wait_for "[ \$(ip netns exec b ss -Htan state time-wait | wc -l) -eq $((2 * N)) ]" 20 ||
	fail "expected $((2 * N)) client timewait socks: $(ip netns exec b ss -Htan state time-wait | wc -l)"
# The servers close 0.3 s after the client's FIN, so each client timewait
# sock starts in FIN_WAIT2 and moves to TIME_WAIT on the server's FIN (no
# tracepoint sees that). Wait for every server socket to be gone: a client
# reusing a port whose server socket still lives would have its new
# timewait sock reset by that socket's late FIN (TIME-WAIT assassination,
# RFC 1337), one more exit than the workload's (seen under a slow CI).
wait_for "[ \$(ip netns exec a ss -Htan 'sport = :8300 or sport = :8301' | grep -vc LISTEN) -eq 0 ]" 30 ||
	fail "server sockets still open: $(ip netns exec a ss -Htan 'sport = :8300 or sport = :8301')"

ip netns exec b stdbuf -oL tools/tcpwatch events -j --kind tw_exit > "$T/ev" 2> "$T/ev.err" &
evpid=$!
wait_for "grep -q tracing $T/ev.err" 30 || fail "event reader did not start"
sleep 2		# tcp_tw_reuse wants the sock over a second old
st0=$(ip netns exec b tools/tcpwatch states -j)
n0=$(ip netns exec b nstat -az TcpExtTWRecycled | awk '$1 == "TcpExtTWRecycled" { print $2 }')
run_clients || fail "second clients (reusing the timewait socks) failed"
# connect() killed the socks synchronously: read the counts at once
st1=$(ip netns exec b tools/tcpwatch states -j)
n1=$(ip netns exec b nstat -az TcpExtTWRecycled | awk '$1 == "TcpExtTWRecycled" { print $2 }')
# the events were sent then too; the reader may still be printing them
wait_for "[ \$(wc -l < $T/ev) -ge $((2 * N)) ]" 10 || true
sleep 0.5
kill -INT $evpid; wait $evpid

exited=$(jq -n --argjson a "$st0" --argjson b "$st1" '$b.tw_exited - $a.tw_exited')
events=$(jq -s 'length' "$T/ev")
echo "timewait socks reused: nstat TWRecycled $((n1 - n0)), tcpwatch exited $exited, tw_exit events $events"
assert_eq $((n1 - n0)) $((2 * N)) "TcpExtTWRecycled delta (the workload)"
# say which socks they were if the count or a state is off
states=$(jq -r '.old_state' "$T/ev" | sort | uniq -c | tr -s ' ' | tr '\n' ',')
echo "states at exit: $states"
[ "$exited" = $((2 * N)) ] && [ "$events" = $((2 * N)) ] &&
	[ "$states" = " $((2 * N)) TIME_WAIT," ] || {
	echo "tw_exit events by local port, time in TIME_WAIT:"
	jq -r '"\(.local_port) \(.remote_port) \(.old_state) \(.old_state_ns)"' "$T/ev" | sort -n | uniq -c
}
assert_eq "$exited" $((2 * N)) "tcpwatch's timewait exits as the clients end (not by a GC pass)"
assert_eq "$events" $((2 * N)) "tw_exit events"
# the FIN_WAIT2 -> TIME_WAIT change inside the timewait sock was caught up
# at the latest when the sock was killed
assert_eq "$states" " $((2 * N)) TIME_WAIT," "the state every timewait sock died in"
# time in TIME_WAIT: the 2 s pause (plus the run), nowhere near 60 s
jq -r '.old_state_ns' "$T/ev" | sort -n | sed -n '1p;$p' | tr '\n' ' '
echo "ns in TIME_WAIT (shortest, longest)"
jq -e 'select(.old_state_ns < 1500000000 or .old_state_ns > 20000000000)' "$T/ev" &&
	fail "a timewait sock's time in TIME_WAIT is off (above)"
exit 0

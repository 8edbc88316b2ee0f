# Smoke test: the guest works (netns, veth, python peers, bpftrace) and the
# module loads, shows its /proc file and unloads.
. "$(dirname "$0")/lib.sh"

tw_load
lsmod | grep -q '^tcpwatch ' || fail "tcpwatch not in lsmod after insmod"
[ -e /proc/net/tcpwatch ] || fail "no /proc/net/tcpwatch"
assert_eq "$(readlink /proc/tcpwatch)" net/tcpwatch "/proc/tcpwatch link"
cat /proc/tcpwatch >/dev/null || fail "cat /proc/tcpwatch failed"
tw_unload
lsmod | grep -q '^tcpwatch ' && fail "tcpwatch still in lsmod after rmmod"

# bpftrace sees TCP state changes of a connection between two netns.
netns_pair a b
tcp_listen b 192.0.2.2 8080
bpftrace_start "$TW_TMP/bt.out" \
	'tracepoint:sock:inet_sock_set_state /args->protocol == 6/ { @n = count(); }
	 interval:s:1 { printf("--\n"); print(@n); printf("==\n"); }'
tcp_connect a 192.0.2.2 8080
sleep 1.5
n=$(bpftrace_last "$TW_TMP/bt.out" | sed -n 's/^@n: \([0-9]*\)$/\1/p')
bpftrace_stop
[ "${n:-0}" -ge 4 ] || { cat "$TW_TMP/bt.out"; fail "bpftrace counted ${n:-no} TCP state changes, expected >= 4"; }
echo "bpftrace saw $n TCP state changes"

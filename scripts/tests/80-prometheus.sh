#!/bin/bash
# tcpwatch export under a real Prometheus (Debian's 2.42). The exporter runs
# in netns srv, which it reports; Prometheus runs in netns mon, on its
# loopback, and scrapes the exporter over a veth every second (one
# keep-alive connection, so that scrapes do not move srv's counters). After
# a workload in srv (23 echo connections, 3 of them held, and 2 half-opens
# that expire), Prometheus's HTTP API gives the same handshakes completed,
# per-listener counters and per-state gauges as /proc/tcpwatch in srv, with
# srv's netns inode as the netns label; promtool check metrics accepts the
# exposition, over HTTP and as a textfile; the README's two example queries
# evaluate; with the module unloaded the exporter answers tcpwatch_up 0.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
CLI=${TW_CLI:-tools/tcpwatch}	# TW_CLI: another build of the CLI
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
	skip "prometheus or promtool not installed (scripts/setup installs them)"
fi

tw_load
netns_pair srv cli 1 2
netns_pair srv mon 198.51.100.1 198.51.100.2
# the held half-opens expire after 1 + 2 s: one SYN-ACK retransmission
ip netns exec srv sysctl -qw net.ipv4.tcp_synack_retries=1
nft_hold_acks cli 7301

ip netns exec srv "$CLI" export --listen 198.51.100.1:9977 > "$T/exp.out" 2> "$T/exp.err" &
wait_for "grep -q 'serving http://198.51.100.1:9977/metrics' $T/exp.err" 30 ||
	{ cat "$T/exp.err"; fail "the exporter did not start"; }

cat > "$T/prom.yml" <<'YML'
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: tcpwatch
    static_configs:
      - targets: ['198.51.100.1:9977']
YML
promtool check config "$T/prom.yml" > /dev/null
ip netns exec mon prometheus --config.file="$T/prom.yml" \
	--storage.tsdb.path="$T/tsdb" --web.listen-address=127.0.0.1:9090 \
	> "$T/prom.log" 2>&1 &

# query EXPR: the first value of an instant query, "" if none; fails if
# the query does
query() {
	local out
	out=$(ip netns exec mon curl -sfG http://127.0.0.1:9090/api/v1/query \
		--data-urlencode "query=$1") || return 1
	[ "$(jq -r .status <<< "$out")" = success ] || return 1
	jq -r '.data.result[0].value[1] // ""' <<< "$out"
}
# value EXPR: the same, failing the test if the query fails
value() {
	query "$1" || fail "query '$1' failed"
}
wait_for "[ \"\$(query 'up{job=\"tcpwatch\"}')\" = 1 ]" 120 ||
	{ tail -n 20 "$T/prom.log"; fail "Prometheus does not scrape the exporter"; }
echo "Prometheus scrapes the exporter after ${SECONDS}s"

# the workload
tcp_listen srv 192.0.2.1 7300
for _ in $(seq 20); do tcp_connect cli 192.0.2.1 7300; done
for _ in 1 2 3; do tcp_connect cli 192.0.2.1 7300 600 & done
actor_listen srv 192.0.2.1 7301 "$T/l7301"
ip netns exec cli python3 scripts/tests/actor.py connect 192.0.2.1 7301 --count 2 > "$T/c7301" &
wait_for "[ \$(ip netns exec srv ss -Htn state established '( sport = :7300 )' | wc -l) -eq 3 ]" 30 ||
	fail "the 3 held connections are not up"
# settled: the half-opens expired, the closed echo connections are gone
settled() {
	ip netns exec srv cat /proc/tcpwatch > "$T/p"
	awk '/^handshakes: SYNs/ { for (i = 1; i < NF; i++) if ($i == "expired") print $(i + 1) }' "$T/p" | grep -qx 2 &&
		awk '/^STATE +NOW/ { st = 1; next } st && NF == 0 { st = 0 }
			st && $1 ~ /^(SYN_RECV|NEW_SYN_RECV|CLOSE_WAIT|LAST_ACK|FIN_WAIT[12]|CLOSING)$/ && $2 != 0 { bad = 1 }
			END { exit bad }' "$T/p"
}
wait_for settled 60 || { cat "$T/p"; fail "the workload did not settle"; }

# What /proc/tcpwatch says: the netns, handshakes completed, each state's
# NOW, and each listener's DONE and EXPIRD.
proc_view() {
	ip netns exec srv cat /proc/tcpwatch | awk '
		/^tcpwatch .* netns [0-9]+,/ { for (i = 1; i < NF; i++) if ($i == "netns") { n = $(i + 1); sub(",", "", n); print "netns", n } }
		/^handshakes: SYNs/ { for (i = 1; i < NF; i++) if ($i == "completed") print "completed", $(i + 1) }
		/^STATE +NOW/ { st = 1; next }
		st && NF == 0 { st = 0 }
		st { print "state", $1, $2 }
		/^LISTENERS/ { ls = 1; next }
		ls && NF == 0 { ls = 0 }
		ls && $1 ~ /^([0-9]|\[).*:[0-9]+$/ { print "listener", $1, $10, $11 }'
}
# The same from Prometheus, for the netns, states and listeners of $1.
prom_view() {
	local ns ep a p
	ns=$(awk '$1 == "netns" { print $2 }' "$1")
	[ "$(value "count(tcpwatch_sockets{netns=\"$ns\"})")" = 12 ] &&
		echo "netns $ns"
	echo "completed $(value "tcpwatch_handshakes_completed_total{netns=\"$ns\"}")"
	awk '$1 == "state" { print $2 }' "$1" | while read -r s; do
		echo "state $s $(value "tcpwatch_sockets{netns=\"$ns\",state=\"$s\"}")"
	done
	awk '$1 == "listener" { print $2 }' "$1" | while read -r ep; do
		p=${ep##*:} a=${ep%:*}; a=${a#[}; a=${a%]}
		echo "listener $ep $(value "tcpwatch_listener_handshakes_completed_total{netns=\"$ns\",addr=\"$a\",port=\"$p\"}") $(value "tcpwatch_listener_halfopens_expired_total{netns=\"$ns\",addr=\"$a\",port=\"$p\"}")"
	done
}
# scraped_after T: Prometheus's last sample is newer than T (epoch s)
scraped_after() {
	local ts
	ts=$(query 'timestamp(tcpwatch_up)') || return 1
	awk -v a="$ts" -v b="$1" 'BEGIN { exit !(a > b) }'
}
# /proc read before and after Prometheus, unchanged in between
for try in 1 2 3; do
	proc_view > "$T/v1"
	t1=$(date +%s.%N)
	wait_for "scraped_after $t1" 30 || fail "no scrape after the /proc read"
	prom_view "$T/v1" > "$T/vp"
	proc_view > "$T/v2"
	cmp -s "$T/v1" "$T/v2" && break
	echo "try $try: /proc/tcpwatch changed while Prometheus was read:"
	diff "$T/v1" "$T/v2" || true
	[ "$try" -lt 3 ] || fail "/proc/tcpwatch does not keep still"
done
echo "/proc/tcpwatch | Prometheus:"; paste "$T/v1" "$T/vp"
diff "$T/v1" "$T/vp" || fail "Prometheus differs from /proc/tcpwatch (< /proc, > Prometheus)"
grep -q '^netns [0-9]' "$T/v1" || fail "no netns in /proc/tcpwatch's header"
grep -qx 'listener 192.0.2.1:7300 23 0' "$T/v1" ||
	fail "the listener on 7300 should have 23 handshakes completed"
grep -qx 'listener 192.0.2.1:7301 0 2' "$T/v1" ||
	fail "the listener on 7301 should have 2 half-opens expired"
# 3 held echo connections and the scrape connection
grep -qx 'state ESTABLISHED 4' "$T/v1" || fail "srv should have 4 ESTABLISHED"

# the README's example queries, and their variants for this workload
all=$(value 'sum by (instance, netns, addr, port) (rate(tcpwatch_listener_halfopens_expired_total[5m]))')
[ -n "$all" ] || fail "the expiry-rate example query gave nothing"
p99c=$(value 'histogram_quantile(0.99, sum by (le) (rate(tcpwatch_halfopen_lifetime_seconds_bucket{outcome="completed"}[5m])))')
echo "p99 half-open lifetime (completed) ${p99c}s"
awk -v v="$p99c" 'BEGIN { exit !(v ~ /^[0-9.e+-]+$/ && v > 0 && v < 1) }' ||
	fail "p99 half-open lifetime of completed handshakes '$p99c' s, want within (0, 1) s"
rate=$(value 'sum by (addr, port) (rate(tcpwatch_listener_halfopens_expired_total{port="7301"}[5m]))')
p99=$(value 'histogram_quantile(0.99, sum by (le) (rate(tcpwatch_halfopen_lifetime_seconds_bucket{outcome="expired"}[5m])))')
echo "port 7301: half-open expiry rate ${rate}/s; p99 half-open lifetime (expired) ${p99}s"
awk -v v="$rate" 'BEGIN { exit !(v ~ /^[0-9.e+-]+$/ && v > 0) }' || fail "expiry rate of port 7301: '$rate', want > 0"
# 1 s + 2 s of SYN-ACK timeouts: the log2 bucket [2.097152, 4.194304) s
awk -v v="$p99" 'BEGIN { exit !(v ~ /^[0-9.e+-]+$/ && v > 2 && v <= 4.194304) }' ||
	fail "p99 half-open lifetime '$p99' s, want within (2, 4.19] s"

# the exposition itself: over HTTP, and as a textfile
ip netns exec mon curl -sf http://198.51.100.1:9977/metrics > "$T/metrics"
promtool check metrics < "$T/metrics" > "$T/lint" 2>&1 ||
	{ cat "$T/lint"; fail "promtool check metrics rejects the exposition"; }
[ ! -s "$T/lint" ] || { cat "$T/lint"; fail "promtool check metrics complains"; }
echo "exposition: $(grep -vc '^#' "$T/metrics") samples in $(grep -c '^# TYPE' "$T/metrics") families, $(wc -c < "$T/metrics") bytes"
mkdir "$T/textfile"
ip netns exec srv "$CLI" export --textfile "$T/textfile/tcpwatch.prom" --once
assert_eq "$(ls "$T/textfile")" tcpwatch.prom "textfile directory: the file, no temporary left"
promtool check metrics < "$T/textfile/tcpwatch.prom" > "$T/lint" 2>&1 ||
	{ cat "$T/lint"; fail "promtool check metrics rejects the textfile"; }
[ ! -s "$T/lint" ] || { cat "$T/lint"; fail "promtool check metrics complains about the textfile"; }
grep -qx 'tcpwatch_up 1' "$T/textfile/tcpwatch.prom" || fail "textfile: tcpwatch_up is not 1"
grep -q '^tcpwatch_listener_handshakes_completed_total{.*port="7300"} 23$' "$T/textfile/tcpwatch.prom" ||
	fail "textfile: 7300's handshakes completed are not 23"

# module gone: the exporter answers tcpwatch_up 0, and lives on
tw_unload
wait_for "[ \"\$(query 'tcpwatch_up')\" = 0 ]" 30 || fail "tcpwatch_up did not go to 0 after rmmod"
# a scrape may time out (1 s) on a loaded host (seen on 5.10): one that
# succeeds says the exporter answers
wait_for "[ \"\$(query 'up{job=\"tcpwatch\"}')\" = 1 ]" 30 ||
	fail "the exporter no longer answers Prometheus after rmmod (up is $(value 'up{job="tcpwatch"}'))"
grep -q 'kernel module not loaded' "$T/exp.err" || fail "the exporter did not say the module went"

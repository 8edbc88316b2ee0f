#!/bin/bash
# `tcpwatch top` on a terminal, driven through tmux: it shows the
# connections of a running workload and the listener's queues; '/' filters
# by port, '<' '>' 'r' and the digit keys move and turn the sort, the
# stuck CLOSE-WAIT socket is marked, it survives a resize, 'q' quits with
# status 0.  Then the plain mode (stdout not a terminal), `hist`, and
# an rmmod under top (status 1, the message shown after the screen).
. "$(dirname "$0")/lib.sh"

command -v tmux >/dev/null || skip "tmux not installed (scripts/setup installs it)"
T=$TW_TMP
tw_load
netns_pair srv cli 1 2

# three held connections to 7300; one CLOSE-WAIT on the server at 7301
tcp_listen srv 192.0.2.1 7300
for i in 1 2 3; do tcp_connect cli 192.0.2.1 7300 120 & done
ip netns exec srv python3 scripts/tests/actor.py listen 192.0.2.1 7301 \
	--on-accept eof-hold > "$T/srv.7301" &
wait_for "ip netns exec srv ss -Htln 'sport = :7301' | grep -q ." 30 ||
	fail "nothing listens on 7301"
ip netns exec cli python3 scripts/tests/actor.py connect 192.0.2.1 7301 \
	--then close > "$T/cli.7301" &
wait_for "[ \$(ip netns exec srv ss -Htn state established 'sport = :7300' | wc -l) -eq 3 ]" 30 ||
	fail "the three connections to 7300 are not up"
wait_for "ip netns exec srv ss -Htn state close-wait | grep -q 7301" 30 ||
	fail "no CLOSE-WAIT socket on 7301"

sock=$T/tmux.sock
tm() { tmux -S "$sock" "$@"; }
screen() { tm capture-pane -p -t tw > "$T/screen"; }
# shows TEXT [TIMEOUT]: the screen shows TEXT (a grep -E pattern)
shows() {
	wait_for "tmux -S $sock capture-pane -p -t tw | grep -Eq -- '$1'" "${2:-20}"
}
trap 'tm kill-server 2>/dev/null || true' EXIT
export TERM=xterm-256color
tm new-session -d -s tw -x 160 -y 40 -c "$PWD" \
	"ip netns exec srv tools/tcpwatch top -i 0.5 --stuck 1; echo EXIT=\$? > $T/exit; sleep 60"

shows 'tcpwatch top' 30 || { screen; cat "$T/screen"; fail "top did not start"; }
shows 'conn/s [0-9.]+' 20 || { screen; cat "$T/screen"; fail "no rates after a refresh"; }
screen
echo "== first screen"; cat "$T/screen"
# the workload: the listener, three ESTAB connections to 7300
grep -q '192.0.2.1:7300' "$T/screen" || fail "no 7300 listener on the screen"
n=$(grep -cE 'ESTAB +192\.0\.2\.1:7300 +192\.0\.2\.2:' "$T/screen" || true)
assert_eq "$n" 3 "ESTAB rows of 7300 on the screen"
grep -qE '\[[#.]+\] [0-9]+/[0-9]+' "$T/screen" || fail "no queue bars in the listener panel"
# the CLOSE-WAIT socket, older than --stuck 1, marked C
shows '^C +CLOSE-WAIT +192\.0\.2\.1:7301' 20 ||
	{ screen; cat "$T/screen"; fail "stuck CLOSE-WAIT not marked"; }

# '/' filter by port: only 7301's sockets stay
tm send-keys -t tw / 7301 Enter
shows 'filter: 7301' 10 || { screen; cat "$T/screen"; fail "filter not shown"; }
sleep 1
screen
echo "== filtered by 7301"; cat "$T/screen"
grep -qE 'ESTAB +192\.0\.2\.1:7300' "$T/screen" && fail "7300 rows left under filter 7301"
grep -qE 'CLOSE-WAIT +192\.0\.2\.1:7301' "$T/screen" || fail "7301 row gone under its filter"
# a state name filters too; an empty filter clears
tm send-keys -t tw / C-u
tm send-keys -t tw BSpace BSpace BSpace BSpace estab Enter
shows 'filter: estab' 10 || { screen; cat "$T/screen"; fail "state filter not shown"; }
sleep 1
screen
grep -qE '(LISTEN|CLOSE-WAIT) +192\.0\.2\.1:' "$T/screen" && fail "non-ESTAB rows under filter estab"
tm send-keys -t tw / BSpace BSpace BSpace BSpace BSpace Enter
shows '^C +CLOSE-WAIT' 10 || { screen; cat "$T/screen"; fail "clearing the filter"; }

# sort: '3' sorts by Peer (marked ^), 'r' reverses (v), '<' moves left
tm send-keys -t tw 3
shows 'Peer\^' 10 || { screen; cat "$T/screen"; fail "sort by Peer not marked"; }
tm send-keys -t tw r
shows 'Peer v|Peerv' 10 || { screen; cat "$T/screen"; fail "reverse sort not marked"; }
tm send-keys -t tw '<'
shows 'Localv' 10 || { screen; cat "$T/screen"; fail "'<' did not move the sort"; }
screen
echo "== sorted by Local, reversed"; cat "$T/screen"
# reversed by local endpoint: 192.0.2.1:7301 comes before 192.0.2.1:7300
rows='(ESTAB|LISTEN|CLOSE-WAIT) +192\.0\.2\.1:730'
first=$(grep -nE "${rows}1 " "$T/screen" | tail -1 | cut -d: -f1)
last=$(grep -nE "${rows}0 " "$T/screen" | head -1 | cut -d: -f1)
[ "$first" -lt "$last" ] || fail "reverse sort by Local: 7301 not above 7300"

# a resize: smaller, then back; it redraws and keeps running
tm resize-window -t tw -x 90 -y 20
sleep 1.5
screen
echo "== 90x20"; cat "$T/screen"
grep -q 'tcpwatch top' "$T/screen" || fail "no title after the resize"
[ ! -e "$T/exit" ] || fail "top exited on resize: $(cat "$T/exit")"
tm resize-window -t tw -x 160 -y 40
shows 'ESTAB +192\.0\.2\.1:7300' 10 || { screen; cat "$T/screen"; fail "rows gone after resizing back"; }

tm send-keys -t tw q
wait_for "[ -e $T/exit ]" 10 || fail "top did not quit on 'q'"
assert_eq "$(cat "$T/exit")" EXIT=0 "top's exit status"

# not a terminal: plain tables, -c refreshes
ip netns exec srv tools/tcpwatch top -i 0.2 -c 2 --stuck 1 > "$T/plain" ||
	fail "plain top failed"
echo "== plain"; cat "$T/plain"
assert_eq "$(grep -c '^--- tcpwatch top' "$T/plain")" 2 "plain refreshes"
n=$(grep -cE '^ +ESTAB +192\.0\.2\.1:7300' "$T/plain" || true)
assert_eq "$n" 6 "ESTAB rows of 7300 in two plain refreshes"
grep -qE '^C +CLOSE-WAIT +192\.0\.2\.1:7301' "$T/plain" || fail "plain: CLOSE-WAIT not marked"

# hist: every chart, one by name, and a bad name (status 2)
ip netns exec srv tools/tcpwatch hist > "$T/hist" || fail "hist failed"
grep -q 'Time in ESTAB' "$T/hist" || grep -q 'Time in' "$T/hist" ||
	fail "hist: no time-in-state chart"
ip netns exec srv tools/tcpwatch hist connect > "$T/hist.c" || fail "hist connect failed"
grep -q '^connect latency' "$T/hist.c" || fail "hist connect: no title"
st=0; ip netns exec srv tools/tcpwatch hist nonesuch 2>/dev/null || st=$?
assert_eq "$st" 2 "hist with a bad name"
ip netns exec srv tools/tcpwatch --version | tee "$T/version"
grep -q '^tcpwatch CLI ' "$T/version" && grep -q '^module: ' "$T/version" ||
	fail "--version lacks the CLI or the module line"

# the module goes away under top: the screen closes, the message shows, 1
tm new-session -d -s tw2 -x 120 -y 30 -c "$PWD" \
	"ip netns exec srv tools/tcpwatch top -i 0.2 2> $T/top2.err; echo EXIT=\$? > $T/exit2; sleep 60"
wait_for "tmux -S $sock capture-pane -p -t tw2 | grep -q 'tcpwatch top'" 30 ||
	fail "second top did not start"
tw_unload
wait_for "[ -e $T/exit2 ]" 20 || fail "top kept running after rmmod"
assert_eq "$(cat "$T/exit2")" EXIT=1 "top's status after rmmod"
cat "$T/top2.err"
grep -q 'kernel module not loaded' "$T/top2.err" || fail "top did not say the module went away"

#!/bin/bash
# Bad input to the CLI: a clear message on stderr naming the problem and
# exit status 2, with the module loaded, and without it (a quarter of the
# cases: usage is checked before the module is looked for).
# tools/tests/test_cli.c checks the exact messages on the host, where the
# module is never loaded; this adds bad addresses (window's flows), the
# module-loaded case, and TW_CLI_FUZZ (40) random command lines: each must
# end with status 0, 1 or 2 (never a signal), and status 2 must come with
# a "tcpwatch:" line.
. "$(dirname "$0")/lib.sh"

T=$TW_TMP
cli=${TW_CLI:-tools/tcpwatch}
NF=${TW_CLI_FUZZ:-40}

# ARGS|TEXT: status 2, and stderr contains TEXT
cases=(
	"frobnicate|unknown command 'frobnicate'"
	"--frob|unknown option '--frob'"
	"sockets --frob|unknown option '--frob'"
	"sockets --port abc|bad port 'abc'"
	"sockets --port 0|bad port '0'"
	"sockets --port 65536|bad port '65536'"
	"sockets --port -5|bad port '-5'"
	"sockets --port 80x|bad port '80x'"
	"sockets --port ' 80'|bad port"
	"closed --port 99999999999999999999|bad port"
	"listen --port=|bad port"
	"halfopen -p 1.2.3.4|bad port '1.2.3.4'"
	"sockets --state nosuch|unknown state 'nosuch'"
	"events -c -1|bad count '-1'"
	"events -c 1x|bad count '1x'"
	"sockets extra|unexpected argument 'extra'"
	"states --port 22|unknown option '--port'"
	"help nope|unknown command 'nope'"
)
# the command that takes an address: window PORT|ADDR:PORT|[IPV6]:PORT
if $cli --help 2>&1 | grep -qw window; then
	cases+=(
		"window 300.1.1.1:80|bad flow '300.1.1.1:80'"
		"window 1.2.3:80|bad flow '1.2.3:80'"
		"window '[2001:db8::g]:80'|bad flow '[2001:db8::g]:80'"
		"window 2001:db8::1:80|bad flow"
		"window host.example:80|bad flow 'host.example:80'"
		"window 192.0.2.1|bad flow '192.0.2.1'"
		"window 192.0.2.1:|bad flow '192.0.2.1:'"
		"window 192.0.2.1:0|bad flow"
		"window 0|bad flow '0'"
		"window 70000|bad flow '70000'"
		"window|which flow?"
		"window --interval 60001 80|bad interval '60001'"
		"window --interval abc 80|bad interval 'abc'"
		"window 80 extra|unexpected argument 'extra'"
		"window --frob 80|unknown option '--frob'"
	)
else
	echo "NOTE: the CLI has no 'window' command (the one taking an address) yet"
fi

check_cases() {	# WHEN CASE...
	local c args text rc fails=0 when=$1
	shift
	for c in "$@"; do
		args=${c%%|*} text=${c#*|}
		rc=0
		eval "$cli $args" > "$T/out" 2> "$T/err" < /dev/null || rc=$?
		if [ $rc != 2 ] || ! grep -qF -- "$text" "$T/err"; then
			echo "FAIL ($when) tcpwatch $args: exit $rc, stderr: $(head -c 200 "$T/err")"
			fails=$((fails + 1))
		fi
	done
	echo "$when: $# bad command lines, $fails wrong"
	return $fails
}

# a CLI run costs ~0.4 s under TCG: without the module, every 4th case
# (the host's unit tests run them all without the module)
fails=0
some=()
for i in "${!cases[@]}"; do [ $((i % 4)) != 0 ] || some+=("${cases[$i]}"); done
check_cases "module not loaded" "${some[@]}" || fails=$((fails + $?))
tw_load
check_cases "module loaded" "${cases[@]}" || fails=$((fails + $?))

# random command lines from tokens, some valid, most not
python3 - "$NF" > "$T/lines" <<'PY'
import random, shlex, sys
r = random.Random(75)
words = ["sockets", "states", "closed", "listen", "halfopen", "events", "help",
         "window", "192.0.2.1:80", "[::1]:22", "-j", "--json", "-h", "--help", "--version", "-s", "--state",
         "-p", "--port", "-c", "-k", "--kind", "--hist", "--interval", "-t",
         "--timers", "--", "-",
         "--port=80", "--state=estab", "estab", "all", "listen,syn-recv", "80",
         "0", "65535", "65536", "-1", "1e3", "0x50", "192.0.2.1", "::1",
         "300.1.1.1", "", " ", "x" * 5000, "\u00e9t\u00e9", "%s%n", "state,",
         ",", "=", "--state=", "-pj", "-jp", "-c0", "-c1"]
for _ in range(int(sys.argv[1])):
    n = r.randrange(1, 6)
    print(" ".join(shlex.quote(r.choice(words)) for _ in range(n)))
PY
bad=0 n=0
declare -A seen=()
while IFS= read -r line; do
	n=$((n + 1))
	rc=0
	# a valid `events` runs until the timeout (124)
	eval "timeout 2 $cli $line" > /dev/null 2> "$T/err" < /dev/null || rc=$?
	case $rc in
	0|1) ;;
	124) [[ $line == *events* ]] ||
		{ echo "tcpwatch $line: still running after 2 s"; bad=$((bad + 1)); } ;;
	2) grep -q '^tcpwatch' "$T/err" ||
		{ echo "tcpwatch $line: exit 2 without a message"; bad=$((bad + 1)); } ;;
	*) echo "tcpwatch $line: exit $rc: $(head -c 200 "$T/err")"; bad=$((bad + 1)) ;;
	esac
	seen[$rc]=$(( ${seen[$rc]:-0} + 1 ))
done < "$T/lines"
echo "random command lines: $n, exit statuses: $(for k in "${!seen[@]}"; do echo -n "$k:${seen[$k]} "; done)"
tw_unload
[ $fails = 0 ] || fail "$fails bad command lines did not exit 2 with their message"
[ $bad = 0 ] || fail "$bad random command lines ended badly"

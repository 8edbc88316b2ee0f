#!/bin/bash
# scripts/bench.d/ab.sh's guest side: loopback connection rate for each
# entry of TW_AB_MODES in turn ("bare", or a module path with optional
# ":param=value,..."), one "K MODE conns N secs S rate R" line each.
. "$(dirname "$0")/../tests/lib.sh"
set +e
trap - ERR
N=${TW_AB_CONNS:-6000}
. "$(dirname "$0")/lo.sh"
for mode in $TW_AB_MODES; do
	ko=${mode%%:*} params=
	[ "$ko" != "$mode" ] && params=${mode#*:}
	# shellcheck disable=SC2086 # the parameters: words
	[ "$ko" = bare ] || insmod "$ko" ${params//,/ } || fail "insmod $mode"
	sleep 1
	out=$(ip netns exec cli "$CR" client 127.0.0.1 9000 "$N" 4)
	[ "$ko" = bare ] || rmmod tcpwatch
	echo "K $mode $out"
	sleep 1
done

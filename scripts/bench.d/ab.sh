#!/bin/bash
# Compare two builds (or parameter sets) of the module by connection rate,
# precisely enough to see a tenth of a point:
#   scripts/bench.d/ab.sh [-k KVER] A.ko[:param=v,...] B.ko[:param=v,...]
# Each of two VMs (run side by side) boots with one vCPU under -icount,
# where the guest clock counts instructions and one vCPU leaves no
# scheduling between vCPUs to add noise, and runs 6,000 loopback
# connections (TW_AB_CONNS) six times: bare A B B A bare, so that the
# slow drift of a run (timewait socks piling up) hits A and B alike.  It
# prints each build's rate as a ratio to bare, per VM.  Copy the .ko files
# outside the tree and /tmp first (the guest has its own /tmp; building
# the module in the tree replaces module/tcpwatch.ko).
# A rate ratio r means 1/r - 1 more instructions per connection than bare.
set -euo pipefail
cd "$(dirname "$0")/../.."
kver=6.12.95+deb12-amd64
[ "${1:-}" = -k ] && { kver=$2; shift 2; }
[ $# -eq 2 ] || { sed -n '2,3s/^# \{0,1\}//p' "$0" >&2; exit 2; }
a=$1 b=$2
mkdir -p build/bench
gcc -O2 -Wall -Wextra -pthread -o build/bench/connrate scripts/bench.d/connrate.c
one() {
	TW_VM_ACCEL=tcg,thread=single \
	TW_VM_QEMU_ARGS="-icount shift=2,sleep=off -smp ${TW_AB_SMP:-1}" \
		scripts/vm -k "$kver" --timeout 900 \
		-e TW_AB_MODES="bare $a $b $b $a bare" \
		-- scripts/bench.d/ab-guest.sh 2>&1 | grep '^K '
}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
one > "$t/1" & one > "$t/2" & wait
for f in "$t/1" "$t/2"; do
	awk -v a="$a" -v b="$b" '
		{ secs[$2] += $6; n[$2]++ }
		END {
			if (!n["bare"] || !n[a] || !n[b]) { print "ab: a run failed"; exit 1 }
			bare = secs["bare"] / n["bare"]
			ra = bare / (secs[a] / n[a]); rb = bare / (secs[b] / n[b])
			printf "A %.4f  B %.4f  B-A %+.4f  (bare %.3f s)\n", ra, rb, rb - ra, bare
		}' "$f"
done

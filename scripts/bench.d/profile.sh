#!/bin/bash
# Where tcpwatch's cost goes under the connection-rate workload: perf
# samples every CPU's kernel stacks while loopback connections run with the
# module loaded, and each of tcpwatch's entry points (ROOTS) is charged with
# the samples whose stack passes through it, by leaf function.  Run it
# under -icount, where the guest clock counts instructions, so that a
# sample share is an instruction share:
#   TW_VM_ACCEL=tcg,thread=single TW_VM_QEMU_ARGS="-icount shift=2,sleep=off" \
#     scripts/vm -k 6.12.95+deb12-amd64 -e TW_KO=build/KVER/tcpwatch.ko \
#     -- scripts/bench.d/profile.sh
# Debian 12's perf (6.1) records and reports on 6.12 (it prints one
# "assertion failed at util/namespaces.c" line); the 6.1 kernel does not
# boot under -icount here.  Knobs: TW_PROFILE_CONNS (6000),
# TW_PROFILE_PARAMS (module parameters), TW_PROFILE_ROOTS.
. "$(dirname "$0")/../tests/lib.sh"
set +e
trap - ERR
T=$TW_TMP
roots=${TW_PROFILE_ROOTS:-inet_sk_state_store kprobe_ftrace_handler arch_rethook_trampoline rcu_core}
. "$(dirname "$0")/lo.sh"
# shellcheck disable=SC2086 # TW_PROFILE_PARAMS: words
tw_load ${TW_PROFILE_PARAMS:-}
sleep 1
perf record -q -a -g -F 4999 -o "$T/perf.data" -- \
	ip netns exec cli "$CR" client 127.0.0.1 9000 "${TW_PROFILE_CONNS:-6000}" 4
# symbols while the module is still loaded
perf script -i "$T/perf.data" -F comm,ip,sym 2> /dev/null > "$T/stacks"
tw_unload
# a sample: its comm line, then one "\tADDR SYMBOL" line per frame, leaf
# first; blank line after
for root in $roots; do
	awk -v root="$root" 'BEGIN { RS = ""; FS = "\n" }
	{
		tot++
		leaf = $2; sub(/^[ \t]*[0-9a-f]+ /, "", leaf)
		for (i = 2; i <= NF; i++) {
			f = $i; sub(/^[ \t]*[0-9a-f]+ /, "", f)
			if (f == root) { n++; by[leaf]++; break }
		}
	}
	END {
		printf("%s: %d of %d samples (%.2f%%), by leaf:\n", root, n, tot, 100 * n / tot)
		for (k in by)
			printf("%7d %6.2f%% %s\n", by[k], 100 * by[k] / tot, k) | "sort -rn | head -25"
	}' "$T/stacks"
done

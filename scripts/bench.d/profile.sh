#!/bin/bash
# Where tcpwatch's cost goes under the connection-rate workload: kernel
# stacks sampled by bpftrace (perf from Debian 12 does not match 6.12) while
# loopback connections run with the module loaded.  Prints the share of
# samples in each tcpwatch function and in the kprobe machinery.
#   scripts/vm -k KVER -e TW_KO=build/KVER/tcpwatch.ko -- scripts/bench.d/profile.sh
. "$(dirname "$0")/../tests/lib.sh"
set +e
trap - ERR
CR=build/bench/connrate
T=$TW_TMP
netns_pair srv cli 1 2
ip netns exec cli sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
ip netns exec cli $CR server 127.0.0.1 9000 > /dev/null &
sleep 1
tw_load ${TW_PROFILE_PARAMS:-}
bpftrace_start "$T/prof" 'profile:hz:499 { @[kstack(12)] = count(); }
interval:s:5 { printf("--\n"); print(@); }'
ip netns exec cli $CR client 127.0.0.1 9000 "${TW_PROFILE_CONNS:-20000}" 4
sleep 6
bpftrace_stop
# stacks: blocks "@[\n frames...\n]: N"
awk '/^--$/ { delete blk; nb = 0; next }
     /^@\[/ { cur = ""; next }
     /^\]: / { blk[++nb] = cur "\t" $2; next }
     { gsub(/^ +/, ""); cur = cur " " $0 }
     END { for (i = 1; i <= nb; i++) print blk[i] }' "$T/prof" > "$T/stacks"
awk -F'\t' '{ tot += $2; n = split($1, f, " ");
	hit = ""; for (i = 1; i <= n; i++) if (f[i] ~ /^(tcpw_|kprobe|rethook|kretprobe|arch_rethook|pre_handler_kretprobe|__kretprobe)/) { hit = f[i]; sub(/\+.*/, "", hit); break }
	if (hit != "") { by[hit] += $2; any += $2 } }
     END { printf("samples %d, in tcpwatch or kprobes %d (%.1f%%)\n", tot, any, 100 * any / tot);
	   for (k in by) printf("%6d %5.1f%% %s\n", by[k], 100 * by[k] / tot, k) }' "$T/stacks" | sort -rn | head -30
tw_unload

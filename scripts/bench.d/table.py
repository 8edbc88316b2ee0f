#!/usr/bin/env python3
"""Turn scripts/bench.d/guest.sh's RESULT lines into BENCHMARKS.md's table.

  table.py LOG KVER
"""
import os
import sys

r = {}
for line in open(sys.argv[1], errors="replace"):
    f = line.split()
    if len(f) == 3 and f[0] == "RESULT":
        try:
            r[f[1]] = float(f[2])
        except ValueError:
            pass


def g(k):
    return r.get(k)


def ratio(a, b):
    return "%.3f" % (a / b) if a is not None and b else "-"


def num(v, fmt="%.0f"):
    return fmt % v if v is not None else "-"


mode = ("rate and flood under -icount shift=2, scale under plain TCG"
        if os.environ.get("TW_BENCH_ICOUNT", "1") != "0" else "plain TCG")
print("Kernel %s (QEMU TCG, 2 vCPUs; %s), medians of the rounds.\n"
      % (sys.argv[2], mode))
print("| workload | bare | tcpwatch | tcpwatch + reader | bpftrace | tcpwatch / bare | + reader / bare | bpftrace / bare | budget |")
print("|---|---|---|---|---|---|---|---|---|")
for key, name, unit, budget in (
        ("conn_lo", "connections/s, loopback", "%.0f", ">= 0.97, > bpftrace"),
        ("conn_veth", "connections/s, veth", "%.0f", ">= 0.97, > bpftrace"),
        ("bulk", "iperf3 Mbit/s, veth", "%.0f", ">= 0.99")):
    b, m, e, t = (g("%s_%s" % (key, x))
                  for x in ("bare", "module", "reader", "bpftrace"))
    if key == "bulk":
        b, m, e, t = (v / 1e6 if v else v for v in (b, m, e, t))
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        name, num(b, unit), num(m, unit), num(e, unit), num(t, unit),
        ratio(m, b), ratio(e, b), ratio(t, b), budget))
for key, name in (("conn_lo", "loopback"), ("conn_veth", "veth")):
    b, n = g(key + "_bare"), g(key + "_nohs")
    if n is not None:
        print("\ntcpwatch with handshake_probes=0, %s: %s connections/s, %s of bare"
              % (name, num(n), ratio(n, b)))
print()
print("| scale | 10k | 50k | budget |")
print("|---|---|---|---|")
for key, name, fmt, budget in (
        ("tracked", "records (all netns)", "%.0f", ""),
        ("mem_kb", "module memory, KiB (slab + vmalloc freed by rmmod)", "%.0f", ""),
        ("mem_b_per_sock", "bytes per tracked socket", "%.0f", "<= 256"),
        ("slab_obj_b", "record size (slabinfo), bytes", "%.0f", ""),
        ("slab_b_per_rec", "slab page share per record, bytes", "%.0f", ""),
        ("proc_s", "cat /proc/tcpwatch, s", "%.3f", "linear"),
        ("proc_lines", "its lines", "%.0f", ""),
        ("dump_s", "tcpwatch sockets -j (netlink dump, JSON to tmpfs), s, with ip netns exec's start", "%.3f", "< 1 s at 50k"),
        ("dump_rows", "its rows", "%.0f", ""),
        ("dump_table_s", "tcpwatch sockets (table), s, with ip netns exec's start", "%.3f", "< 1 s at 50k"),
        ("dump_empty_s", "dump filtered to no row (walk only), s, with ip netns exec's start", "%.3f", ""),
        ("exec_s", "ip netns exec cli true alone, s (median of 3)", "%.3f", ""),
        ("dump_in_s", "tcpwatch sockets -j run in the netns (no ip netns exec), s (median of 3)", "%.3f", ""),
        ("dump_table_in_s", "tcpwatch sockets (table) run in the netns, s (median of 3)", "%.3f", ""),
        ("dump_empty_in_s", "dump filtered to no row run in the netns, s (median of 3)", "%.3f", ""),
        ("dump_null_in_s", "tcpwatch sockets -j to /dev/null run in the netns, s (median of 3)", "%.3f", "")):
    print("| %s | %s | %s | %s |" % (name, num(g(key + "_10k"), fmt),
                                     num(g(key + "_50k"), fmt), budget))
print("\nHooks called during a tcpwatch iperf3 run (median; transitions,"
      " retransmissions, CA changes, RTO expiries, loss probes): %s"
      % num(g("bulk_hook_calls")))
print("\nHalf-open connections during the 50k point: %s" % num(g("halfopen")))
print()
print("| event flood | value |")
print("|---|---|")
for key, name in (("ev_rate_achieved", "connections/s achieved (loopback)"),
                  ("ev_generated", "state changes generated (netns)"),
                  ("ev_delivered", "state events received by tcpwatch events -j"),
                  ("ev_sent", "events sent (module counter, incl. timewait events)"),
                  ("ev_lost", "events lost (module counter)")):
    print("| %s | %s |" % (name, num(g(key))))

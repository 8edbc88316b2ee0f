#!/usr/bin/env python3
"""Compare the socket table of /proc/tcpwatch with `ss -tan` in this netns.

Prints the rows only one side has and exits 1 if there are any.  Run
inside the netns (ip netns exec NS compare_ss.py).
"""
import subprocess
import sys

SS_STATE = {
    "ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV",
    "FIN-WAIT-1": "FIN_WAIT1", "FIN-WAIT-2": "FIN_WAIT2",
    "TIME-WAIT": "TIME_WAIT", "CLOSE-WAIT": "CLOSE_WAIT",
    "LAST-ACK": "LAST_ACK", "LISTEN": "LISTEN", "CLOSING": "CLOSING",
}


def norm(addr):
    return addr[:-2] + ":0" if addr.endswith(":*") else addr


def ss_rows():
    out = subprocess.run(["ss", "-tanH"], check=True, capture_output=True,
                         text=True).stdout
    rows = set()
    for line in out.splitlines():
        f = line.split()
        rows.add((SS_STATE.get(f[0], f[0]), norm(f[3]), norm(f[4])))
    return rows


def proc_rows(path="/proc/tcpwatch"):
    rows = set()
    section = None
    with open(path) as fh:
        for line in fh:
            if line.startswith("SOCKETS"):
                section = "head"
                continue
            if line.startswith("RECENTLY CLOSED") or not line.strip():
                section = None if section == "rows" else section
                continue
            if section == "head":
                section = "rows"
                continue
            if section == "rows":
                f = line.split()
                rows.add((f[0], f[1], f[2]))
    return rows


def main():
    # two reads of each, so that a socket caught mid-change does not count
    for attempt in range(3):
        a, b = proc_rows(), ss_rows()
        if a == b:
            print("match: %d sockets" % len(a))
            return 0
    for r in sorted(a - b):
        print("only in /proc/tcpwatch:", *r)
    for r in sorted(b - a):
        print("only in ss:", *r)
    return 1


if __name__ == "__main__":
    sys.exit(main())

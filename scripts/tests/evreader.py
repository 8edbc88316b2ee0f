#!/usr/bin/env python3
"""A raw reader of tcpwatch's "events" multicast group, for counting.

  evreader.py [--rcvbuf BYTES] [--broadcast-error] [--pause FILE] --stop FILE

Joins the group in the caller's netns and prints "reader portid P" once it
listens.  While FILE --pause exists it reads nothing, so that its receive
buffer (--rcvbuf, small on purpose) overflows and deliveries fail.  Once
--stop exists it drains what is queued and prints

  received N datagrams G enobufs E drops D kinds KIND:N,...

N: event messages read; G: the datagrams (batches) they came in; E: ENOBUFS
errors recv() returned (the kernel reports an overrun once per congestion
episode); D: every failed delivery of a datagram to this socket as the
kernel counted it (the "Drops" column of /proc/net/netlink), the oracle the
tests compare tcpwatch's "event batches lost" with.
--broadcast-error sets NETLINK_BROADCAST_ERROR: without it the kernel's
netlink_broadcast() returns -ESRCH, not -ENOBUFS, to the sender when the
only listener overflowed.
"""
import argparse
import errno
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlfuzz  # noqa: E402  (GenlSocket, resolve, parse_attrs)

NETLINK_BROADCAST_ERROR = 4
KINDS = ("state", "tw_enter", "tw_exit", "halfopen_end", "synack_retrans",
         "syn_drop", "acceptq_overflow", "retrans", "rto", "ca_state",
         "window")
SOCK_A_EVENT = 19


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rcvbuf", type=int, default=0)
    p.add_argument("--broadcast-error", action="store_true")
    p.add_argument("--pause")
    p.add_argument("--stop", required=True)
    a = p.parse_args()

    sock, res = nlfuzz.open_family("evreader", rcvbuf=a.rcvbuf or (8 << 20))
    if res is None:
        return 1
    family, _, groups = res
    if a.broadcast_error:
        sock.s.setsockopt(nlfuzz.SOL_NETLINK, NETLINK_BROADCAST_ERROR, 1)
    sock.s.setsockopt(nlfuzz.SOL_NETLINK, nlfuzz.NETLINK_ADD_MEMBERSHIP,
                      groups["events"])
    print("reader portid %d rcvbuf %d" % (
        sock.portid, sock.s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)),
        flush=True)

    received = datagrams = enobufs = 0
    kinds = {}
    stopping = None
    while True:
        if a.pause and os.path.exists(a.pause):
            time.sleep(0.05)
            continue
        if stopping is None and os.path.exists(a.stop):
            stopping = time.monotonic()
        try:
            msgs = sock.recv(True, 0.5)
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            enobufs += 1
            continue
        if msgs is None:
            if stopping is not None and time.monotonic() - stopping > 1:
                break
            continue
        datagrams += 1
        for typ, _, _, m in msgs:
            if typ != family or m[16] != nlfuzz.CMD_EVENT:
                continue
            received += 1
            nest = nlfuzz.one(nlfuzz.parse_attrs(m, 20) or {}, nlfuzz.A_SOCK)
            ev = nlfuzz.one(nlfuzz.parse_attrs(nest or b"") or {}, SOCK_A_EVENT)
            k = KINDS[ev[0]] if ev and ev[0] < len(KINDS) else "?"
            kinds[k] = kinds.get(k, 0) + 1
    print("received %d datagrams %d enobufs %d drops %s kinds %s" % (
        received, datagrams, enobufs, kernel_drops(sock.portid),
        ",".join("%s:%d" % kv for kv in sorted(kinds.items())) or "-"))
    return 0


def kernel_drops(portid):
    """The kernel's count of failed deliveries to our socket: the Drops
    column of /proc/net/netlink (sk_drops), read while the socket lives."""
    with open("/proc/self/net/netlink") as f:
        head = f.readline().split()
        for line in f:
            v = line.split()
            if int(v[head.index("Pid")]) == portid and \
                    int(v[head.index("Eth")]) == nlfuzz.NETLINK_GENERIC:
                return int(v[head.index("Drops")])
    return "?"


if __name__ == "__main__":
    sys.exit(main())

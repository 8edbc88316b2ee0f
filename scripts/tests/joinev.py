#!/usr/bin/env python3
"""A new reader's first events: join the events group, then connect at once.

  joinev.py [--announce] ADDR PORT ROUNDS

Each round opens a generic-netlink socket, joins tcpwatch's "events" group
and, with no pause, connects a TCP socket to ADDR PORT.  --announce first
asks for the stats on a second socket, as `tcpwatch events` does after
joining (the module then knows of the reader on any kernel).  It then
reads events for up to 1 s (a batch goes out within a jiffy), looking for
its own socket's CLOSE -> SYN_SENT (by its ports).  Prints "rounds R
missed M": M rounds in which that first event never came.
"""
import errno
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlfuzz  # noqa: E402

# enum tcpwatch_sock_attr (uapi), enum tcpwatch_event, TCP states
SOCK_A_STATE, SOCK_A_SPORT, SOCK_A_DPORT = 4, 7, 8
SOCK_A_EVENT, SOCK_A_OLD_STATE = 19, 21
EV_STATE, TCP_SYN_SENT, TCP_CLOSE = 0, 2, 7


def u(attrs, t, fmt):
    v = nlfuzz.one(attrs, t)
    return struct.unpack(fmt, v[:struct.calcsize(fmt)])[0] if v else None


def saw_syn_sent(sock, family, port, dport, deadline):
    while time.monotonic() < deadline:
        try:
            msgs = sock.recv(True, 0.2)
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            print("joinev: receive buffer overrun", file=sys.stderr)
            continue
        for typ, _, _, m in msgs or ():
            if typ != family or m[16] != nlfuzz.CMD_EVENT:
                continue
            nest = nlfuzz.one(nlfuzz.parse_attrs(m, 20) or {}, nlfuzz.A_SOCK)
            a = nlfuzz.parse_attrs(nest or b"") or {}
            if (u(a, SOCK_A_EVENT, "B") == EV_STATE and
                    u(a, SOCK_A_SPORT, "=H") == port and
                    u(a, SOCK_A_DPORT, "=H") == dport and
                    u(a, SOCK_A_OLD_STATE, "B") == TCP_CLOSE and
                    u(a, SOCK_A_STATE, "B") == TCP_SYN_SENT):
                return True
    return False


def main():
    args = sys.argv[1:]
    announce = args[0] == "--announce"
    if announce:
        args = args[1:]
    addr, port, rounds = args[0], int(args[1]), int(args[2])
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    missed = 0
    for _ in range(rounds):
        sock, res = nlfuzz.open_family("joinev")
        if res is None:
            return 1
        family, _, groups = res
        c = socket.socket(fam, socket.SOCK_STREAM)
        c.bind(("", 0))         # the port is known before the SYN
        mine = c.getsockname()[1]
        sock.s.setsockopt(nlfuzz.SOL_NETLINK, nlfuzz.NETLINK_ADD_MEMBERSHIP,
                          groups["events"])
        if announce:
            s2, _ = nlfuzz.open_family("joinev")
            err = s2.request(family, nlfuzz.CMD_GET_STATS)[0]
            s2.s.close()
            if err:
                print("joinev: stats request: errno %d" % -err, file=sys.stderr)
                return 1
        c.connect((addr, port))
        if not saw_syn_sent(sock, family, mine, port, time.monotonic() + 1):
            missed += 1
        c.close()
        sock.s.close()
    print("rounds %d missed %d" % (rounds, missed), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

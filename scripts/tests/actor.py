#!/usr/bin/env python3
"""A TCP endpoint that drives a socket into a chosen state and holds it.

  actor.py listen ADDR PORT [--backlog N] [--on-accept ACTION] [--count N]
  actor.py connect ADDR PORT [--then ACTION] [--count N] [--nonblock]

ACTION is what to do with each connection once it is up:
  hold      keep it open
  close     close() at once (active close: FIN_WAIT1/2, TIME_WAIT)
  shutdown  shutdown(SHUT_WR) and keep the socket (FIN_WAIT2 that stays)
  eof-close wait for the peer's FIN, then close() (passive close: LAST_ACK)
  eof-hold  wait for the peer's FIN and keep the socket (CLOSE_WAIT)
  wait-shutdown  once ready, wait for the file --go PATH, then shutdown
Prints "ready" on stdout when every connection is up, then sleeps until
killed (or exits after --exit-after seconds).
"""
import argparse
import os
import socket
import sys
import time


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def act(conn, action, go):
    if action == "close":
        conn.close()
    elif action == "shutdown":
        conn.shutdown(socket.SHUT_WR)
    elif action in ("eof-close", "eof-hold"):
        conn.settimeout(60)
        while conn.recv(4096):
            pass
        if action == "eof-close":
            conn.close()
    elif action == "wait-shutdown":
        return conn                     # done after "ready", see main()
    return None


def wait_shutdown(conn, go):
    while not os.path.exists(go):
        time.sleep(0.05)
    conn.shutdown(socket.SHUT_WR)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["listen", "connect"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--backlog", type=int, default=128)
    p.add_argument("--on-accept", default="hold")
    p.add_argument("--then", default="hold")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--nonblock", action="store_true")
    p.add_argument("--go", default="")
    p.add_argument("--exit-after", type=float, default=3600)
    a = p.parse_args()

    keep = []
    later = []
    fam = family_of(a.addr)
    if a.mode == "listen":
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a.addr, a.port))
        s.listen(a.backlog)
        keep.append(s)
        print("listening", flush=True)
        if a.on_accept != "none":
            for _ in range(a.count):
                c, _ = s.accept()
                keep.append(c)
                if act(c, a.on_accept, a.go):
                    wait_shutdown(c, a.go)
    else:
        for _ in range(a.count):
            c = socket.socket(fam, socket.SOCK_STREAM)
            keep.append(c)
            if a.nonblock:
                c.setblocking(False)
                c.connect_ex((a.addr, a.port))
                continue
            c.connect((a.addr, a.port))
            if act(c, a.then, a.go):
                later.append(c)
    print("ready", flush=True)
    for c in later:
        wait_shutdown(c, a.go)
    time.sleep(a.exit_after)
    return 0


if __name__ == "__main__":
    sys.exit(main())

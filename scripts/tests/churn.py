#!/usr/bin/env python3
"""Short TCP connections: connect, send a byte, close.

  churn.py server ADDR PORT           accept forever; read to EOF, close
  churn.py client ADDR PORT N [-j K]  N connections, K at a time
The client prints "done N" with the number that completed.
"""
import socket
import sys
import threading


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(addr, port):
    s = socket.socket(family_of(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1024)
    print("listening", flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=drain, args=(c,), daemon=True).start()


def drain(c):
    try:
        while c.recv(4096):
            pass
    finally:
        c.close()


def client(addr, port, n, jobs):
    done = [0]
    lock = threading.Lock()
    per = [n // jobs + (1 if i < n % jobs else 0) for i in range(jobs)]

    def run(k):
        for _ in range(k):
            c = socket.create_connection((addr, port), timeout=30)
            c.sendall(b"x")
            c.close()
            with lock:
                done[0] += 1

    ts = [threading.Thread(target=run, args=(k,)) for k in per]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("done", done[0], flush=True)
    return 0 if done[0] == n else 1


def main():
    if sys.argv[1] == "server":
        serve(sys.argv[2], int(sys.argv[3]))
        return 0
    jobs = 1
    if len(sys.argv) > 6 and sys.argv[5] == "-j":
        jobs = int(sys.argv[6])
    return client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), jobs)


if __name__ == "__main__":
    sys.exit(main())

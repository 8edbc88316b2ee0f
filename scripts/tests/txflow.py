#!/usr/bin/env python3
"""Raw netlink views of tcpwatch's timers and windows, for the tests, and
the bulk flows they watch.  Independent of the CLI on purpose: the tests
check the module's numbers, not their formatting.

  txflow.py dump [--port P]      GET_SOCKETS: one JSON object per socket,
                                 attribute names from the uapi header
  txflow.py events --stop FILE   the "events" group: one JSON object per
                                 event until FILE exists
  txflow.py winlog [--port P] [--addr A] [--interval MS]
                                 SET_WINLOG; no port/addr clears; prints
                                 "winlog 0" or "winlog -EPERM" ...
  txflow.py sink ADDR PORT [--pause FILE]
                                 accept one connection, read it to EOF;
                                 while FILE exists, read nothing
  txflow.py send ADDR PORT BYTES [--hold FILE [--then BYTES2]]
                                 connect, send BYTES ("sent N"), keep the
                                 socket open (quiet) while FILE exists,
                                 then send BYTES2 and wait for the
                                 connection to fail ("dead ERRNO")

Prints "ready" once listening or subscribed.
"""
import argparse
import errno
import ipaddress
import json
import os
import re
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlfuzz  # noqa: E402  (GenlSocket, resolve, parse_attrs, nla)

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
HDR = open(os.path.join(TOP, "include/uapi/linux/tcpwatch.h")).read()


def enum(name, prefix):
    """{value: lowercase name without prefix} of a uapi enum."""
    body = re.search(r"enum %s \{(.*?)\};" % name, HDR, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    out, v = {}, 0
    for item in (i.strip() for i in body.split(",")):
        if not item:
            continue
        if "=" in item:
            item, e = (x.strip() for x in item.split("="))
            v = int(e)
        out[v] = item[len(prefix):].lower()
        v += 1
    return out


CMD = {n: v for v, n in enum("tcpwatch_cmd", "TCPWATCH_CMD_").items()}
TOPA = {n: v for v, n in enum("tcpwatch_attr", "TCPWATCH_A_").items()}
SOCK = enum("tcpwatch_sock_attr", "TCPWATCH_SOCK_A_")
EVENTS = enum("tcpwatch_event", "TCPWATCH_EV_")
U8 = {"family", "state", "tracked", "since_load", "timewait", "event",
      "old_state", "outcome", "synack_retrans", "timer", "backoff",
      "retransmits", "probes", "snd_wscale", "rcv_wscale", "ca_state",
      "retrans_cause", "old_ca_state"}
U16 = {"sport", "dport"}
U64 = {"id", "in_state_ns", "lifetime_ns", "timer_ns", "time_ns",
       "old_state_ns"}


# struct tcpwatch_live (dumps: a full socket's timers and windows)
LIVE = ("timer_ns", "rto_us", "total_retrans", "cwnd", "ssthresh", "snd_wnd",
        "rcv_wnd", "mss", "inflight", "unacked", "srtt_us", "rttvar_us",
        "timer", "backoff", "retransmits", "probes", "ca_state", "snd_wscale",
        "rcv_wscale")
LIVE_FMT = "=Q11I7B5x"


def decode_live(v):
    """The fields as the attributes they stand for would give them."""
    out = dict(zip(LIVE, struct.unpack_from(LIVE_FMT, v)))
    if out["timer"] == 0:           # TCPWATCH_TIMER_NONE: no timer_ns
        del out["timer_ns"]
    return out


def decode_sock(payload):
    out = {}
    for t, vals in (nlfuzz.parse_attrs(payload) or {}).items():
        name, v = SOCK.get(t, str(t)), vals[0]
        if name in U8:
            out[name] = v[0]
        elif name in U16:
            out[name] = struct.unpack("=H", v[:2])[0]
        elif name in U64:
            out[name] = struct.unpack("=Q", v[:8])[0]
        elif name in ("saddr", "daddr"):
            out[name] = str(ipaddress.ip_address(v))
        elif name in ("comm", "cc"):
            out[name] = v.rstrip(b"\0").decode()
        elif name == "retrans":
            out[name] = list(struct.unpack("=%dI" % (len(v) // 4), v))
        elif name == "state_time":
            continue
        elif name == "live":
            out.update(decode_live(v))
        elif len(v) == 4:
            out[name] = struct.unpack("=I", v)[0]
        else:
            out[name] = v.hex()
    if "event" in out:
        out["event"] = EVENTS.get(out["event"], out["event"])
    return out


def sock_nest(msg):
    a = nlfuzz.parse_attrs(msg, 20) or {}
    v = a.get(TOPA["sock"])
    return decode_sock(v[0]) if v else None


def open_family():
    s = nlfuzz.GenlSocket()
    res = nlfuzz.resolve(s)
    if res is None:
        sys.exit("txflow: the tcpwatch family is not registered")
    return s, res


def cmd_dump(a):
    s, (fid, _, _) = open_family()
    attrs = nlfuzz.nla(TOPA["filter_port"], struct.pack("=H", a.port)) \
        if a.port else b""
    e, data, _ = s.request(fid, CMD["get_sockets"], attrs,
                           flags=nlfuzz.NLM_F_REQUEST | nlfuzz.NLM_F_DUMP)
    if e:
        sys.exit("txflow: dump failed: %s" % nlfuzz.errname(-e))
    for m in data:
        d = sock_nest(m)
        if d is not None:
            print(json.dumps(d, sort_keys=True))


def cmd_events(a):
    s, (_, _, groups) = open_family()
    s.s.setsockopt(nlfuzz.SOL_NETLINK, nlfuzz.NETLINK_ADD_MEMBERSHIP,
                   groups["events"])
    print("ready", file=sys.stderr, flush=True)
    quiet_since = None
    while True:
        msgs = s.recv(True, 0.3)
        if msgs:
            for _, _, _, m in msgs:
                d = sock_nest(m)
                if d is not None:
                    print(json.dumps(d, sort_keys=True), flush=True)
            continue
        if os.path.exists(a.stop):
            if quiet_since and time.monotonic() - quiet_since > 1:
                return
            quiet_since = quiet_since or time.monotonic()


def cmd_winlog(a):
    s, (fid, _, _) = open_family()
    attrs = b""
    if a.port:
        attrs += nlfuzz.nla(TOPA["filter_port"], struct.pack("=H", a.port))
    if a.addr:
        attrs += nlfuzz.nla(TOPA["filter_addr"],
                            ipaddress.ip_address(a.addr).packed)
    if a.interval is not None:
        attrs += nlfuzz.nla(TOPA["winlog_interval_ms"],
                            struct.pack("=I", a.interval))
    e, _, _ = s.request(fid, CMD["set_winlog"], attrs)
    print("winlog %s" % (nlfuzz.errname(-e) if e else "0"))
    return 1 if e else 0


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def cmd_sink(a):
    ls = socket.socket(family_of(a.addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(1)
    print("ready", flush=True)
    c, _ = ls.accept()
    n = 0
    while True:
        if a.pause and os.path.exists(a.pause):
            time.sleep(0.05)
            continue
        b = c.recv(1 << 16)
        if not b:
            break
        n += len(b)
    print("received %d" % n, flush=True)


def cmd_send(a):
    c = socket.create_connection((a.addr, a.port))
    print("ready", flush=True)
    buf = b"x" * (1 << 16)
    left = a.bytes
    while left > 0:
        left -= c.send(buf[:min(left, len(buf))])
    print("sent %d" % a.bytes, flush=True)
    while a.hold and os.path.exists(a.hold):
        time.sleep(0.1)
    if a.then:
        try:
            c.send(buf[:a.then])
            c.recv(1)
        except OSError as e:
            print("dead %s" % errno.errorcode.get(e.errno, e.errno),
                  flush=True)
    c.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--port", type=int, default=0)
    e = sub.add_parser("events")
    e.add_argument("--stop", required=True)
    w = sub.add_parser("winlog")
    w.add_argument("--port", type=int, default=0)
    w.add_argument("--addr")
    w.add_argument("--interval", type=int)
    k = sub.add_parser("sink")
    k.add_argument("addr")
    k.add_argument("port", type=int)
    k.add_argument("--pause")
    n = sub.add_parser("send")
    n.add_argument("addr")
    n.add_argument("port", type=int)
    n.add_argument("bytes", type=int)
    n.add_argument("--hold")
    n.add_argument("--then", type=int, default=0)
    a = p.parse_args()
    return {"dump": cmd_dump, "events": cmd_events, "winlog": cmd_winlog,
            "sink": cmd_sink, "send": cmd_send}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())

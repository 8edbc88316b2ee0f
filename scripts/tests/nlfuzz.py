#!/usr/bin/env python3
"""A raw generic netlink client that fuzzes the tcpwatch family.

  nlfuzz.py check                 specific malformed requests, exact errnos
  nlfuzz.py fuzz [-n N] [--seed S] [--batch B]
                                  N (100000) seeded random messages, batched
  nlfuzz.py stats                 one valid GET_STATS; prints ABI and netns
  nlfuzz.py winlog [--port P]     SET_WINLOG (admin only); prints its errno
  nlfuzz.py hammer [--dumps]      until SIGTERM: valid requests at the family
                                  as it comes and goes (insmod/rmmod cycles),
                                  and at the id it will likely get next

No libraries: socket.AF_NETLINK, struct, and a model of how the kernel's
netlink core (netlink_rcv_skb, genl_rcv_msg, the strict attribute
validation of lib/nlattr.c) must answer each message, given tcpwatch's
policy (include/uapi/linux/tcpwatch.h, module/genl.c):

  FILTER_STATES  NLA_POLICY_MASK(NLA_U32, GENMASK(12, 1))
  FILTER_PORT    NLA_U16
  FILTER_ADDR    NLA_BINARY, at most 16 bytes
  WINLOG_INTERVAL_MS  NLA_U32
  other types    no policy (NLA_UNSPEC): rejected by strict validation
  GET_STATS      do only;  GET_SOCKETS, GET_CLOSED, GET_LISTENERS,
                 GET_HALFOPEN  dump only;  every other command: EOPNOTSUPP
  SET_WINLOG     do only, admin: the last FILTER_ADDR must be 4 or 16
                 bytes, the last WINLOG_INTERVAL_MS at most 60000 (EINVAL
                 with an extack message), then it is ACKed

Every reply is checked against the model: its errno, the extended ACK
message and the offset of the bad attribute, the echoed request (capped or
not), the data of valid requests (one GET_STATS reply; dump messages that
match the request's filters, then NLMSG_DONE), and that nothing is missing
or extra.  Exit status 0 when all matched, 1 otherwise.
"""
import argparse
import errno
import os
import random
import re
import signal
import socket
import struct
import sys
import time

# netlink
NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN = 1, 2, 3, 4
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO = 0x1, 0x2, 0x4, 0x8
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP = 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
SOL_NETLINK = 270
NETLINK_GENERIC = 16           # the socket module lacks these
SO_SNDBUFFORCE, SO_RCVBUFFORCE = 32, 33
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK = 10, 11, 12
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
NLA_TYPE_MASK = 0x3FFF
GENL_ID_CTRL = 0x10
CTRL_CMD_NEWFAMILY, CTRL_CMD_DELFAMILY, CTRL_CMD_GETFAMILY = 1, 2, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_VERSION = 1, 2, 3
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2

# tcpwatch (include/uapi/linux/tcpwatch.h)
GENL_VERSION = 2                # TCPWATCH_GENL_VERSION
CMD_GET_STATS, CMD_GET_SOCKETS, CMD_EVENT, CMD_GET_CLOSED = 1, 2, 3, 4
CMD_GET_LISTENERS, CMD_GET_HALFOPEN, CMD_SET_WINLOG = 5, 6, 7
DO_CMDS = {CMD_GET_STATS}
DUMP_CMDS = {CMD_GET_SOCKETS, CMD_GET_CLOSED, CMD_GET_LISTENERS,
             CMD_GET_HALFOPEN}
A_VERSION, A_ABI, A_STATS, A_SOCK = 2, 3, 4, 5
A_FILTER_STATES, A_FILTER_PORT, A_LISTENER, A_HALFOPEN = 6, 7, 8, 9
A_FILTER_ADDR, A_WINLOG_INTERVAL_MS = 10, 11
A_MAX = 11
FIXED_LEN = {A_FILTER_STATES: 4, A_FILTER_PORT: 2, A_WINLOG_INTERVAL_MS: 4}
STATS_A_WINLOG_PORT = 34
STATES_MASK = 0x1FFE            # GENMASK(12, 1)
SOCK_A_FAMILY, SOCK_A_STATE, SOCK_A_SADDR = 3, 4, 5
SOCK_A_SPORT, SOCK_A_DPORT, SOCK_A_OLD_STATE = 7, 8, 22
LISTENER_A_PORT = 4
HALFOPEN_A_LPORT, HALFOPEN_A_RPORT = 4, 6
DUMP_NEST = {CMD_GET_SOCKETS: A_SOCK, CMD_GET_CLOSED: A_SOCK,
             CMD_GET_LISTENERS: A_LISTENER, CMD_GET_HALFOPEN: A_HALFOPEN}

MSG_UNKNOWN = "Unknown attribute type"
MSG_LEN = "invalid attribute length"
MSG_NESTED = "NLA_F_NESTED not expected"
MSG_UNSUP = "Unsupported attribute"
MSG_MASK = "reserved bit set"
MSG_LEFTOVER = "bytes leftover after parsing attributes"
MSG_RESERVED = "genlmsghdr.reserved field is not 0"
MSG_FLAGS = "ambiguous or reserved bits set in nlmsg_flags"
MSG_POLICY = "Attribute failed policy validation"
MSG_WL_ADDR = "address must be 4 (IPv4) or 16 (IPv6) bytes"
MSG_WL_INTERVAL = "interval must be 0 to 60000 ms"

_hdr = struct.Struct("=IHHII")
_ghdr = struct.Struct("=BBH")
_nla = struct.Struct("=HH")
_u32 = struct.Struct("=I")
_i32 = struct.Struct("=i")


def align4(n):
    return (n + 3) & ~3


def nla(atype, payload):
    """One attribute, padded to 4 bytes."""
    n = 4 + len(payload)
    return _nla.pack(n, atype) + payload + b"\0" * (align4(n) - n)


def nla_raw(nla_len, atype, payload):
    """An attribute whose header says nla_len, whatever the payload."""
    return _nla.pack(nla_len & 0xFFFF, atype & 0xFFFF) + payload


def parse_attrs(buf, off=0, end=None):
    """{type: payload} of a well-formed chain, or None if malformed."""
    if end is None:
        end = len(buf)
    out = {}
    while end - off >= 4:
        n, t = _nla.unpack_from(buf, off)
        if n < 4 or off + n > end:
            return None
        out.setdefault(t & NLA_TYPE_MASK, []).append(bytes(buf[off + 4:off + n]))
        off += align4(n)
    if off < end:
        return None
    return out


def one(attrs, t):
    v = attrs.get(t)
    return v[0] if v else None


# ------------------------------------------------------------------ model

def validate_attrs(payload, base):
    """What tcpwatch's policy, strictly validated, says of a payload.

    Returns None when valid, else (errno, extack message, offset of the
    bad attribute from the start of the nlmsghdr, or None)."""
    rem = len(payload)
    pos = 0
    while rem >= 4:
        n, raw = _nla.unpack_from(payload, pos)
        if n < 4 or n > rem:
            break
        t = raw & NLA_TYPE_MASK
        off = base + pos
        if t == 0 or t > A_MAX:
            return (errno.EINVAL, MSG_UNKNOWN, off)
        alen = n - 4
        if t in FIXED_LEN and alen != FIXED_LEN[t]:
            return (errno.EINVAL, MSG_LEN, off)
        if t in FIXED_LEN or t == A_FILTER_ADDR:
            if raw & NLA_F_NESTED:
                return (errno.EINVAL, MSG_NESTED, off)
        else:
            return (errno.EINVAL, MSG_UNSUP, off)
        if t == A_FILTER_STATES:
            v = _u32.unpack_from(payload, pos + 4)[0]
            if v & ~STATES_MASK:
                return (errno.EINVAL, MSG_MASK, off)
        if t == A_FILTER_ADDR and alen > 16:
            return (errno.ERANGE, MSG_POLICY, off)
        step = align4(n)
        pos += step
        rem -= step
    if rem > 0:
        return (errno.EINVAL, MSG_LEFTOVER, None)
    return None


def filters_of(payload):
    """The filters a valid payload sets (the last of each type wins)."""
    states = port = 0
    a = parse_attrs(payload) or {}
    if A_FILTER_STATES in a:
        states = _u32.unpack(a[A_FILTER_STATES][-1][:4])[0]
    if A_FILTER_PORT in a:
        port = struct.unpack("=H", a[A_FILTER_PORT][-1][:2])[0]
    return states, port


class Req:
    """One message sent, and what the kernel must answer to it."""
    __slots__ = ("kind", "seq", "flags", "cmd", "raw", "expect", "err",
                 "msg", "offs", "ack", "states", "port", "dumpish",
                 "after_dump",
                 "done", "ndata", "acked", "errno_got")

    def __init__(self, kind, seq, raw):
        self.kind = kind
        self.seq = seq
        self.raw = raw          # the message's nlmsg_len bytes
        self.done = False
        self.ndata = 0
        self.acked = False
        self.errno_got = None
        self.err = self.msg = self.offs = None
        self.dumpish = False    # reaches netlink_dump_start()
        self.after_dump = False # ... after a valid dump of its batch
        self.states = self.port = 0


# Linux 6.1 made generic netlink refuse a non-zero genlmsghdr.reserved and
# nlmsg_flags bits a request cannot mean (for families that do not opt out
# with resv_start_op, as tcpwatch does not); older kernels ignore both.
GENL_STRICT = tuple(int(x) for x in
                    re.match(r"(\d+)\.(\d+)", os.uname().release).groups()) >= (6, 1)

# SET_WINLOG came with issue #4; a module without it answers EOPNOTSUPP
# (found by probing, probe_winlog()).
WINLOG = True


def check_uapi():
    """The model's numbers against include/uapi/linux/tcpwatch.h."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "../../include/uapi/linux/tcpwatch.h")
    try:
        text = open(path).read()
    except OSError:
        return True
    ok = True
    for enum, last, want in (("tcpwatch_attr", "__TCPWATCH_A_MAX", A_MAX),
                             ("tcpwatch_cmd", "__TCPWATCH_CMD_MAX",
                              CMD_SET_WINLOG)):
        m = re.search(r"enum %s \{(.*?)\};" % enum, text, re.S)
        names = re.findall(r"^\s*(TCPWATCH_\w+|__TCPWATCH_\w+),", m.group(1),
                           re.M) if m else []
        if last not in names or names.index(last) - 1 != want:
            print("nlfuzz: the model knows enum %s up to %d, the uapi header "
                  "has %s: update nlfuzz.py" % (enum, want,
                                               names.index(last) - 1
                                               if last in names else "?"),
                  file=sys.stderr)
            ok = False
    m = re.search(r"#define TCPWATCH_GENL_VERSION\s+(\d+)", text)
    if not m or int(m.group(1)) != GENL_VERSION:
        print("nlfuzz: the model knows family version %d, the uapi header "
              "has %s: update nlfuzz.py" % (GENL_VERSION,
                                           m.group(1) if m else "?"),
              file=sys.stderr)
        ok = False
    return ok


def probe_winlog(sock, family):
    """Does the module implement SET_WINLOG?  (Root clears the filter of
    its own netns, which is the default anyway.)"""
    global WINLOG
    e, _, _ = sock.request(family, CMD_SET_WINLOG)
    WINLOG = e != errno.EOPNOTSUPP
    return WINLOG


def predict(r, family):
    """Fill r.expect: none | ack0 | err | do | dump, from r.raw."""
    n, typ, flags, _, _ = _hdr.unpack_from(r.raw)
    r.flags = flags
    r.ack = bool(flags & NLM_F_ACK)
    r.cmd = r.raw[16] if len(r.raw) > 16 else None
    if not flags & NLM_F_REQUEST:
        r.expect = "ack0" if r.ack else "none"
        return
    if typ < 0x10:
        r.expect = "ack0" if r.ack else "none"
        return
    assert typ == family
    if n < 20:
        r.expect, r.err = "err", errno.EINVAL
        return
    _, _, reserved = _ghdr.unpack_from(r.raw, 16)
    if reserved and GENL_STRICT:
        r.expect, r.err, r.msg = "err", errno.EINVAL, MSG_RESERVED
        return
    dump = flags & NLM_F_DUMP == NLM_F_DUMP
    f = flags & ~NLM_F_DUMP if dump else flags
    if GENL_STRICT and f & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO):
        r.expect, r.err, r.msg = "err", errno.EINVAL, MSG_FLAGS
        return
    do_cmds = DO_CMDS | ({CMD_SET_WINLOG} if WINLOG else set())
    if r.cmd not in (DUMP_CMDS if dump else do_cmds):
        r.expect, r.err = "err", errno.EOPNOTSUPP
        return
    # A dump's attributes are validated in netlink_dump_start(), after its
    # check that no other dump runs on the socket (-EBUSY).
    r.dumpish = dump
    payload = r.raw[20:n]
    bad = validate_attrs(payload, 20)
    if bad:
        r.expect = "err"
        r.err, r.msg, r.offs = bad
        return
    if r.cmd == CMD_SET_WINLOG:
        bad = winlog_check(payload, 20)
        if bad:
            r.expect = "err"
            r.err, r.msg, r.offs = bad
        else:
            r.expect = "ack0" if r.ack else "none"
        return
    r.expect = "dump" if dump else "do"
    r.states, r.port = filters_of(payload)


def winlog_check(payload, base):
    """SET_WINLOG's own checks of a valid payload: the last FILTER_ADDR
    (4 or 16 bytes), then the last WINLOG_INTERVAL_MS (<= 60000)."""
    last = {}
    pos = 0
    while len(payload) - pos >= 4:
        n, t = _nla.unpack_from(payload, pos)
        last[t & NLA_TYPE_MASK] = (pos, n - 4)
        pos += align4(n)
    if A_FILTER_ADDR in last and last[A_FILTER_ADDR][1] not in (4, 16):
        return (errno.EINVAL, MSG_WL_ADDR, base + last[A_FILTER_ADDR][0])
    if A_WINLOG_INTERVAL_MS in last:
        p = last[A_WINLOG_INTERVAL_MS][0]
        if _u32.unpack_from(payload, p + 4)[0] > 60000:
            return (errno.EINVAL, MSG_WL_INTERVAL, base + p)
    return None


# ------------------------------------------------------------- the socket

class GenlSocket:
    def __init__(self, rcvbuf=16 << 20, ext_ack=True):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        for opt, val in ((SO_RCVBUFFORCE, rcvbuf),
                         (SO_SNDBUFFORCE, 4 << 20)):
            try:
                self.s.setsockopt(socket.SOL_SOCKET, opt, val)
            except PermissionError:
                pass
        self.s.bind((0, 0))
        self.portid = self.s.getsockname()[0]
        self.ext_ack = False
        if ext_ack:
            try:
                self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
                self.ext_ack = True
            except OSError:
                pass
        self.capped = False
        self.buf = bytearray(1 << 20)
        self.seq = random.randrange(1 << 30)

    def cap_ack(self, on):
        if on != self.capped:
            self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1 if on else 0)
            self.capped = on

    def next_seq(self):
        self.seq = (self.seq + 1) & 0xFFFFFFFF
        return self.seq

    def recv(self, block, timeout=5.0):
        """One datagram as a list of (type, flags, seq, msg bytes)."""
        if block:
            self.s.settimeout(timeout)
        else:
            self.s.setblocking(False)
        try:
            n = self.s.recv_into(self.buf)
        except (BlockingIOError, socket.timeout):
            return None
        out = []
        off = 0
        mv = memoryview(self.buf)
        while n - off >= 16:
            ln, typ, fl, seq, _ = _hdr.unpack_from(self.buf, off)
            if ln < 16 or off + ln > n:
                raise RuntimeError("malformed datagram from the kernel")
            out.append((typ, fl, seq, bytes(mv[off:off + ln])))
            off += align4(ln)
        return out

    def request(self, typ, cmd, attrs=b"", flags=NLM_F_REQUEST | NLM_F_ACK,
                version=1):
        """Send one request, return (errno or 0, [data msgs], extack dict)."""
        seq = self.next_seq()
        body = _ghdr.pack(cmd, version, 0) + attrs
        self.s.send(_hdr.pack(16 + len(body), typ, flags, seq, 0) + body)
        data = []
        while True:
            msgs = self.recv(True)
            if msgs is None:
                raise RuntimeError("no reply to request")
            for typ_, fl, s, m in msgs:
                if s != seq:
                    continue
                if typ_ == NLMSG_ERROR:
                    e, ext = parse_error(m)
                    return -e, data, ext
                if typ_ == NLMSG_DONE:
                    return 0, data, {}
                data.append(m)
                if not flags & (NLM_F_ACK | NLM_F_DUMP):
                    return 0, data, {}


def parse_error(m):
    """(error, {NLMSGERR_ATTR_*: payload}) of an NLMSG_ERROR message."""
    _, _, fl, _, _ = _hdr.unpack_from(m)
    e = _i32.unpack_from(m, 16)[0]
    ext = {}
    if fl & NLM_F_ACK_TLVS:
        if fl & NLM_F_CAPPED:
            start = 20 + 16
        else:
            start = 20 + align4(_hdr.unpack_from(m, 20)[0])
        a = parse_attrs(m, start)
        if a is not None:
            ext = {k: v[0] for k, v in a.items()}
        else:
            ext = {"malformed": True}
    return e, ext


def errname(e):
    """-EINVAL for 22 (EOPNOTSUPP, not its alias ENOTSUP)."""
    if e == errno.EOPNOTSUPP:
        return "-EOPNOTSUPP"
    return "-" + errno.errorcode.get(e, str(e))


def ext_msg(ext):
    m = ext.get(NLMSGERR_ATTR_MSG)
    return m.rstrip(b"\0").decode(errors="replace") if m is not None else None


def resolve(sock, name="tcpwatch"):
    """(family id, version, {mcast group: id}), or None if not registered."""
    e, data, _ = sock.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                              nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
    if e == errno.ENOENT:
        return None
    if e:
        raise OSError(e, "CTRL_CMD_GETFAMILY %s" % name)
    a = parse_attrs(data[0], 20)
    fid = struct.unpack("=H", one(a, CTRL_ATTR_FAMILY_ID)[:2])[0]
    ver = _u32.unpack(one(a, CTRL_ATTR_VERSION)[:4])[0]
    groups = {}
    g = one(a, CTRL_ATTR_MCAST_GROUPS)
    for grp in (parse_attrs(g) or {}).values() if g else ():
        for gg in grp:
            ga = parse_attrs(gg) or {}
            if CTRL_ATTR_MCAST_GRP_NAME in ga:
                groups[one(ga, CTRL_ATTR_MCAST_GRP_NAME).rstrip(b"\0").decode()] = \
                    _u32.unpack(one(ga, CTRL_ATTR_MCAST_GRP_ID)[:4])[0]
    return fid, ver, groups


def open_family(who, **kw):
    """(GenlSocket, resolve()'s answer); says so when the family is absent."""
    sock = GenlSocket(**kw)
    res = resolve(sock)
    if res is None:
        print("%s: the tcpwatch family is not registered" % who, file=sys.stderr)
    return sock, res


# -------------------------------------------------------- checking replies

class Checker:
    def __init__(self, verbose=2):
        self.problems = 0
        self.verbose = verbose
        self.hist = {}          # outcome -> count
        self.kinds = {}         # kind -> {outcome: count}
        self.extack_msgs = {}   # extack text -> count
        self.rows = 0
        self.dump_intr = 0

    def problem(self, r, what):
        self.problems += 1
        if self.problems <= 30:
            desc = "kind=%s seq=%s" % (r.kind, r.seq) if r else "no request"
            hexs = r.raw[:96].hex() if r else ""
            print("MISMATCH %s: %s\n  request (first 96 bytes): %s"
                  % (desc, what, hexs), file=sys.stderr)

    def count(self, r, outcome):
        self.hist[outcome] = self.hist.get(outcome, 0) + 1
        k = self.kinds.setdefault(r.kind, {})
        k[outcome] = k.get(outcome, 0) + 1

    def on_error(self, r, m, fl, sock):
        e, ext = parse_error(m)
        if r.done:
            return self.problem(r, "NLMSG_ERROR %d after the reply ended" % e)
        if e > 0:
            return self.problem(r, "positive error %d" % e)
        # the echoed request
        if e == 0 or sock.capped:
            if not fl & NLM_F_CAPPED:
                self.problem(r, "ack not capped")
            if m[20:36] != r.raw[:16]:
                self.problem(r, "echoed header differs")
        else:
            if m[20:20 + len(r.raw)] != r.raw:
                self.problem(r, "echoed request differs")
        if "malformed" in ext:
            self.problem(r, "malformed extack TLVs")
        if e == 0:
            ok = (r.expect == "ack0" or
                  (r.expect == "do" and r.ack and r.ndata == 1))
            if not ok:
                self.problem(r, "ACK, expected %s (err %s, %s)"
                             % (r.expect, r.err, r.msg))
            r.done = True
            r.acked = True
            self.count(r, "ack" if r.expect == "ack0" else "ok-do")
            return
        e = -e
        r.done = True
        r.errno_got = e
        name = errname(e)
        self.count(r, name)
        text = ext_msg(ext)
        if text:
            self.extack_msgs[text] = self.extack_msgs.get(text, 0) + 1
        if r.dumpish and e == errno.EBUSY and r.after_dump:
            return              # a dump of the same batch still runs
        if r.expect != "err" or e != r.err:
            return self.problem(r, "got %s (%s), expected %s %s"
                                % (name, text, r.expect,
                                   errname(r.err) if r.err else ""))
        if not sock.ext_ack:
            return
        if r.msg and text != r.msg:
            self.problem(r, "extack message %r, expected %r" % (text, r.msg))
        if not r.msg and text:
            self.problem(r, "unexpected extack message %r" % text)
        offs = ext.get(NLMSGERR_ATTR_OFFS)
        offs = _u32.unpack(offs[:4])[0] if offs else None
        if offs != r.offs:
            self.problem(r, "extack offset %s, expected %s" % (offs, r.offs))

    def on_done(self, r, m):
        if r.expect != "dump" or r.done:
            return self.problem(r, "NLMSG_DONE, expected %s" % r.expect)
        if len(m) < 20 or _i32.unpack_from(m, 16)[0] != 0:
            self.problem(r, "NLMSG_DONE with an error")
        r.done = True
        self.count(r, "ok-dump")

    def on_data(self, r, m, fl, family):
        if r.done:
            return self.problem(r, "data after the reply ended")
        cmd = m[16]
        a = parse_attrs(m, 20)
        if a is None:
            return self.problem(r, "malformed attributes in a reply")
        if r.expect == "do":
            if r.ndata:
                return self.problem(r, "two replies to a do")
            r.ndata = 1
            if cmd != CMD_GET_STATS or A_STATS not in a or A_ABI not in a:
                self.problem(r, "GET_STATS reply lacks STATS or ABI")
            if not r.ack:
                r.done = True
                self.count(r, "ok-do")
            return
        if r.expect != "dump":
            return self.problem(r, "data message, expected %s (err %s)"
                                % (r.expect, r.err))
        r.ndata += 1
        if fl & NLM_F_DUMP_INTR:
            self.dump_intr += 1
        if not fl & NLM_F_MULTI or cmd != r.cmd:
            self.problem(r, "dump message: flags %#x cmd %d" % (fl, cmd))
        nest = one(a, DUMP_NEST[r.cmd])
        if nest is None:
            return self.problem(r, "dump message without its nest")
        n = parse_attrs(nest)
        if n is None:
            return self.problem(r, "malformed nest in a dump message")
        self.rows += 1
        self.check_filters(r, n)

    def check_filters(self, r, n):
        def u16(t):
            v = one(n, t)
            return struct.unpack("=H", v[:2])[0] if v else None

        if r.cmd in (CMD_GET_SOCKETS, CMD_GET_CLOSED):
            fam = one(n, SOCK_A_FAMILY)
            sa = one(n, SOCK_A_SADDR)
            if not fam or fam[0] not in (2, 10) or sa is None or \
                    len(sa) != (4 if fam[0] == 2 else 16):
                return self.problem(r, "bad family/address in a socket")
            st = one(n, SOCK_A_STATE)
            st = st[0] if st else None
            if r.cmd == CMD_GET_CLOSED:
                old = one(n, SOCK_A_OLD_STATE)
                if st == 7 and old and old[0]:
                    st = old[0]
            if r.states and st is not None and st != 7 and \
                    not r.states & (1 << st):
                self.problem(r, "state %d outside filter %#x" % (st, r.states))
            if r.port and r.port not in (u16(SOCK_A_SPORT), u16(SOCK_A_DPORT)):
                self.problem(r, "port filter %d not matched" % r.port)
        elif r.cmd == CMD_GET_LISTENERS:
            if r.port and u16(LISTENER_A_PORT) != r.port:
                self.problem(r, "listener port filter %d not matched" % r.port)
        elif r.cmd == CMD_GET_HALFOPEN:
            if r.port and r.port not in (u16(HALFOPEN_A_LPORT),
                                         u16(HALFOPEN_A_RPORT)):
                self.problem(r, "half-open port filter %d not matched" % r.port)

    def finish(self, r):
        """After the batch's replies: was anything missing?"""
        if r.expect in ("none", "dropped"):
            self.count(r, r.expect)
            return
        if not r.done:
            self.problem(r, "no (complete) reply; expected %s err %s"
                         % (r.expect, r.err))


def exchange(sock, buf, reqs, checker, family):
    """Send one batch, read every reply, check it."""
    sock.s.send(buf)
    byseq = {r.seq: r for r in reqs}
    pending = [r for r in reqs if r.expect not in ("none", "dropped")]
    idle = 0
    while True:
        msgs = sock.recv(False)
        if msgs is None:
            if all(r.done for r in pending):
                break
            idle += 1
            msgs = sock.recv(True, 5.0)
            if msgs is None:
                break
        for typ, fl, seq, m in msgs:
            r = byseq.get(seq)
            if r is None:
                checker.problem(None, "reply to unknown seq %d type %d" % (seq, typ))
                continue
            if r.expect in ("none", "dropped"):
                checker.problem(r, "reply (type %d) to a message that must "
                                "get none" % typ)
                continue
            if typ == NLMSG_ERROR:
                checker.on_error(r, m, fl, sock)
            elif typ == NLMSG_DONE:
                checker.on_done(r, m)
            elif typ == family:
                checker.on_data(r, m, fl, family)
            else:
                checker.problem(r, "reply of type %d" % typ)
    for r in reqs:
        checker.finish(r)


# ---------------------------------------------------------------- the fuzz

def dumps(r):
    """Whether the request starts a dump."""
    return r.expect == "dump"


def rand_bytes(rng, n):
    return rng.getrandbits(8 * n).to_bytes(n, "little") if n else b""


class Gen:
    """Makes the malformed (and some valid) messages, one kind at a time."""

    def __init__(self, rng, family):
        self.rng = rng
        self.family = family
        # (weight, kind): what the fuzz is made of
        kinds = [
            (8, "valid_do"), (6, "valid_dump"), (10, "random_cmd"),
            (8, "random_flags"), (4, "do_as_dump"), (4, "dump_as_do"),
            (3, "reserved"), (3, "short_genl"), (8, "bad_states"),
            (6, "bad_port_len"), (4, "bad_states_len"), (6, "unknown_attr"),
            (5, "unsupported_attr"), (3, "oversized_attr"),
            (4, "nested_filter"), (5, "nested_garbage"), (5, "bad_nla_len"),
            (6, "garbage_payload"), (6, "mixed"), (3, "no_request"),
            (8, "winlog"),
        ]
        self.table = []
        for w, k in kinds:
            self.table += [k] * w

    def valid_filters(self):
        rng = self.rng
        out = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            if rng.random() < 0.5:
                v = rng.getrandbits(12) << 1
                out.append(nla(A_FILTER_STATES | self.byteorder(), _u32.pack(v)))
            else:
                port = rng.choice((0, 9000, 9001, 22, rng.randrange(65536)))
                out.append(nla(A_FILTER_PORT | self.byteorder(),
                               struct.pack("=H", port)))
        return out

    def winlog_attrs(self):
        """SET_WINLOG's attributes, right or wrong, in any number."""
        rng = self.rng
        out = []
        for _ in range(rng.choice((0, 1, 1, 2, 3, 4))):
            k = rng.randrange(4)
            if k == 0:      # the address: 4 or 16 bytes, or not
                n = rng.choice((4, 4, 16, 16, 0, 1, 3, 5, 15, 17, 20, 64))
                out.append(nla(A_FILTER_ADDR | rng.choice((0,) * 9 + (NLA_F_NESTED,)),
                               rand_bytes(rng, n)))
            elif k == 1:    # the port
                out.append(nla(A_FILTER_PORT, struct.pack(
                    "=H", rng.choice((0, 9000, rng.randrange(65536))))))
            elif k == 2:    # the interval: in range, past it, misfit
                v = rng.choice((0, 10, 60000, 60001, 1 << 31, 0xFFFFFFFF,
                                rng.randrange(70000)))
                if rng.random() < 0.1:
                    out.append(nla(A_WINLOG_INTERVAL_MS,
                                   rand_bytes(rng, rng.choice((0, 2, 8)))))
                else:
                    out.append(nla(A_WINLOG_INTERVAL_MS, _u32.pack(v)))
            else:
                out.append(self.bad_attr() if rng.random() < 0.3 else
                           nla(A_FILTER_STATES, _u32.pack(rng.getrandbits(12) << 1)))
        return out

    def byteorder(self):
        return NLA_F_NET_BYTEORDER if self.rng.random() < 0.05 else 0

    def ok_flags(self, dump):
        f = NLM_F_REQUEST | (NLM_F_DUMP if dump else 0)
        if self.rng.random() < 0.3:
            f |= NLM_F_ACK
        if self.rng.random() < 0.1:
            f |= NLM_F_ECHO
        return f

    def bad_attr(self):
        """One attribute the policy must reject."""
        rng = self.rng
        k = rng.randrange(9)
        if k == 0:      # FILTER_STATES with bit 0 or bits above 12
            v = rng.choice((1, 1 << 13, 1 << 31, 0xFFFFFFFF,
                            (rng.getrandbits(19) or 1) << 13 | rng.getrandbits(13),
                            rng.getrandbits(13) | 1))
            return nla(A_FILTER_STATES, _u32.pack(v))
        if k == 1:      # FILTER_PORT of the wrong length
            n = rng.choice((0, 1, 3, 4, 8, rng.randrange(5, 64)))
            return nla(A_FILTER_PORT, rand_bytes(rng, n))
        if k == 2:      # FILTER_STATES of the wrong length
            n = rng.choice((0, 1, 2, 3, 5, 8, rng.randrange(6, 64)))
            return nla(A_FILTER_STATES, rand_bytes(rng, n))
        if k == 3:      # unknown type
            t = rng.choice((0, A_MAX + 1, 255, rng.randrange(A_MAX + 1, NLA_TYPE_MASK + 1)))
            return nla(t, rand_bytes(rng, rng.randrange(0, 32)))
        if k == 4:      # a known type without a request policy
            t = rng.choice((1, A_VERSION, A_ABI, A_STATS, A_SOCK, A_LISTENER,
                            A_HALFOPEN))
            return nla(t | rng.choice((0, NLA_F_NESTED)),
                       rand_bytes(rng, rng.randrange(0, 40)))
        if k == 5:      # a filter marked nested
            if rng.random() < 0.5:
                return nla(A_FILTER_PORT | NLA_F_NESTED, struct.pack("=H", 80))
            return nla(A_FILTER_STATES | NLA_F_NESTED, _u32.pack(1 << 1))
        if k == 6:      # nested garbage
            inner = b"".join(nla(rng.randrange(0, 64), rand_bytes(rng, rng.randrange(0, 12)))
                             for _ in range(rng.randrange(1, 6)))
            return nla(rng.choice((A_SOCK, A_STATS, A_LISTENER, A_HALFOPEN,
                                   A_FILTER_STATES)) | NLA_F_NESTED, inner)
        if k == 7:      # oversized
            return self.oversized()
        v = rng.choice((1, 1 << 13, 1 << 20))
        return nla(A_FILTER_STATES, _u32.pack(v | (rng.getrandbits(12) << 1)))

    def oversized(self):
        rng = self.rng
        n = rng.choice((1000, 4096, 16384, 65531 - 4, rng.randrange(256, 65000)))
        t = rng.choice((A_FILTER_STATES, A_FILTER_PORT, A_SOCK, A_VERSION,
                        A_MAX + 1, 0x3FFF))
        return nla(t, rand_bytes(rng, 64) * (n // 64) + b"x" * (n % 64))

    def message(self, seq):
        """(kind, nlmsg bytes) of one message; nlmsg_len is exact."""
        rng = self.rng
        kind = rng.choice(self.table)
        cmd = rng.choice(tuple(DUMP_CMDS))
        dump = True
        flags = None
        reserved = 0
        attrs = []
        if kind == "valid_do":
            cmd, dump = CMD_GET_STATS, False
            attrs = self.valid_filters()
        elif kind == "valid_dump":
            attrs = self.valid_filters()
        elif kind == "random_cmd":
            cmd = rng.randrange(256)
            dump = rng.random() < 0.5
            attrs = self.valid_filters()
        elif kind == "random_flags":
            cmd = rng.choice((1, 2, 4, 5, 6, rng.randrange(256)))
            flags = rng.getrandbits(16) | NLM_F_REQUEST
            if rng.random() < 0.5:      # a single extra bit, or DUMP half
                flags = (self.ok_flags(rng.random() < 0.5) |
                         (1 << rng.randrange(1, 16)))
        elif kind == "do_as_dump":
            cmd = CMD_GET_STATS
        elif kind == "dump_as_do":
            dump = False
        elif kind == "reserved":
            reserved = rng.randrange(1, 65536)
            cmd = rng.choice((1, 2, 4, 5, 6))
            dump = cmd != 1
        elif kind == "short_genl":
            n = rng.randrange(16, 20)
            flags = self.ok_flags(rng.random() < 0.5)
            body = rand_bytes(rng, n - 16)
            m = _hdr.pack(n, self.family, flags, seq, rng.getrandbits(32)) + body
            return kind, m
        elif kind == "bad_states":
            v = rng.choice((1, 1 << 13, 1 << 31, rng.getrandbits(32) | 1,
                            rng.getrandbits(32) | (1 << rng.randrange(13, 32))))
            attrs = self.valid_filters() + [nla(A_FILTER_STATES, _u32.pack(v))]
        elif kind == "bad_port_len":
            n = rng.choice((0, 1, 3, 4, 8))
            attrs = [nla(A_FILTER_PORT, rand_bytes(rng, n))]
        elif kind == "bad_states_len":
            n = rng.choice((0, 1, 2, 3, 5, 8))
            attrs = [nla(A_FILTER_STATES, rand_bytes(rng, n))]
        elif kind == "unknown_attr":
            t = rng.choice((0, A_MAX + 1, rng.randrange(A_MAX + 1, NLA_TYPE_MASK + 1)))
            attrs = [nla(t | rng.choice((0, NLA_F_NESTED, NLA_F_NET_BYTEORDER)),
                         rand_bytes(rng, rng.randrange(0, 64)))]
        elif kind == "unsupported_attr":
            attrs = [self.bad_attr() if rng.random() < 0.3 else
                     nla(rng.choice((1, 2, 3, 4, 5, 8, 9)),
                         rand_bytes(rng, rng.randrange(0, 64)))]
        elif kind == "oversized_attr":
            attrs = [self.oversized()]
        elif kind == "nested_filter":
            attrs = [nla(A_FILTER_PORT | NLA_F_NESTED, struct.pack("=H", 9000))
                     if rng.random() < 0.5 else
                     nla(A_FILTER_STATES | NLA_F_NESTED, _u32.pack(1 << 6))]
        elif kind == "nested_garbage":
            inner = b"".join(
                nla(rng.randrange(0, 40) | rng.choice((0, NLA_F_NESTED)),
                    rand_bytes(rng, rng.randrange(0, 24)))
                for _ in range(rng.randrange(1, 8)))
            if rng.random() < 0.3:
                inner += rand_bytes(rng, rng.randrange(1, 16))
            attrs = [nla(rng.choice((A_STATS, A_SOCK, A_LISTENER, A_HALFOPEN,
                                     A_FILTER_PORT, 0, 200)) | NLA_F_NESTED,
                         inner)]
        elif kind == "bad_nla_len":
            good = self.valid_filters()
            t = rng.choice((A_FILTER_STATES, A_FILTER_PORT, 0, 77))
            pl = rand_bytes(rng, rng.randrange(0, 12))
            ln = rng.choice((0, 1, 2, 3, len(pl) + 5 + rng.randrange(1, 200), 0xFFFF))
            attrs = good + [nla_raw(ln, t, pl)]
        elif kind == "garbage_payload":
            attrs = [rand_bytes(rng, rng.randrange(1, 200))]
            dump = rng.random() < 0.7
            cmd = rng.choice((1, 2, 4, 5, 6))
        elif kind == "mixed":
            attrs = self.valid_filters()
            attrs.insert(rng.randrange(len(attrs) + 1), self.bad_attr())
            attrs += self.valid_filters()
            cmd = rng.choice((1, 2, 4, 5, 6))
            dump = cmd != 1
        elif kind == "winlog":
            cmd, dump = CMD_SET_WINLOG, rng.random() < 0.1
            attrs = self.winlog_attrs()
        elif kind == "no_request":
            flags = rng.getrandbits(16) & ~NLM_F_REQUEST
            cmd = rng.choice((1, 2, 4, 5, 6))
        if flags is None:
            flags = self.ok_flags(dump)
        body = _ghdr.pack(cmd, rng.choice((0, 1, 1, 1, 2, 255)), reserved)
        body += b"".join(attrs)
        n = 16 + len(body)
        # the last attribute's padding: counted or not in nlmsg_len
        if attrs and kind not in ("bad_nla_len", "garbage_payload") and \
                rng.random() < 0.3:
            last = attrs[-1]
            if len(last) >= 4:
                declared = _nla.unpack_from(last)[0]
                pad = align4(declared) - declared
                if 0 < pad <= len(last) - declared:
                    n -= pad
                    body = body[:len(body) - pad]
        return kind, _hdr.pack(n, self.family, flags, seq,
                               rng.getrandbits(32)) + body

    def batch(self, sock, size, maxbytes=(1 << 20)):
        """(buffer, [Req]) of up to `size` messages."""
        rng = self.rng
        reqs = []
        total = 0
        dump = None
        for _ in range(size):
            for _ in range(10):
                seq = sock.next_seq()
                kind, m = self.message(seq)
                r = Req(kind, seq, m)
                predict(r, self.family)
                # one valid dump a batch: a second one, or any dump
                # request after it, would get -EBUSY while it runs
                if not dumps(r) or dump is None:
                    break
            if total + len(m) > maxbytes and reqs:
                break
            total += align4(len(m))
            if dumps(r) and dump is None:
                dump = r
            else:
                reqs.append(r)
        if dump is not None:
            reqs.append(dump)   # last
        seen = False
        for r in reqs:
            r.after_dump = seen
            seen = seen or dumps(r)
        buf = b"".join(r.raw + b"\0" * (align4(len(r.raw)) - len(r.raw))
                       for r in reqs)
        # a broken last message: the kernel drops it and anything after
        x = rng.random()
        if x < 0.04:            # nlmsg_len past the end of the buffer
            seq = sock.next_seq()
            body = _ghdr.pack(CMD_GET_STATS, 1, 0) + rand_bytes(rng, rng.randrange(0, 40))
            ln = 16 + len(body) + rng.choice((1, 4, 100, 0xFFFF))
            m = _hdr.pack(ln, self.family, NLM_F_REQUEST | NLM_F_ACK, seq, 0) + body
            r = Req("len_past_end", seq, m)
            r.expect = "dropped"
            reqs.append(r)
            buf += m
        elif x < 0.07:          # nlmsg_len shorter than a netlink header
            seq = sock.next_seq()
            ln = rng.randrange(0, 16)
            m = _hdr.pack(ln, self.family, NLM_F_REQUEST | NLM_F_ACK, seq, 0)
            r = Req("len_below_hdr", seq, m)
            r.expect = "dropped"
            reqs.append(r)
            buf += m
            # whatever follows is dropped too
            seq = sock.next_seq()
            m = _hdr.pack(20, self.family, NLM_F_REQUEST | NLM_F_ACK, seq, 0) + \
                _ghdr.pack(CMD_GET_STATS, 1, 0)
            r = Req("after_bad_len", seq, m)
            r.expect = "dropped"
            reqs.append(r)
            buf += m
        elif x < 0.09:          # a few trailing bytes, less than a header
            buf += rand_bytes(rng, rng.randrange(1, 16))
        return buf, reqs


def cmd_fuzz(args):
    seed = args.seed
    rng = random.Random(seed)
    sock, res = open_family("nlfuzz")
    if res is None:
        return 1
    family = res[0]
    if not check_uapi():
        return 1
    probe_winlog(sock, family)
    print("nlfuzz: family tcpwatch id %d, seed %d, %d messages, ext_ack %s, "
          "SET_WINLOG %s"
          % (family, seed, args.n, "on" if sock.ext_ack else "off",
             "implemented" if WINLOG else "not implemented"),
          flush=True)
    gen = Gen(rng, family)
    checker = Checker()
    sent = 0
    batches = 0
    t0 = time.monotonic()
    last = t0
    while sent < args.n:
        sock.cap_ack(rng.random() < 0.5)
        buf, reqs = gen.batch(sock, rng.randrange(1, args.batch + 1))
        exchange(sock, buf, reqs, checker, family)
        sent += len(reqs)
        batches += 1
        now = time.monotonic()
        if now - last >= 10:
            print("nlfuzz: %d messages, %d batches, %.0f s, %d mismatches"
                  % (sent, batches, now - t0, checker.problems), flush=True)
            last = now
    dt = time.monotonic() - t0
    print("nlfuzz: sent %d messages in %d batches in %.1f s (%.0f/s); %d dump "
          "rows checked, %d marked DUMP_INTR"
          % (sent, batches, dt, sent / dt, checker.rows, checker.dump_intr))
    print("outcomes (errno histogram):")
    for k, v in sorted(checker.hist.items(), key=lambda kv: -kv[1]):
        print("  %-14s %7d" % (k, v))
    if args.verbose:
        print("per kind:")
        for kind in sorted(checker.kinds):
            outs = ", ".join("%s %d" % kv for kv in
                             sorted(checker.kinds[kind].items(), key=lambda kv: -kv[1]))
            print("  %-18s %s" % (kind, outs))
    print("extended ACK messages:")
    for k, v in sorted(checker.extack_msgs.items(), key=lambda kv: -kv[1]):
        print("  %7d  %s" % (v, k))
    # the family still answers
    e, data, _ = sock.request(family, CMD_GET_STATS)
    if e or not data:
        print("nlfuzz: GET_STATS after the fuzz failed: %d" % e, file=sys.stderr)
        return 1
    if checker.problems:
        print("nlfuzz: %d replies did not match the model (seed %d)"
              % (checker.problems, seed), file=sys.stderr)
        return 1
    print("nlfuzz: every reply matched")
    return 0


# ----------------------------------------------------- specific requests

def cmd_check(args):
    sock, res = open_family("check")
    if res is None:
        return 1
    family, version, groups = res
    fails = 0 if check_uapi() else 1
    probe_winlog(sock, family)

    def expect(name, cmd, attrs, flags, want_err, want_msg=None, want_offs=None,
               ver=1, reserved=0, raw=None):
        nonlocal fails
        seq = sock.next_seq()
        if raw is None:
            body = _ghdr.pack(cmd, ver, reserved) + attrs
            m = _hdr.pack(16 + len(body), family, flags, seq, 0) + body
        else:
            m = raw(seq)
        sock.s.send(m)
        got_err = None
        msg = offs = None
        rows = 0
        while got_err is None:
            msgs = sock.recv(True, 0.5 if want_err is None else 5.0)
            if msgs is None:
                break
            for typ, fl, s, mm in msgs:
                if s != seq:
                    continue
                if typ == NLMSG_ERROR:
                    e, ext = parse_error(mm)
                    got_err = -e
                    msg = ext_msg(ext)
                    o = ext.get(NLMSGERR_ATTR_OFFS)
                    offs = _u32.unpack(o[:4])[0] if o else None
                elif typ == NLMSG_DONE:
                    got_err = 0
                elif typ == family:
                    rows += 1
                    if not flags & (NLM_F_ACK | NLM_F_DUMP):
                        got_err = 0
        ok = got_err == want_err
        if ok and want_msg is not None and sock.ext_ack:
            ok = msg == want_msg
        if ok and want_offs is not None and sock.ext_ack:
            ok = offs == want_offs
        en = lambda e: "none" if e is None else ("0" if e == 0 else errname(e))
        print("%s %-44s -> %s%s%s%s" % ("ok  " if ok else "FAIL", name, en(got_err),
                                        " %r" % msg if msg else "",
                                        " offs %d" % offs if offs is not None else "",
                                        " (%d data)" % rows if rows else ""))
        if not ok:
            fails += 1
            print("     expected %s%s%s" % (en(want_err),
                                             " %r" % want_msg if want_msg else "",
                                             " offs %d" % want_offs
                                             if want_offs is not None else ""))

    R, A, D = NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP
    st = lambda v: nla(A_FILTER_STATES, _u32.pack(v))
    port = lambda v: nla(A_FILTER_PORT, struct.pack("=H", v))
    print("family tcpwatch: id %d version %d groups %s ext_ack %s"
          % (family, version, groups, sock.ext_ack))
    if version != GENL_VERSION or "events" not in groups:
        print("FAIL family version or groups")
        fails += 1
    # valid requests
    expect("GET_STATS", CMD_GET_STATS, b"", R | A, 0)
    expect("GET_STATS without ACK", CMD_GET_STATS, b"", R, 0)
    for c, nm in ((2, "GET_SOCKETS"), (4, "GET_CLOSED"), (5, "GET_LISTENERS"),
                  (6, "GET_HALFOPEN")):
        expect("%s dump" % nm, c, b"", R | D, 0)
        expect("%s dump, all filters" % nm, c, st(STATES_MASK) + port(9000),
               R | D | A, 0)
    expect("GET_SOCKETS FILTER_STATES=1<<12", 2, st(1 << 12), R | D, 0)
    expect("GET_SOCKETS FILTER_STATES=0", 2, st(0), R | D, 0)
    expect("GET_SOCKETS FILTER_PORT net byte order", 2,
           nla(A_FILTER_PORT | NLA_F_NET_BYTEORDER, struct.pack("=H", 9000)),
           R | D, 0)
    # the policy: FILTER_STATES is a mask of bits 1..12
    for v in (1, 1 << 13, 1 << 31, 0xFFFFFFFF, STATES_MASK | 1):
        expect("GET_SOCKETS FILTER_STATES=%#x" % v, 2, st(v), R | D,
               errno.EINVAL, MSG_MASK, 20)
    expect("GET_CLOSED FILTER_STATES=1", 4, st(1), R | D, errno.EINVAL, MSG_MASK, 20)
    expect("GET_STATS FILTER_STATES=1", 1, st(1), R, errno.EINVAL, MSG_MASK, 20)
    expect("GET_SOCKETS port, then FILTER_STATES=1", 2, port(1) + st(1), R | D,
           errno.EINVAL, MSG_MASK, 28)
    # wrong lengths
    expect("GET_SOCKETS FILTER_PORT 1 byte", 2, nla(A_FILTER_PORT, b"\x01"),
           R | D, errno.EINVAL, MSG_LEN, 20)
    expect("GET_SOCKETS FILTER_PORT 8 bytes", 2, nla(A_FILTER_PORT, b"\x01" * 8),
           R | D, errno.EINVAL, MSG_LEN, 20)
    expect("GET_SOCKETS FILTER_PORT 0 bytes", 2, nla(A_FILTER_PORT, b""),
           R | D, errno.EINVAL, MSG_LEN, 20)
    expect("GET_SOCKETS FILTER_STATES 2 bytes", 2, nla(A_FILTER_STATES, b"\x02\0"),
           R | D, errno.EINVAL, MSG_LEN, 20)
    expect("GET_SOCKETS FILTER_STATES 8 bytes", 2,
           nla(A_FILTER_STATES, struct.pack("=Q", 2)), R | D, errno.EINVAL, MSG_LEN, 20)
    expect("GET_LISTENERS FILTER_PORT nested", 5,
           nla(A_FILTER_PORT | NLA_F_NESTED, struct.pack("=H", 1)), R | D,
           errno.EINVAL, MSG_NESTED, 20)
    # attributes the requests do not take
    expect("GET_SOCKETS unknown attribute %d" % (A_MAX + 1), 2,
           nla(A_MAX + 1, b"abcd"), R | D,
           errno.EINVAL, MSG_UNKNOWN, 20)
    expect("GET_SOCKETS attribute type 0", 2, nla(0, b""), R | D,
           errno.EINVAL, MSG_UNKNOWN, 20)
    expect("GET_STATS attribute VERSION (reply only)", 1, nla(A_VERSION, b"x\0"), R,
           errno.EINVAL, MSG_UNSUP, 20)
    expect("GET_SOCKETS nested garbage in SOCK", 2,
           nla(A_SOCK | NLA_F_NESTED, nla(99, b"zz") + b"\xff" * 3), R | D,
           errno.EINVAL, MSG_UNSUP, 20)
    expect("GET_SOCKETS oversized attribute (65000 B)", 2,
           nla(A_FILTER_STATES, b"\0" * 65000), R | D, errno.EINVAL, MSG_LEN, 20)
    expect("GET_SOCKETS attribute longer than message", 2,
           nla_raw(200, A_FILTER_PORT, b"\x01\x02"), R | D, errno.EINVAL, MSG_LEFTOVER)
    # commands
    if WINLOG:
        # admin only: root may, nobody gets -EPERM
        admin = os.geteuid() == 0
        want = 0 if admin else errno.EPERM
        expect("SET_WINLOG (clears the filter)", CMD_SET_WINLOG, b"", R | A, want)
        expect("SET_WINLOG port 9000", CMD_SET_WINLOG, port(9000), R | A, want)
        expect("SET_WINLOG port 9000 again, cleared", CMD_SET_WINLOG, b"",
               R | A, want)
        if admin:
            addr = lambda n: nla(A_FILTER_ADDR, b"\x01" * n)
            ival = lambda v: nla(A_WINLOG_INTERVAL_MS, _u32.pack(v))
            expect("SET_WINLOG as a dump", CMD_SET_WINLOG, b"", R | D,
                   errno.EOPNOTSUPP)
            expect("SET_WINLOG without ACK: no answer", CMD_SET_WINLOG, b"", R,
                   None)
            expect("SET_WINLOG IPv4 address, interval 60000", CMD_SET_WINLOG,
                   addr(4) + ival(60000), R | A, 0)
            expect("SET_WINLOG IPv6 address, port, interval 0", CMD_SET_WINLOG,
                   addr(16) + port(80) + ival(0), R | A, 0)
            for n in (0, 3, 5, 15):
                expect("SET_WINLOG address of %d bytes" % n, CMD_SET_WINLOG,
                       addr(n), R | A, errno.EINVAL, MSG_WL_ADDR, 20)
            expect("SET_WINLOG address of 17 bytes", CMD_SET_WINLOG, addr(17),
                   R | A, errno.ERANGE, MSG_POLICY, 20)
            expect("SET_WINLOG 5-byte address after a good one", CMD_SET_WINLOG,
                   addr(4) + port(1) + addr(5), R | A, errno.EINVAL, MSG_WL_ADDR, 36)
            expect("SET_WINLOG interval 60001", CMD_SET_WINLOG, port(80) + ival(60001),
                   R | A, errno.EINVAL, MSG_WL_INTERVAL, 28)
            expect("SET_WINLOG interval of 2 bytes", CMD_SET_WINLOG,
                   nla(A_WINLOG_INTERVAL_MS, b"\0\0"), R | A, errno.EINVAL, MSG_LEN, 20)
            expect("SET_WINLOG address nested", CMD_SET_WINLOG,
                   nla(A_FILTER_ADDR | NLA_F_NESTED, b"\0" * 4), R | A,
                   errno.EINVAL, MSG_NESTED, 20)
            expect("GET_SOCKETS address of 17 bytes", 2, addr(17), R | D,
                   errno.ERANGE, MSG_POLICY, 20)
            expect("SET_WINLOG cleared at the end", CMD_SET_WINLOG, b"", R | A, 0)
    else:
        print("note SET_WINLOG: not implemented by this module (-EOPNOTSUPP)")
        expect("SET_WINLOG (not implemented)", CMD_SET_WINLOG, b"", R,
               errno.EOPNOTSUPP)
    for c in (0, CMD_EVENT, CMD_SET_WINLOG + 1, 200, 255):
        expect("command %d (do)" % c, c, b"", R, errno.EOPNOTSUPP)
        expect("command %d (dump)" % c, c, b"", R | D, errno.EOPNOTSUPP)
    expect("GET_STATS as a dump", 1, b"", R | D, errno.EOPNOTSUPP)
    for c in DUMP_CMDS:
        expect("command %d (dump-only) as a do" % c, c, b"", R | A, errno.EOPNOTSUPP)
    # headers
    if GENL_STRICT:
        expect("genlmsghdr.reserved != 0", 2, b"", R | D, errno.EINVAL, MSG_RESERVED,
               reserved=0x1234)
        expect("nlmsg_flags NLM_F_ROOT alone", 2, b"", R | 0x100, errno.EINVAL, MSG_FLAGS)
        expect("nlmsg_flags NLM_F_ATOMIC with DUMP", 2, b"", R | D | 0x400,
               errno.EINVAL, MSG_FLAGS)
    else:       # ignored: a dump; a do of a dump-only command
        expect("genlmsghdr.reserved != 0 (ignored before 6.1)", 2, b"", R | D, 0,
               reserved=0x1234)
        expect("nlmsg_flags NLM_F_ROOT alone (a do before 6.1)", 2, b"", R | 0x100,
               errno.EOPNOTSUPP)
    expect("nlmsg_len 16 (no genl header)", 0, b"", R, errno.EINVAL,
           raw=lambda s: _hdr.pack(16, family, R | A, s, 0))
    expect("nlmsg_len 18 (half a genl header)", 0, b"", R, errno.EINVAL,
           raw=lambda s: _hdr.pack(18, family, R | A, s, 0) + b"\x01\x01\0\0")
    expect("no NLM_F_REQUEST, with ACK", 1, b"", A, 0)
    # the family still answers
    expect("GET_STATS at the end", CMD_GET_STATS, b"", R | A, 0)
    print("check: %d failed" % fails)
    return 1 if fails else 0


def cmd_stats(args):
    sock, res = open_family("stats")
    if res is None:
        return 1
    e, data, _ = sock.request(res[0], CMD_GET_STATS)
    if e or len(data) != 1:
        print("stats: GET_STATS failed: %d" % e, file=sys.stderr)
        return 1
    a = parse_attrs(data[0], 20)
    print("abi %d version %s" % (_u32.unpack(one(a, A_ABI)[:4])[0],
                                 one(a, A_VERSION).rstrip(b"\0").decode()))
    return 0


def cmd_winlog(args):
    """SET_WINLOG with --port (or none: clear); prints its errno and the
    filter in force afterwards (GET_STATS); exit 0 if the request was
    accepted, 3 if refused, 1 on any other trouble."""
    sock, res = open_family("winlog")
    if res is None:
        return 1
    attrs = nla(A_FILTER_PORT, struct.pack("=H", args.port)) if args.port else b""
    e, _, ext = sock.request(res[0], CMD_SET_WINLOG, attrs)
    e2, data, _ = sock.request(res[0], CMD_GET_STATS)
    if e2 or len(data) != 1:
        print("winlog: GET_STATS failed: %d" % e2, file=sys.stderr)
        return 1
    st = parse_attrs(one(parse_attrs(data[0], 20), A_STATS)) or {}
    p = one(st, STATS_A_WINLOG_PORT)
    print("SET_WINLOG uid %d: %s%s; filter port now %s"
          % (os.geteuid(), errname(e) if e else "ok",
             " %r" % ext_msg(ext) if ext_msg(ext) else "",
             struct.unpack("=H", p[:2])[0] if p else "none"))
    return 0 if e == 0 else 3


# ------------------------------------------------------------------ hammer

def cmd_hammer(args):
    """Valid requests while the module is loaded and unloaded, without end.

    While the family is registered: GET_STATS (and with --dumps a
    GET_SOCKETS dump) in batches, every reply read.  While it is not: a
    tight loop of GET_STATS to the ids it may get next (ids are allocated
    cyclically), so that requests meet the family from the moment it is
    registered, while the module is still initialising."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    sock = GenlSocket(rcvbuf=32 << 20)
    outcomes = {}
    fid = None
    last_id = None
    loads = 0
    batches = 0

    def count(k, n=1):
        outcomes[k] = outcomes.get(k, 0) + n

    def stats_msg(family, flags=NLM_F_REQUEST):
        return _hdr.pack(20, family, flags, sock.next_seq(), 0) + \
            _ghdr.pack(CMD_GET_STATS, 1, 0)

    t0 = time.monotonic()
    while not stop:
        if fid is None:
            try:
                res = resolve(sock)
            except OSError as e:
                count("resolve -%s" % errno.errorcode.get(e.errno, e.errno))
                continue
            if res is not None:
                if res[0] != last_id:
                    loads += 1
                fid = last_id = res[0]
                continue
            if last_id is None:
                time.sleep(0.001)
                continue
            # not registered: GET_STATS at the next ids, as fast as we can
            buf = b"".join(stats_msg(i) for i in (last_id + 1, last_id + 2)
                           for _ in range(4))
            for _ in range(500):
                sock.s.send(buf)
                hit = False
                for _ in range(8):
                    msgs = sock.recv(True, 2.0)
                    if not msgs:
                        count("no reply")
                        break
                    for typ, fl, seq, m in msgs:
                        if typ == NLMSG_ERROR:
                            e = -_i32.unpack_from(m, 16)[0]
                            if e == errno.ENOENT:
                                count("early -ENOENT")
                                continue
                            count("early " + errname(e))
                        else:
                            count("early stats")
                        hit = True
                if hit or stop:
                    break
            continue
        parts = []
        pending = set()
        for _ in range(4):
            parts.append(stats_msg(fid))
            pending.add(sock.seq)
        batches += 1
        if args.dumps and batches % 4 == 0:
            seq = sock.next_seq()
            parts.append(_hdr.pack(20, fid, NLM_F_REQUEST | NLM_F_DUMP, seq, 0) +
                         _ghdr.pack(CMD_GET_SOCKETS, 1, 0))
            pending.add(seq)
        sock.s.send(b"".join(parts))
        # every request ends in one NLMSG_ERROR, NLMSG_DONE or stats reply
        while pending:
            msgs = sock.recv(False) or sock.recv(True, 2.0)
            if msgs is None:
                count("no reply", len(pending))
                break
            for typ, fl, seq, m in msgs:
                if seq not in pending:
                    continue
                if typ == NLMSG_ERROR:
                    e = -_i32.unpack_from(m, 16)[0]
                    k = errname(e) if e else "ack"
                    if e in (errno.ENOENT, errno.EOPNOTSUPP):
                        fid = None      # gone
                    # EPROTONOSUPPORT: a dump while the module is going
                elif typ == NLMSG_DONE:
                    k = "dump"
                elif m[16] == CMD_GET_STATS:
                    k = "stats"
                else:
                    continue
                pending.discard(seq)
                count(k)
        time.sleep(0.002)       # leave the CPUs to the load/unload
    print("hammer: %.0f s, %d new family ids seen: %s"
          % (time.monotonic() - t0, loads,
             ", ".join("%s %d" % kv for kv in sorted(outcomes.items()))),
          flush=True)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fuzz")
    f.add_argument("-n", type=int, default=100000)
    f.add_argument("--seed", type=int, default=1)
    f.add_argument("--batch", type=int, default=16)
    f.add_argument("-v", "--verbose", action="store_true")
    sub.add_parser("check")
    sub.add_parser("stats")
    w = sub.add_parser("winlog")
    w.add_argument("--port", type=int, default=0)
    h = sub.add_parser("hammer")
    h.add_argument("--dumps", action="store_true")
    args = p.parse_args()
    random.seed(os.getpid())
    return {"fuzz": cmd_fuzz, "check": cmd_check, "stats": cmd_stats,
            "hammer": cmd_hammer, "winlog": cmd_winlog}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())

// SPDX-License-Identifier: GPL-2.0
/*
 * render.c - parsed tcpwatch records to text tables or JSON.
 *
 * JSON field names are snake_case and stable; a field whose attribute
 * the module did not send is null (flags: false), never left out.
 * tools/JSON.md lists them, view by view, with their units: keep it in
 * step.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "render.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The order a connection usually goes through its states. */
static const unsigned int life_order[] = {
	TW_TCP_LISTEN, TW_TCP_SYN_SENT, TW_TCP_SYN_RECV, TW_TCP_NEW_SYN_RECV,
	TW_TCP_ESTABLISHED, TW_TCP_FIN_WAIT1, TW_TCP_FIN_WAIT2,
	TW_TCP_CLOSING, TW_TCP_TIME_WAIT, TW_TCP_CLOSE_WAIT, TW_TCP_LAST_ACK,
	TW_TCP_CLOSE,
};

static bool state_in(uint32_t mask, unsigned int state)
{
	return state < 32 && (mask >> state) & 1;
}

bool tw_sock_is_request(const struct tw_sock *s)
{
	return s->state == TW_TCP_NEW_SYN_RECV && !s->timewait;
}

bool tw_sock_match(const struct tw_sock *s, const struct tw_filter *flt,
		   enum tw_match how)
{
	bool kind_named = false;
	unsigned int i;

	if (how == TW_MATCH_EVENT && flt->kinds) {
		if (!state_in(flt->kinds, s->event))
			return false;
		kind_named = true;
	}
	if (how == TW_MATCH_EVENT && !tw_event_has_states(s->event)) {
		/* no states to match: --state selects state changes */
		if (flt->states && !kind_named)
			return false;
	} else if (flt->states) {
		bool hit = state_in(flt->states, s->state);

		if (how != TW_MATCH_SOCK &&
		    tw_sock_has(s, TCPWATCH_SOCK_A_OLD_STATE))
			hit |= state_in(flt->states, s->old_state);
		if (how == TW_MATCH_CLOSED)
			for (i = 1; i < TCPWATCH_NSTATES; i++)
				hit |= s->state_time_ns[i] &&
				       state_in(flt->states, i);
		if (!hit)
			return false;
	}
	if (flt->port && s->sport != flt->port && s->dport != flt->port)
		return false;
	return true;
}

bool tw_listener_match(const struct tw_listener *l,
		       const struct tw_filter *flt)
{
	return !flt->port || l->port == flt->port;
}

bool tw_halfopen_match(const struct tw_halfopen *h,
		       const struct tw_filter *flt)
{
	return !flt->port || h->lport == flt->port || h->rport == flt->port;
}

const char *tw_syncookies_name(unsigned int v)
{
	switch (v) {
	case 0:
		return "off";
	case 1:
		return "on";
	case 2:
		return "always";
	}
	return NULL;
}

const char *tw_event_name(unsigned int event, bool json)
{
	switch (event) {
	case TCPWATCH_EV_STATE:
		return json ? "state" : "STATE";
	case TCPWATCH_EV_TW_ENTER:
		return json ? "tw_enter" : "TW-ENTER";
	case TCPWATCH_EV_TW_EXIT:
		return json ? "tw_exit" : "TW-EXIT";
	case TCPWATCH_EV_HALFOPEN_END:
		return json ? "halfopen_end" : "halfopen-end";
	case TCPWATCH_EV_SYNACK_RETRANS:
		return json ? "synack_retrans" : "synack-rtx";
	case TCPWATCH_EV_SYN_DROP:
		return json ? "syn_drop" : "syn-drop";
	case TCPWATCH_EV_ACCEPTQ_OVERFLOW:
		return json ? "acceptq_overflow" : "acceptq-overflow";
	case TCPWATCH_EV_RETRANS:
		return "retrans";
	case TCPWATCH_EV_RTO:
		return "rto";
	case TCPWATCH_EV_CA_STATE:
		return json ? "ca_state" : "ca-state";
	case TCPWATCH_EV_WINDOW:
		return "window";
	}
	return json ? "unknown" : "UNKNOWN";
}

const char *tw_timer_name(unsigned int timer, bool json)
{
	static const char * const text[] = {
		[TCPWATCH_TIMER_NONE] = "-",
		[TCPWATCH_TIMER_RETRANS] = "rto",
		[TCPWATCH_TIMER_ZERO_WINDOW] = "persist",
		[TCPWATCH_TIMER_LOSS_PROBE] = "tlp",
		[TCPWATCH_TIMER_REORDER] = "reorder",
		[TCPWATCH_TIMER_KEEPALIVE] = "keepalive",
		[TCPWATCH_TIMER_TIME_WAIT] = "timewait",
	};
	static const char * const js[] = {
		[TCPWATCH_TIMER_NONE] = "none",
		[TCPWATCH_TIMER_RETRANS] = "retrans",
		[TCPWATCH_TIMER_ZERO_WINDOW] = "zero_window",
		[TCPWATCH_TIMER_LOSS_PROBE] = "loss_probe",
		[TCPWATCH_TIMER_REORDER] = "reorder",
		[TCPWATCH_TIMER_KEEPALIVE] = "keepalive",
		[TCPWATCH_TIMER_TIME_WAIT] = "time_wait",
	};

	if (timer >= ARRAY_SIZE(js))
		return json ? "unknown" : "?";
	return json ? js[timer] : text[timer];
}

const char *tw_ca_name(unsigned int ca)
{
	static const char * const names[] = {
		[TCPWATCH_CA_OPEN] = "open",
		[TCPWATCH_CA_DISORDER] = "disorder",
		[TCPWATCH_CA_CWR] = "cwr",
		[TCPWATCH_CA_RECOVERY] = "recovery",
		[TCPWATCH_CA_LOSS] = "loss",
	};

	return ca < ARRAY_SIZE(names) ? names[ca] : "unknown";
}

const char *tw_cause_name(unsigned int cause)
{
	static const char * const names[TCPWATCH_NCAUSES] = {
		[TCPWATCH_CAUSE_RTO] = "rto",
		[TCPWATCH_CAUSE_LOSS] = "loss",
		[TCPWATCH_CAUSE_FAST] = "fast",
		[TCPWATCH_CAUSE_TLP] = "tlp",
		[TCPWATCH_CAUSE_SYN] = "syn",
	};

	return cause < ARRAY_SIZE(names) ? names[cause] : "unknown";
}

const char *tw_outcome_name(unsigned int outcome)
{
	switch (outcome) {
	case TCPWATCH_OUTCOME_COMPLETED:
		return "completed";
	case TCPWATCH_OUTCOME_EXPIRED:
		return "expired";
	case TCPWATCH_OUTCOME_RESET:
		return "reset";
	case TCPWATCH_OUTCOME_DROPPED:
		return "dropped";
	}
	return NULL;
}

static int kind_from_name(const char *name)
{
	unsigned int k;

	for (k = 0; k < TW_EVENT_KINDS; k++)
		if (tw_name_eq(name, tw_event_name(k, true)) ||
		    tw_name_eq(name, tw_event_name(k, false)))
			return k;
	return -1;
}

/* "all" or one event kind's bit; 0 if unknown */
static uint32_t kind_bits_of(const char *name)
{
	int k;

	if (tw_name_eq(name, "all"))
		return TW_ALL_KINDS;
	k = kind_from_name(name);
	return k < 0 ? 0 : 1U << k;
}

int tw_parse_kinds(const char *arg, uint32_t *mask, char *bad, size_t badlen)
{
	return tw_parse_list(arg, kind_bits_of, mask, bad, badlen);
}

/* ---- JSON ---- */

/*
 * ',"key":' written in place.  The helpers are inlined where they are
 * called, where a key is a literal: its strlen() and memcpy() become
 * constants and moves, not libc calls (fifty a socket row).
 */
#define J_INLINE	static inline __attribute__((always_inline))

J_INLINE void j_key(struct tw_out *w, bool *first, const char *key)
{
	size_t n = strlen(key);
	char *p;

	if (n > TW_OUT_SIZE / 2) {	/* not one of ours */
		tw_out_puts(w, *first ? "\"" : ",\"");
		tw_out_puts(w, key);
		tw_out_write(w, "\":", 2);
		*first = false;
		return;
	}
	p = tw_out_room(w, n + 4);
	*p = ',';
	p += !*first;
	*first = false;
	*p++ = '"';
	memcpy(p, key, n);
	p += n;
	memcpy(p, "\":", 2);
	tw_out_commit(w, p + 2);
}

J_INLINE void j_u64(struct tw_out *w, bool *first, const char *key,
		    bool has, uint64_t v)
{
	j_key(w, first, key);
	if (has)
		tw_out_u64(w, v);
	else
		tw_out_lit(w, "null");
}

J_INLINE void j_bool(struct tw_out *w, bool *first, const char *key, bool v)
{
	j_key(w, first, key);
	if (v)
		tw_out_lit(w, "true");
	else
		tw_out_lit(w, "false");
}

J_INLINE void j_str(struct tw_out *w, bool *first, const char *key,
		    const char *v)
{
	j_key(w, first, key);
	if (v)
		tw_json_out(w, v);
	else
		tw_out_lit(w, "null");
}

/* "retrans": {"rto": n, ...} by cause, or null. */
static void j_causes(struct tw_out *w, bool *first, const char *key, bool has,
		     const uint64_t *v)
{
	bool inner = true;
	unsigned int c;

	j_key(w, first, key);
	if (!has) {
		tw_out_puts(w, "null");
		return;
	}
	tw_out_putc(w, '{');
	for (c = 0; c < TCPWATCH_NCAUSES; c++)
		j_u64(w, &inner, tw_cause_name(c), true, v[c]);
	tw_out_putc(w, '}');
}

/* ---- socket records and events in JSON, written in place ---- */

/*
 * Room for any one socket record or event in JSON: some sixty fields, a
 * comm of TW_COMM_LEN - 1 bytes escaped six bytes each at the worst and
 * the times in each state take the most, under 3 KiB.  Reserved once a
 * record, the fields are written without a check each.
 */
#define SOCK_JSON_MAX	4096
_Static_assert(SOCK_JSON_MAX <= TW_OUT_SIZE, "a record fits in a tw_out");

/*
 * ',"key":', made of a literal when compiled (the @key of each jp_*()
 * below is JK("key")): a move or two once inlined.
 */
#define JK(key)	",\"" key "\":"

J_INLINE char *jp_key(char *p, const char *key)
{
	size_t n = strlen(key);

	memcpy(p, key, n);
	return p + n;
}

J_INLINE char *jp_null(char *p)
{
	memcpy(p, "null", 4);
	return p + 4;
}

J_INLINE char *jp_u64(char *p, const char *key, bool has, uint64_t v)
{
	p = jp_key(p, key);
	return has ? tw_put_u64(p, v) : jp_null(p);
}

J_INLINE char *jp_bool(char *p, const char *key, bool v)
{
	p = jp_key(p, key);
	if (!v) {
		memcpy(p, "false", 5);
		return p + 5;
	}
	memcpy(p, "true", 4);
	return p + 4;
}

/* A string (a comm, a congestion control) escaped; null if @v is NULL. */
J_INLINE char *jp_str(char *p, const char *key, const char *v)
{
	p = jp_key(p, key);
	return v ? tw_json_put(p, v) : jp_null(p);
}

/*
 * A name of this tool's own (a state, a kind, a family, a cause...), a
 * few letters with nothing to escape; null if @v is NULL.
 */
J_INLINE char *jp_name(char *p, const char *key, const char *v)
{
	p = jp_key(p, key);
	if (!v)
		return jp_null(p);
	*p++ = '"';
	p = tw_put_str(p, v);
	*p++ = '"';
	return p;
}

/* A name quoted for JSON, and its length: copied whole, a few moves. */
struct jname {
	uint8_t len;
	char s[31];
};

J_INLINE char *jp_jname(char *p, const char *key, const struct jname *j)
{
	p = jp_key(p, key);
	memcpy(p, j->s, sizeof(j->s));
	return p + j->len;
}

/* The names @name(0) .. @name(255) as struct jname, into @t. */
static void jnames_make(struct jname *t, const char *(*name)(unsigned int))
{
	unsigned int i;

	for (i = 0; i < 256; i++) {
		const char *n = name(i);
		size_t len = strnlen(n, sizeof(t->s) - 2);

		t[i].s[0] = '"';
		memcpy(t[i].s + 1, n, len);
		t[i].s[len + 1] = '"';
		t[i].len = len + 2;
	}
}

static const char *event_jname(unsigned int event)
{
	return tw_event_name(event, true);
}

/* Each state's JSON name and each event kind's, made on first use. */
static const struct jname *jstate(uint8_t state)
{
	static struct jname t[256];

	if (!t[0].len)
		jnames_make(t, tw_state_kstr);
	return &t[state];
}

static const struct jname *jevent(uint8_t event)
{
	static struct jname t[256];

	if (!t[0].len)
		jnames_make(t, event_jname);
	return &t[event];
}

/* A state's kernel name ("ESTABLISHED"); null if not sent. */
J_INLINE char *jp_state(char *p, const char *key, bool has, uint8_t state)
{
	return has ? jp_jname(p, key, jstate(state)) : jp_null(jp_key(p, key));
}

/* An address, as a string: nothing in it to escape either. */
J_INLINE char *jp_addr(char *p, const char *key, int family,
		       const uint8_t *addr)
{
	p = jp_key(p, key);
	*p++ = '"';
	p = tw_put_addr(p, family, addr);
	*p++ = '"';
	return p;
}

/* "state_time_ns": {"ESTABLISHED": ns, ...}, the states it spent time in */
static char *js_state_times(char *p, const struct tw_sock *s)
{
	char sep = '{';
	unsigned int i;

	p = jp_key(p, JK("state_time_ns"));
	if (!tw_sock_has(s, TCPWATCH_SOCK_A_STATE_TIME))
		return jp_null(p);
	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		if (!s->state_time_ns[i])
			continue;
		*p++ = sep;
		*p++ = '"';
		p = tw_put_str(p, tw_state_kname(i));
		memcpy(p, "\":", 2);
		p += 2;
		p = tw_put_u64(p, s->state_time_ns[i]);
		sep = ',';
	}
	if (sep == '{')
		*p++ = sep;
	*p++ = '}';
	return p;
}

/* "retrans": {"rto": n, ...} by cause, or null. */
static char *js_causes(char *p, const struct tw_sock *s)
{
	unsigned int c;

	p = jp_key(p, JK("retrans"));
	if (!tw_sock_has(s, TCPWATCH_SOCK_A_RETRANS))
		return jp_null(p);
	for (c = 0; c < TCPWATCH_NCAUSES; c++) {
		memcpy(p, c ? ",\"" : "{\"", 2);
		p = tw_put_str(p + 2, tw_cause_name(c));
		memcpy(p, "\":", 2);
		p += 2;
		p = tw_put_u64(p, s->retrans[c]);
	}
	*p++ = '}';
	return p;
}

/* The timer, window and retransmission fields of a socket record. */
static char *js_sock_timers(char *p, const struct tw_sock *s)
{
#define HAS(a)	tw_sock_has(s, TCPWATCH_SOCK_A_##a)
	p = jp_name(p, JK("timer"), HAS(TIMER) ? tw_timer_name(s->timer, true) :
		    NULL);
	p = jp_u64(p, JK("rto_us"), HAS(RTO_US), s->rto_us);
	p = jp_u64(p, JK("backoff"), HAS(BACKOFF), s->backoff);
	p = jp_u64(p, JK("retransmits"), HAS(RETRANSMITS), s->retransmits);
	p = jp_u64(p, JK("probes"), HAS(PROBES), s->probes);
	p = jp_u64(p, JK("total_retrans"), HAS(TOTAL_RETRANS), s->total_retrans);
	p = jp_u64(p, JK("cwnd"), HAS(CWND), s->cwnd);
	p = jp_u64(p, JK("ssthresh"), HAS(SSTHRESH), s->ssthresh);
	p = jp_u64(p, JK("snd_wnd"), HAS(SND_WND), s->snd_wnd);
	p = jp_u64(p, JK("rcv_wnd"), HAS(RCV_WND), s->rcv_wnd);
	p = jp_u64(p, JK("snd_wscale"), HAS(SND_WSCALE), s->snd_wscale);
	p = jp_u64(p, JK("rcv_wscale"), HAS(RCV_WSCALE), s->rcv_wscale);
	p = jp_u64(p, JK("mss"), HAS(MSS), s->mss);
	p = jp_u64(p, JK("inflight"), HAS(INFLIGHT), s->inflight);
	p = jp_u64(p, JK("unacked"), HAS(UNACKED), s->unacked);
	p = jp_u64(p, JK("srtt_us"), HAS(SRTT_US), s->srtt_us);
	p = jp_u64(p, JK("rttvar_us"), HAS(RTTVAR_US), s->rttvar_us);
	p = jp_name(p, JK("ca_state"), HAS(CA_STATE) ? tw_ca_name(s->ca_state) :
		    NULL);
	p = jp_str(p, JK("cc"), HAS(CC) ? s->cc : NULL);
	p = js_causes(p, s);
	p = jp_u64(p, JK("rto_expiries"), HAS(RTO_EXPIRIES), s->rto_expiries);
	p = jp_u64(p, JK("loss_probes"), HAS(LOSS_PROBES), s->loss_probes);
	p = jp_u64(p, JK("zw_probes"), HAS(ZW_PROBES), s->zw_probes);
	return jp_u64(p, JK("undos"), HAS(UNDOS), s->undos);
#undef HAS
}

/*
 * The fields every socket record has, from ',"id":' on (a record that
 * starts with them opens with '{' in place of that comma).  The socket
 * table (@table) shows a request socket's state as SYN_RECV and adds
 * "request_sock"; closed records and events keep the kernel's state.
 */
static char *js_sock_fields(char *p, const struct tw_sock *s, bool table)
{
#define HAS(a)	tw_sock_has(s, TCPWATCH_SOCK_A_##a)
	p = jp_u64(p, JK("id"), HAS(ID), s->id);
	p = jp_key(p, JK("family"));
	memcpy(p, s->family == AF_INET ? "\"ipv4\"" : "\"ipv6\"", 6);
	p += 6;
	p = jp_state(p, JK("state"), HAS(STATE),
		     table ? tw_state_shown(s->state) : s->state);
	p = jp_addr(p, JK("local_addr"), s->family, s->saddr);
	p = jp_u64(p, JK("local_port"), true, s->sport);
	p = jp_addr(p, JK("remote_addr"), s->family, s->daddr);
	p = jp_u64(p, JK("remote_port"), true, s->dport);
	p = jp_bool(p, JK("tracked"), s->tracked);
	p = jp_bool(p, JK("since_load"), s->since_load);
	p = jp_bool(p, JK("timewait"), s->timewait);
	if (table)
		p = jp_bool(p, JK("request_sock"), tw_sock_is_request(s));
	p = jp_u64(p, JK("in_state_ns"), HAS(IN_STATE_NS), s->in_state_ns);
	p = jp_u64(p, JK("lifetime_ns"), HAS(LIFETIME_NS), s->lifetime_ns);
	p = jp_u64(p, JK("transitions"), HAS(TRANSITIONS), s->transitions);
	p = jp_u64(p, JK("syn_retrans"), HAS(SYN_RETRANS), s->syn_retrans);
	p = jp_u64(p, JK("timer_ns"), HAS(TIMER_NS), s->timer_ns);
	p = jp_u64(p, JK("pid"), HAS(PID), s->pid);
	p = jp_str(p, JK("comm"), HAS(COMM) ? s->comm : NULL);
	p = jp_u64(p, JK("netns"), HAS(NETNS), s->netns);
	return js_state_times(p, s);
#undef HAS
}

/* ---- text ---- */

static const char *dur_or_dash(char *buf, size_t len, bool has, uint64_t ns,
			       bool star)
{
	if (!has)
		return "-";
	tw_fmt_duration(buf, len, ns);
	if (star)
		strncat(buf, "*", len - strlen(buf) - 1);
	return buf;
}

/* A number, or "-" if not sent. */
static char *put_num(char *p, bool has, uint64_t v)
{
	if (has)
		return tw_put_u64(p, v);
	*p++ = '-';
	return p;
}

/* "pid/comm", "pid", "-/comm" or "-". */
static char *put_pid_comm(char *p, bool has_pid, uint32_t pid, bool has_comm,
			  const char *comm)
{
	p = put_num(p, has_pid && pid, pid);
	if (!has_comm || !comm[0])
		return p;
	*p++ = '/';
	/* a comm is any bytes: keep control characters off the terminal */
	for (; *comm; comm++)
		*p++ = (unsigned char)*comm < 0x20 || *comm == 0x7f ?
		       '?' : *comm;
	return p;
}

static const char *pid_comm_str(char *buf, size_t len, bool has_pid,
				uint32_t pid, bool has_comm, const char *comm)
{
	char tmp[TW_COMM_LEN + 16];

	tw_strput(buf, len, 0, tmp,
		  put_pid_comm(tmp, has_pid, pid, has_comm, comm) - tmp);
	return buf;
}

static const char *pid_comm(char *buf, size_t len, const struct tw_sock *s)
{
	return pid_comm_str(buf, len, tw_sock_has(s, TCPWATCH_SOCK_A_PID),
			    s->pid, tw_sock_has(s, TCPWATCH_SOCK_A_COMM),
			    s->comm);
}

static const char *num_or_dash(char *buf, size_t len, bool has, uint64_t v)
{
	char num[24], *p = num + sizeof(num);

	if (!has)
		return "-";
	p = tw_dec(p, v);
	tw_strput(buf, len, 0, p, num + sizeof(num) - p);
	return buf;
}

static const char *u32_or_dash(char *buf, size_t len, bool has, uint32_t v)
{
	return num_or_dash(buf, len, has, v);
}

/* ssthresh: "inf" before the first loss, as the kernel's initial value */
static const char *ssthresh_str(char *buf, size_t len, bool has, uint32_t v)
{
	if (has && v >= TW_SSTHRESH_INFINITE)
		return "inf";
	return u32_or_dash(buf, len, has, v);
}

static const char *usecs_or_dash(char *buf, size_t len, bool has,
				 uint64_t us)
{
	return has ? tw_fmt_usecs(buf, len, us) : "-";
}

static const char *since_load_note =
	"* since tcpwatch was loaded: the socket is older than the module\n";

static const char * const sock_hdr[] = {
	"State", "Local Address:Port", "Peer Address:Port",
	"In-State", "Trans", "Timer", "PID/Comm",
};
static const enum tw_align sock_al[] = {
	TW_LEFT, TW_LEFT, TW_LEFT, TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_LEFT,
};

void tw_sockets_begin(struct tw_sockets_out *o, FILE *f, bool json)
{
	o->f = f;
	o->json = json;
	o->star = false;
	o->n = 0;
	if (json) {
		tw_out_init(&o->w, f);
		tw_out_lit(&o->w, "{\"sockets\":[");
	} else {
		tw_table_init(&o->t, ARRAY_SIZE(sock_hdr), sock_hdr, sock_al);
	}
}

static int sockets_json_row(struct tw_sockets_out *o, const struct tw_sock *s)
{
	char *p, *open;

	if (o->n)
		tw_out_lit(&o->w, ",\n");
	else
		tw_out_lit(&o->w, "\n");
	open = tw_out_room(&o->w, SOCK_JSON_MAX);
	p = js_sock_fields(open, s, true);
	p = js_sock_timers(p, s);
	*open = '{';
	*p++ = '}';
	tw_out_commit(&o->w, p);
	o->n++;
	return 0;
}

int tw_sockets_row(struct tw_sockets_out *o, const struct tw_sock *s)
{
	char local[64], peer[64], dur[32], trans[16], timer[32];
	char pc[TW_COMM_LEN + 16];
	const char *row[ARRAY_SIZE(sock_hdr)];

	if (o->json)
		return sockets_json_row(o, s);
	/* request socks: SYN-RECV, and no in-state time ("-") */
	row[0] = tw_state_str(tw_state_shown(s->state));
	row[1] = tw_fmt_endpoint(local, sizeof(local), s->family, s->saddr,
				 s->sport);
	row[2] = tw_fmt_endpoint(peer, sizeof(peer), s->family, s->daddr,
				 s->dport);
	row[3] = dur_or_dash(dur, sizeof(dur),
			     tw_sock_has(s, TCPWATCH_SOCK_A_IN_STATE_NS),
			     s->in_state_ns, s->since_load);
	row[4] = u32_or_dash(trans, sizeof(trans),
			     tw_sock_has(s, TCPWATCH_SOCK_A_TRANSITIONS),
			     s->transitions);
	/* the TIME_WAIT timer: on timewait sockets only */
	row[5] = dur_or_dash(timer, sizeof(timer),
			     tw_sock_has(s, TCPWATCH_SOCK_A_TIMER_NS) &&
			     (s->timewait || s->state == TW_TCP_TIME_WAIT),
			     s->timer_ns, false);
	row[6] = pid_comm(pc, sizeof(pc), s);
	o->star |= s->since_load &&
		   tw_sock_has(s, TCPWATCH_SOCK_A_IN_STATE_NS);
	if (tw_table_add(&o->t, row) < 0)
		return -1;
	o->n++;
	return 0;
}

void tw_sockets_end(struct tw_sockets_out *o)
{
	if (o->json) {
		tw_out_lit(&o->w, "\n]}\n");
		tw_out_flush(&o->w);
		return;
	}
	tw_table_print(o->f, &o->t);
	tw_table_free(&o->t);
	if (o->star)
		fputs(since_load_note, o->f);
}

void tw_sockets_abort(struct tw_sockets_out *o)
{
	if (!o->json)
		tw_table_free(&o->t);
}

void tw_render_sockets(FILE *f, const struct tw_sock *socks, size_t n,
		       bool json)
{
	struct tw_sockets_out *o = malloc(sizeof(*o));
	size_t i;

	if (!o)
		return;
	tw_sockets_begin(o, f, json);
	for (i = 0; i < n; i++)
		if (tw_sockets_row(o, &socks[i]) < 0)
			break;	/* out of memory: the rows so far */
	tw_sockets_end(o);
	free(o);
}

/* "rto 204ms": the pending timer and the time left; "-" for none. */
static const char *timer_cell(char *buf, size_t len, const struct tw_sock *s)
{
	bool has_left = tw_sock_has(s, TCPWATCH_SOCK_A_TIMER_NS);
	unsigned int timer = s->timer;
	char d[32];

	if (!tw_sock_has(s, TCPWATCH_SOCK_A_TIMER)) {
		/* older modules: the TIME_WAIT timer only */
		if (!has_left || !(s->timewait || s->state == TW_TCP_TIME_WAIT))
			return "-";
		timer = TCPWATCH_TIMER_TIME_WAIT;
	}
	if (timer == TCPWATCH_TIMER_NONE)
		return "-";
	if (has_left)
		snprintf(buf, len, "%s %s", tw_timer_name(timer, false),
			 tw_fmt_duration(d, sizeof(d), s->timer_ns));
	else
		snprintf(buf, len, "%s", tw_timer_name(timer, false));
	return buf;
}

void tw_render_sockets_timers(FILE *f, const struct tw_sock *socks, size_t n)
{
	static const char * const hdr[] = {
		"State", "Local Address:Port", "Peer Address:Port", "Timer",
		"RTO", "Backoff", "Rtx", "Retrans", "cwnd", "ssthresh",
		"snd_wnd", "rcv_wnd", "srtt", "CA", "CC",
	};
	static const enum tw_align al[] = {
		TW_LEFT, TW_LEFT, TW_LEFT, TW_LEFT, TW_RIGHT, TW_RIGHT,
		TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_RIGHT,
		TW_RIGHT, TW_LEFT, TW_LEFT,
	};
	struct tw_table t;
	size_t i;

	tw_table_init(&t, ARRAY_SIZE(hdr), hdr, al);
	for (i = 0; i < n; i++) {
		const struct tw_sock *s = &socks[i];
		char local[64], peer[64], timer[48], rto[32], boff[16];
		char rtx[16], tot[16], cwnd[16], sst[16], snd[16], rcv[16];
		char srtt[32];
		const char *row[ARRAY_SIZE(hdr)];

#define HAS(a)	tw_sock_has(s, TCPWATCH_SOCK_A_##a)
		row[0] = tw_state_str(tw_state_shown(s->state));
		row[1] = tw_fmt_endpoint(local, sizeof(local), s->family,
					 s->saddr, s->sport);
		row[2] = tw_fmt_endpoint(peer, sizeof(peer), s->family,
					 s->daddr, s->dport);
		row[3] = timer_cell(timer, sizeof(timer), s);
		row[4] = usecs_or_dash(rto, sizeof(rto), HAS(RTO_US),
				       s->rto_us);
		row[5] = u32_or_dash(boff, sizeof(boff), HAS(BACKOFF),
				     s->backoff);
		row[6] = u32_or_dash(rtx, sizeof(rtx), HAS(RETRANSMITS),
				     s->retransmits);
		row[7] = u32_or_dash(tot, sizeof(tot), HAS(TOTAL_RETRANS),
				     s->total_retrans);
		row[8] = u32_or_dash(cwnd, sizeof(cwnd), HAS(CWND), s->cwnd);
		row[9] = ssthresh_str(sst, sizeof(sst), HAS(SSTHRESH),
				      s->ssthresh);
		row[10] = u32_or_dash(snd, sizeof(snd), HAS(SND_WND),
				      s->snd_wnd);
		row[11] = u32_or_dash(rcv, sizeof(rcv), HAS(RCV_WND),
				      s->rcv_wnd);
		row[12] = usecs_or_dash(srtt, sizeof(srtt), HAS(SRTT_US),
					s->srtt_us);
		row[13] = HAS(CA_STATE) ? tw_ca_name(s->ca_state) : "-";
		row[14] = HAS(CC) && s->cc[0] ? s->cc : "-";
#undef HAS
		if (tw_table_add(&t, row) < 0)
			break;
	}
	tw_table_print(f, &t);
	tw_table_free(&t);
}

/* "SYN-SENT 1ms, ESTAB 2.0s, FIN-WAIT-1 40us" from STATE_TIME. */
static char *state_trail(char *buf, size_t len, const struct tw_sock *s)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	if (!tw_sock_has(s, TCPWATCH_SOCK_A_STATE_TIME)) {
		snprintf(buf, len, "-");
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(life_order); i++) {
		unsigned int st = life_order[i];
		char d[32];
		int w;

		if (!s->state_time_ns[st])
			continue;
		w = snprintf(buf + used, len - used, "%s%s %s",
			     used ? ", " : "", tw_state_str(st),
			     tw_fmt_duration(d, sizeof(d),
					     s->state_time_ns[st]));
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += w;
	}
	if (!used)
		snprintf(buf, len, "-");
	return buf;
}

void tw_render_closed(FILE *f, const struct tw_sock *socks, size_t n,
		      bool json)
{
	static const char * const hdr[] = {
		"Closed", "Local Address:Port", "Peer Address:Port", "Last",
		"Lifetime", "Trans", "PID/Comm", "States",
	};
	static const enum tw_align al[] = {
		TW_LEFT, TW_LEFT, TW_LEFT, TW_LEFT, TW_RIGHT, TW_RIGHT,
		TW_LEFT, TW_LEFT,
	};
	struct tw_table t;
	bool star = false;
	size_t i;

	if (json) {
		struct tw_out w;

		tw_out_init(&w, f);
		tw_out_puts(&w, "{\"closed\":[");
		for (i = 0; i < n; i++) {
			const struct tw_sock *s = &socks[i];
			char *p, *open;

			tw_out_puts(&w, i ? ",\n" : "\n");
			open = tw_out_room(&w, SOCK_JSON_MAX);
			p = open;
			p = js_sock_fields(p, s, false);
			p = jp_name(p, JK("last_state"),
				    tw_sock_has(s, TCPWATCH_SOCK_A_OLD_STATE) ?
				    tw_state_kstr(s->old_state) : NULL);
			p = jp_u64(p, JK("time_ns"),
				   tw_sock_has(s, TCPWATCH_SOCK_A_TIME_NS),
				   s->time_ns);
			p = js_sock_timers(p, s);
			*open = '{';
			*p++ = '}';
			tw_out_commit(&w, p);
		}
		tw_out_puts(&w, "\n]}\n");
		tw_out_flush(&w);
		return;
	}

	tw_table_init(&t, ARRAY_SIZE(hdr), hdr, al);
	for (i = 0; i < n; i++) {
		const struct tw_sock *s = &socks[i];
		char when[32], local[64], peer[64], life[32], trans[16];
		char pc[TW_COMM_LEN + 16], states[512];
		const char *row[ARRAY_SIZE(hdr)];

		row[0] = tw_sock_has(s, TCPWATCH_SOCK_A_TIME_NS) ?
			tw_fmt_clock(when, sizeof(when), s->time_ns) : "-";
		row[1] = tw_fmt_endpoint(local, sizeof(local), s->family,
					 s->saddr, s->sport);
		row[2] = tw_fmt_endpoint(peer, sizeof(peer), s->family,
					 s->daddr, s->dport);
		row[3] = tw_sock_has(s, TCPWATCH_SOCK_A_OLD_STATE) ?
			tw_state_str(s->old_state) : "-";
		row[4] = dur_or_dash(life, sizeof(life),
				     tw_sock_has(s, TCPWATCH_SOCK_A_LIFETIME_NS),
				     s->lifetime_ns, s->since_load);
		row[5] = u32_or_dash(trans, sizeof(trans),
				     tw_sock_has(s, TCPWATCH_SOCK_A_TRANSITIONS),
				     s->transitions);
		row[6] = pid_comm(pc, sizeof(pc), s);
		row[7] = state_trail(states, sizeof(states), s);
		star |= s->since_load &&
			tw_sock_has(s, TCPWATCH_SOCK_A_LIFETIME_NS);
		if (tw_table_add(&t, row) < 0)
			break;
	}
	tw_table_print(f, &t);
	tw_table_free(&t);
	if (star)
		fputs(since_load_note, f);
}

void tw_render_event_header(FILE *f, bool json)
{
	if (json)
		return;
	fprintf(f, "%-15s %-8s %-21s %-21s %-26s %8s %s\n", "TIME", "EVENT",
		"LOCAL", "PEER", "OLD -> NEW", "IN-OLD", "PID/COMM");
}

/*
 * The fields of an event after the socket's: handshake, retransmission,
 * timer and window.  Each is null exactly when its attribute, one of
 * OUTCOME and those after it (EV_TAIL_ATTRS), was not sent.
 */
static char *js_event_tail(char *p, const struct tw_sock *ev)
{
	const char *outcome = tw_outcome_name(ev->outcome);

#define HAS(a)	tw_sock_has(ev, TCPWATCH_SOCK_A_##a)
	p = jp_name(p, JK("outcome"), !HAS(OUTCOME) ? NULL :
		    outcome ? outcome : "unknown");
	p = jp_u64(p, JK("synack_retrans"), HAS(SYNACK_RETRANS),
		   ev->synack_retrans);
	p = jp_name(p, JK("retrans_cause"), HAS(RETRANS_CAUSE) ?
		    tw_cause_name(ev->retrans_cause) : NULL);
	p = jp_name(p, JK("old_ca_state"), HAS(OLD_CA_STATE) ?
		    tw_ca_name(ev->old_ca_state) : NULL);
	p = jp_u64(p, JK("seq"), HAS(SEQ), ev->seq);
	return js_sock_timers(p, ev);
#undef HAS
}

/* (test_render.c's render_event_tail_each_attr holds it to that) */
#define EV_TAIL_ATTRS	(~0ULL << TCPWATCH_SOCK_A_OUTCOME)

/*
 * js_event_tail() of an event that has none of its attributes, the most
 * of them (state changes): thirty nulls, written once by js_event_tail()
 * itself and copied whole after that.
 */
static char *js_event_tail_nulls(char *p)
{
	static char nulls[SOCK_JSON_MAX];
	static size_t len;

	if (!len) {
		static const struct tw_sock none;

		len = js_event_tail(nulls, &none) - nulls;
	}
	memcpy(p, nulls, len);
	return p + len;
}

static void event_json(struct tw_out *w, const struct tw_sock *ev)
{
	char *p = tw_out_room(w, SOCK_JSON_MAX), *open = p;

#define HAS(a)	tw_sock_has(ev, TCPWATCH_SOCK_A_##a)
	p = jp_jname(p, JK("event"), jevent(ev->event));
	*open = '{';
	p = jp_u64(p, JK("time_ns"), HAS(TIME_NS), ev->time_ns);
	p = jp_state(p, JK("old_state"), HAS(OLD_STATE), ev->old_state);
	p = jp_u64(p, JK("old_state_ns"), HAS(OLD_STATE_NS), ev->old_state_ns);
	p = js_sock_fields(p, ev, false);
	if (ev->present & EV_TAIL_ATTRS)
		p = js_event_tail(p, ev);
	else
		p = js_event_tail_nulls(p);
	memcpy(p, "}\n", 2);
	tw_out_commit(w, p + 2);
#undef HAS
}

/* ---- event lines, written in place ---- */

/*
 * Room for one line of text of any event: two IPv6 endpoints and a comm
 * of TW_COMM_LEN bytes take the most, under 256.
 */
#define EV_LINE_MAX	512

/* @end padded to @width bytes from @start ("%-*s"), then a space. */
static char *col(char *start, char *end, size_t width)
{
	end = tw_pad_to(start, end, width);
	*end++ = ' ';
	return end;
}

/* The @n bytes of @s at @p, right-aligned in @width (at most 32). */
static char *put_right(char *p, const char *s, size_t n, size_t width)
{
	if (n < width) {
		memcpy(p, "                                ", 32);
		p += width - n;
	}
	tw_copy(p, s, n);
	return p + n;
}

/* ssthresh: "inf" before the first loss, as the kernel's initial value */
static char *put_ssthresh(char *p, bool has, uint32_t v)
{
	if (has && v >= TW_SSTHRESH_INFINITE)
		return tw_put_str(p, "inf");
	return put_num(p, has, v);
}

/* Microseconds as tw_fmt_usecs() has them, "-" if not sent. */
static char *put_usecs(char *p, bool has, uint64_t us)
{
	char buf[32];

	return tw_put_str(p, has ? tw_fmt_usecs(buf, sizeof(buf), us) : "-");
}

/*
 * put_num(), put_ssthresh() and put_usecs() right-aligned in @width
 * ("%*s"), then a space, as col()
 */
static char *rnum(char *p, size_t width, bool has, uint64_t v)
{
	char cell[24];

	p = put_right(p, cell, put_num(cell, has, v) - cell, width);
	*p++ = ' ';
	return p;
}

static char *rssthresh(char *p, size_t width, bool has, uint32_t v)
{
	char cell[24];

	p = put_right(p, cell, put_ssthresh(cell, has, v) - cell, width);
	*p++ = ' ';
	return p;
}

static char *rusecs(char *p, size_t width, bool has, uint64_t us)
{
	char cell[32];

	p = put_right(p, cell, put_usecs(cell, has, us) - cell, width);
	*p++ = ' ';
	return p;
}

/* The event's time as "HH:MM:SS.uuuuuu", "-" if it has none. */
static char *put_when(char *p, const struct tw_sock *ev)
{
	if (tw_sock_has(ev, TCPWATCH_SOCK_A_TIME_NS))
		return tw_put_clock(p, ev->time_ns);
	*p++ = '-';
	return p;
}

static char *put_local(char *p, const struct tw_sock *ev)
{
	return tw_put_endpoint(p, ev->family, ev->saddr, ev->sport);
}

static char *put_peer(char *p, const struct tw_sock *ev)
{
	return tw_put_endpoint(p, ev->family, ev->daddr, ev->dport);
}

/* "open->recovery", "->loss" with "?" for the one not sent, or "-". */
static char *put_ca_change(char *p, const struct tw_sock *ev)
{
	bool has_old = tw_sock_has(ev, TCPWATCH_SOCK_A_OLD_CA_STATE);
	bool has_new = tw_sock_has(ev, TCPWATCH_SOCK_A_CA_STATE);

	if (!has_old && !has_new)
		return tw_put_str(p, "-");
	p = tw_put_str(p, has_old ? tw_ca_name(ev->old_ca_state) : "?");
	p = tw_put_str(p, "->");
	return tw_put_str(p, has_new ? tw_ca_name(ev->ca_state) : "?");
}

/*
 * A half-open lifetime: as tw_fmt_duration(), but with two decimals
 * between 1 and 60 seconds ("7.00s"), where the SYN-ACK timeouts fall.
 */
static char *put_hs_duration(char *p, uint64_t ns)
{
	uint64_t s = ns / 1000000000ULL;
	unsigned int cs = ns % 1000000000ULL / 10000000ULL;
	char buf[32];

	if (s < 1 || s >= 60)
		return tw_put_str(p, tw_fmt_duration(buf, sizeof(buf), ns));
	p = tw_put_u64(p, s);
	*p++ = '.';
	*p++ = '0' + cs / 10;
	*p++ = '0' + cs % 10;
	*p++ = 's';
	return p;
}

/*
 * "TIME KIND LISTENER <- CLIENT DETAIL": the handshake events, and kinds
 * this tool does not know.
 */
static char *handshake_line(char *p, const struct tw_sock *ev)
{
#define HAS(a)	tw_sock_has(ev, TCPWATCH_SOCK_A_##a)
	bool known = ev->event == TCPWATCH_EV_HALFOPEN_END ||
		     ev->event == TCPWATCH_EV_SYNACK_RETRANS ||
		     ev->event == TCPWATCH_EV_SYN_DROP ||
		     ev->event == TCPWATCH_EV_ACCEPTQ_OVERFLOW;

	p = col(p, put_when(p, ev), 0);
	if (known)
		p = tw_put_str(p, tw_event_name(ev->event, false));
	else
		p = tw_put_u64(tw_put_str(p, "event-"), ev->event);
	*p++ = ' ';
	p = tw_put_str(put_local(p, ev), " <- ");
	p = put_peer(p, ev);
	switch (ev->event) {
	case TCPWATCH_EV_HALFOPEN_END: {
		const char *o = HAS(OUTCOME) ? tw_outcome_name(ev->outcome) :
				"ended";

		*p++ = ' ';
		if (o)
			p = tw_put_str(p, o);
		else
			p = tw_put_u64(tw_put_str(p, "outcome "), ev->outcome);
		if (HAS(LIFETIME_NS))
			p = put_hs_duration(tw_put_str(p, " after "),
					    ev->lifetime_ns);
		if (HAS(SYNACK_RETRANS))
			p = tw_put_str(tw_put_u64(tw_put_str(p, ", "),
						  ev->synack_retrans),
				       " SYN-ACK rtx");
		break;
	}
	case TCPWATCH_EV_SYNACK_RETRANS:
		if (HAS(SYNACK_RETRANS)) {
			p = tw_put_u64(tw_put_str(p, " (#"), ev->synack_retrans);
			*p++ = ')';
		}
		break;
	case TCPWATCH_EV_SYN_DROP:
		p = tw_put_str(p, " SYN queue full");
		break;
	case TCPWATCH_EV_ACCEPTQ_OVERFLOW:
		p = tw_put_str(p, " accept queue full");
		break;
	}
#undef HAS
	return p;
}

bool tw_event_is_timer(unsigned int event)
{
	return event == TCPWATCH_EV_RETRANS || event == TCPWATCH_EV_RTO ||
	       event == TCPWATCH_EV_CA_STATE || event == TCPWATCH_EV_WINDOW;
}

/* "TIME KIND LOCAL -> PEER DETAIL" for retrans, rto, ca-state, window. */
static char *timer_line(char *p, const struct tw_sock *ev)
{
#define HAS(x)	tw_sock_has(ev, TCPWATCH_SOCK_A_##x)
	p = col(p, put_when(p, ev), 0);
	p = col(p, tw_put_str(p, tw_event_name(ev->event, false)), 0);
	p = put_peer(tw_put_str(put_local(p, ev), " -> "), ev);
	switch (ev->event) {
	case TCPWATCH_EV_RETRANS:
		p = tw_put_str(p, " cause ");
		p = tw_put_str(p, HAS(RETRANS_CAUSE) ?
			       tw_cause_name(ev->retrans_cause) : "-");
		*p++ = ',';
		/* fall through */
	case TCPWATCH_EV_RTO:
		p = put_usecs(tw_put_str(p, " rto "), HAS(RTO_US), ev->rto_us);
		p = put_num(tw_put_str(p, ", backoff "), HAS(BACKOFF),
			    ev->backoff);
		p = put_num(tw_put_str(p, ", rtx "), HAS(RETRANSMITS),
			    ev->retransmits);
		p = put_num(tw_put_str(p, ", cwnd "), HAS(CWND), ev->cwnd);
		p = put_ssthresh(tw_put_str(p, ", ssthresh "), HAS(SSTHRESH),
				 ev->ssthresh);
		break;
	case TCPWATCH_EV_CA_STATE:
		p = put_ca_change(tw_put_str(p, " "), ev);
		p = put_num(tw_put_str(p, ", cwnd "), HAS(CWND), ev->cwnd);
		p = put_ssthresh(tw_put_str(p, ", ssthresh "), HAS(SSTHRESH),
				 ev->ssthresh);
		break;
	default:	/* window */
		p = put_num(tw_put_str(p, " cwnd "), HAS(CWND), ev->cwnd);
		p = put_ssthresh(tw_put_str(p, ", ssthresh "), HAS(SSTHRESH),
				 ev->ssthresh);
		p = put_num(tw_put_str(p, ", snd_wnd "), HAS(SND_WND),
			    ev->snd_wnd);
		p = put_num(tw_put_str(p, ", rcv_wnd "), HAS(RCV_WND),
			    ev->rcv_wnd);
		p = put_usecs(tw_put_str(p, ", srtt "), HAS(SRTT_US),
			      ev->srtt_us);
		p = put_num(tw_put_str(p, ", inflight "), HAS(INFLIGHT),
			    ev->inflight);
	}
#undef HAS
	return p;
}

/* "TIME EVENT LOCAL PEER OLD -> NEW IN-OLD PID/COMM": state changes. */
static char *state_line(char *p, const struct tw_sock *ev)
{
	char *start;

#define HAS(x)	tw_sock_has(ev, TCPWATCH_SOCK_A_##x)
	p = col(p, put_when(p, ev), 15);
	p = col(p, tw_put_str(p, tw_event_name(ev->event, false)), 8);
	p = col(p, put_local(p, ev), 21);
	p = col(p, put_peer(p, ev), 21);
	start = p;
	if (HAS(OLD_STATE))
		p = tw_put_str(tw_put_str(p, tw_state_str(ev->old_state)),
			       " -> ");
	p = col(start, tw_put_str(p, tw_state_str(ev->state)), 26);
	if (HAS(OLD_STATE_NS)) {
		char dur[32];

		tw_fmt_duration(dur, sizeof(dur), ev->old_state_ns);
		p = put_right(p, dur, strlen(dur), 8);
	} else {
		p = put_right(p, "-", 1, 8);
	}
	*p++ = ' ';
	return put_pid_comm(p, HAS(PID), ev->pid, HAS(COMM), ev->comm);
#undef HAS
}

/* An event in JSON written whole (NULL), or where its line of text goes. */
static char *line_start(struct tw_out *w, const struct tw_sock *ev,
			bool json)
{
	if (!json)
		return tw_out_room(w, EV_LINE_MAX);
	event_json(w, ev);
	return NULL;
}

void tw_render_event_out(struct tw_out *w, const struct tw_sock *ev,
			 bool json)
{
	char *p = line_start(w, ev, json);

	if (!p)
		return;
	if (tw_event_is_timer(ev->event))
		p = timer_line(p, ev);
	else if (!tw_event_has_states(ev->event))
		p = handshake_line(p, ev);
	else
		p = state_line(p, ev);
	*p++ = '\n';
	tw_out_commit(w, p);
}

void tw_render_retrans_header(FILE *f, bool json)
{
	if (json)
		return;
	fprintf(f, "%-15s %-7s %-21s %-21s %-16s %8s %4s %3s %6s %8s\n",
		"TIME", "EVENT", "LOCAL", "PEER", "CAUSE/CA", "RTO", "BOFF",
		"RTX", "CWND", "SSTHRESH");
}

void tw_render_retrans_out(struct tw_out *w, const struct tw_sock *ev,
			   bool json)
{
	char *p = line_start(w, ev, json);
	const char *what = "-";

	if (!p)
		return;
#define HAS(x)	tw_sock_has(ev, TCPWATCH_SOCK_A_##x)
	p = col(p, put_when(p, ev), 15);
	p = col(p, tw_put_str(p, tw_event_name(ev->event, false)), 7);
	p = col(p, put_local(p, ev), 21);
	p = col(p, put_peer(p, ev), 21);
	if (ev->event == TCPWATCH_EV_RETRANS && HAS(RETRANS_CAUSE))
		what = tw_cause_name(ev->retrans_cause);
	else if (ev->event == TCPWATCH_EV_RTO)
		what = "expired";
	if (ev->event == TCPWATCH_EV_CA_STATE)
		p = col(p, put_ca_change(p, ev), 16);
	else
		p = col(p, tw_put_str(p, what), 16);
	p = rusecs(p, 8, HAS(RTO_US), ev->rto_us);
	p = rnum(p, 4, HAS(BACKOFF), ev->backoff);
	p = rnum(p, 3, HAS(RETRANSMITS), ev->retransmits);
	p = rnum(p, 6, HAS(CWND), ev->cwnd);
	p = rssthresh(p, 8, HAS(SSTHRESH), ev->ssthresh);
	p[-1] = '\n';		/* in place of the last cell's space */
	tw_out_commit(w, p);
#undef HAS
}

void tw_render_window_header(FILE *f, bool json)
{
	if (json)
		return;
	fprintf(f, "%-15s %-21s %-21s %6s %8s %10s %10s %9s %10s\n", "TIME",
		"LOCAL", "PEER", "CWND", "SSTHRESH", "SND_WND", "RCV_WND",
		"SRTT", "INFLIGHT");
}

void tw_render_window_out(struct tw_out *w, const struct tw_sock *ev,
			  bool json)
{
	char *p = line_start(w, ev, json);

	if (!p)
		return;
#define HAS(x)	tw_sock_has(ev, TCPWATCH_SOCK_A_##x)
	p = col(p, put_when(p, ev), 15);
	p = col(p, put_local(p, ev), 21);
	p = col(p, put_peer(p, ev), 21);
	p = rnum(p, 6, HAS(CWND), ev->cwnd);
	p = rssthresh(p, 8, HAS(SSTHRESH), ev->ssthresh);
	p = rnum(p, 10, HAS(SND_WND), ev->snd_wnd);
	p = rnum(p, 10, HAS(RCV_WND), ev->rcv_wnd);
	p = rusecs(p, 9, HAS(SRTT_US), ev->srtt_us);
	p = rnum(p, 10, HAS(INFLIGHT), ev->inflight);
	p[-1] = '\n';		/* in place of the last cell's space */
	tw_out_commit(w, p);
#undef HAS
}

/* The renderers above, written to @f at once. */
typedef void (*event_out_fn)(struct tw_out *w, const struct tw_sock *ev,
			     bool json);

static void event_to_file(FILE *f, const struct tw_sock *ev, bool json,
			  event_out_fn out)
{
	struct tw_out w;

	tw_out_init(&w, f);
	out(&w, ev, json);
	tw_out_flush(&w);
}

void tw_render_event(FILE *f, const struct tw_sock *ev, bool json)
{
	event_to_file(f, ev, json, tw_render_event_out);
}

void tw_render_retrans(FILE *f, const struct tw_sock *ev, bool json)
{
	event_to_file(f, ev, json, tw_render_retrans_out);
}

void tw_render_window(FILE *f, const struct tw_sock *ev, bool json)
{
	event_to_file(f, ev, json, tw_render_window_out);
}

/* ---- histograms other than time in state ---- */

/* The histograms other than time in state, by enum tcpwatch_hist_kind. */
static const struct {
	const char *json;	/* key in "histograms" */
	const char *label;	/* row of the summary table */
	const char *title;	/* over the bar chart */
	const char *unit;	/* the chart's value column */
	bool usecs;		/* µs, or a plain count */
} hist_kinds[TW_HIST_KINDS] = {
	[TCPWATCH_HIST_CONNECT] = {
		"connect", "connect latency",
		"connect latency (usecs)", "usecs", true,
	},
	[TCPWATCH_HIST_HALFOPEN_DONE] = {
		"halfopen_done", "half-open lifetime, completed",
		"half-open lifetime, completed (usecs)", "usecs", true,
	},
	[TCPWATCH_HIST_HALFOPEN_EXPIRED] = {
		"halfopen_expired", "half-open lifetime, expired",
		"half-open lifetime, expired (usecs)", "usecs", true,
	},
	[TCPWATCH_HIST_SYNACK_RETRANS] = {
		"synack_retrans",
		"SYN-ACK retransmissions per completed handshake",
		"SYN-ACK retransmissions per completed handshake",
		"retransmits", false,
	},
	[TCPWATCH_HIST_ACCEPT_WAIT] = {
		"accept_wait", "accept-queue wait",
		"accept-queue wait (usecs)", "usecs", true,
	},
	[TCPWATCH_HIST_RTO] = {
		"rto", "RTO at expiry",
		"RTO at expiry (usecs)", "usecs", true,
	},
	[TCPWATCH_HIST_SRTT] = {
		"srtt", "srtt at close",
		"srtt at close (usecs)", "usecs", true,
	},
	[TCPWATCH_HIST_RETRANS] = {
		"retrans", "retransmissions per closed connection",
		"retransmissions per closed connection",
		"retransmits", false,
	},
};

bool tw_hist_kind_name(unsigned int kind, const char **json,
		       const char **title)
{
	if (kind >= TW_HIST_KINDS || !hist_kinds[kind].json)
		return false;
	*json = hist_kinds[kind].json;
	*title = hist_kinds[kind].title;
	return true;
}

void tw_render_hist_chart(FILE *f, unsigned int kind, const struct tw_hist *h)
{
	if (kind >= TW_HIST_KINDS || !hist_kinds[kind].json)
		return;
	fprintf(f, "%s:\n", hist_kinds[kind].title);
	if (!h->present)
		fputs("     not sent by the module\n", f);
	else if (!h->count)
		fputs("     no samples\n", f);
	else
		tw_print_log2_hist(f, h->slots, TCPWATCH_HIST_SLOTS,
				   hist_kinds[kind].unit);
}

static void j_slots(struct tw_out *w, bool *first, const struct tw_hist *h)
{
	unsigned int j;

	j_key(w, first, "slots");
	tw_out_putc(w, '[');
	for (j = 0; j < TCPWATCH_HIST_SLOTS; j++) {
		if (j)
			tw_out_putc(w, ',');
		tw_out_u64(w, h->slots[j]);
	}
	tw_out_putc(w, ']');
}

/*
 * "histograms": the kinds of @kh by name, each an object or null (not
 * sent); @listener: only the kinds a listener has (tw_listener_kind()).
 */
static void j_kind_hists(struct tw_out *w, bool *first,
			 const struct tw_hist *kh, bool listener)
{
	bool inner = true;
	unsigned int k;

	j_key(w, first, "histograms");
	tw_out_putc(w, '{');
	for (k = 0; k < TW_HIST_KINDS; k++) {
		const struct tw_hist *h = &kh[k];
		bool e = true;

		if (!hist_kinds[k].json || (listener && !tw_listener_kind(k)))
			continue;
		j_key(w, &inner, hist_kinds[k].json);
		if (!h->present) {
			tw_out_puts(w, "null");
			continue;
		}
		tw_out_putc(w, '{');
		j_u64(w, &e, "count", true, h->count);
		j_u64(w, &e, "sum", true, h->sum_us);
		j_slots(w, &e, h);
		tw_out_putc(w, '}');
	}
	tw_out_putc(w, '}');
}

/*
 * The bar chart of histogram @h of kind @k, under its title; @who, if
 * not NULL, goes before the title (a listener's address:port).
 */
static void kind_chart(FILE *f, const char *who, unsigned int k,
		       const struct tw_hist *h)
{
	if (who)
		fprintf(f, "\n%s %s:\n", who, hist_kinds[k].title);
	else
		fprintf(f, "\n%s:\n", hist_kinds[k].title);
	tw_print_log2_hist(f, h->slots, TCPWATCH_HIST_SLOTS, hist_kinds[k].unit);
}

/* ---- listeners, half-open connections ---- */

static const char *listener_since_load_note =
	"* counters since tcpwatch's load: the listener is older than the module\n";

/* "3/16" (queue length / limit), "3" without a limit, "-" without both. */
static const char *queue_str(char *buf, size_t len, bool has_len,
			     uint64_t n, bool has_max, uint64_t max)
{
	if (!has_len)
		return "-";
	if (has_max)
		snprintf(buf, len, "%" PRIu64 "/%" PRIu64, n, max);
	else
		snprintf(buf, len, "%" PRIu64, n);
	return buf;
}

/*
 * The handshake counters, TCPWATCH_{LISTENER,STATS}_A_SYNS .. COOKIES_RECV
 * in order: bit i of @present for the i-th of them.
 */
_Static_assert(TCPWATCH_LISTENER_A_COOKIES_RECV - TCPWATCH_LISTENER_A_SYNS == 7 &&
	       TCPWATCH_STATS_A_COOKIES_RECV - TCPWATCH_STATS_A_SYNS == 7,
	       "the handshake counters are eight attributes in a row");

static void j_handshakes(struct tw_out *w, bool *first,
			 const struct tw_handshakes *hs, uint64_t present)
{
	j_u64(w, first, "syns", present & 1, hs->syns);
	j_u64(w, first, "completed", present >> 1 & 1, hs->completed);
	j_u64(w, first, "expired", present >> 2 & 1, hs->expired);
	j_u64(w, first, "resets", present >> 3 & 1, hs->resets);
	j_u64(w, first, "synq_drops", present >> 4 & 1, hs->synq_drops);
	j_u64(w, first, "acceptq_drops", present >> 5 & 1, hs->acceptq_drops);
	j_u64(w, first, "cookies_sent", present >> 6 & 1, hs->cookies_sent);
	j_u64(w, first, "cookies_recv", present >> 7 & 1, hs->cookies_recv);
}

static void listener_json(struct tw_out *w, const struct tw_listener *l)
{
	bool first = true;
	char addr[64];

#define HAS(a)	tw_listener_has(l, TCPWATCH_LISTENER_A_##a)
	tw_out_putc(w, '{');
	j_str(w, &first, "family", l->family == AF_INET ? "ipv4" : "ipv6");
	j_str(w, &first, "local_addr",
	      tw_fmt_addr(addr, sizeof(addr), l->family, l->addr));
	j_u64(w, &first, "local_port", true, l->port);
	j_u64(w, &first, "pid", HAS(PID), l->pid);
	j_str(w, &first, "comm", HAS(COMM) ? l->comm : NULL);
	j_bool(w, &first, "since_load", l->since_load);
	j_u64(w, &first, "backlog", HAS(BACKLOG), l->backlog);
	j_u64(w, &first, "synq_len", HAS(SYNQ_LEN), l->synq_len);
	j_u64(w, &first, "acceptq_len", HAS(ACCEPTQ_LEN), l->acceptq_len);
	j_u64(w, &first, "syncookies", HAS(SYNCOOKIES), l->syncookies);
	j_u64(w, &first, "synack_retries", HAS(SYNACK_RETRIES),
	      l->synack_retries);
	j_u64(w, &first, "halfopen_lifetime_ns", HAS(HALFOPEN_NS),
	      l->halfopen_ns);
	j_u64(w, &first, "synack_retrans", HAS(SYNACK_RETRANS),
	      l->synack_retrans);
	j_handshakes(w, &first, &l->hs,
		     l->present >> TCPWATCH_LISTENER_A_SYNS);
	j_kind_hists(w, &first, l->kind_hist, true);
	tw_out_putc(w, '}');
#undef HAS
}

/* Whether @l has any of the handshake counters. */
static bool listener_has_hs(const struct tw_listener *l)
{
	return (l->present >> TCPWATCH_LISTENER_A_SYNS) & 0xff;
}

/*
 * The second line of each listener in the text table: its handshake
 * counters, "-" for one not sent.  Returns 0 or -1 (ENOMEM).
 */
static int listener_hs_table(struct tw_table *t, const struct tw_listener *ls,
			     size_t n)
{
	static const char * const hdr[] = {
		"SYNs", "Done", "Expired", "Reset", "SYN-Q drops",
		"Acc-Q drops", "Cookies sent", "Cookies recv",
	};
	static const enum tw_align al[] = {
		TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_RIGHT,
		TW_RIGHT, TW_RIGHT,
	};
	size_t i;

	tw_table_init(t, ARRAY_SIZE(hdr), hdr, al);
	for (i = 0; i < n; i++) {
		const struct tw_listener *l = &ls[i];
		const uint64_t v[ARRAY_SIZE(hdr)] = {
			l->hs.syns, l->hs.completed, l->hs.expired,
			l->hs.resets, l->hs.synq_drops, l->hs.acceptq_drops,
			l->hs.cookies_sent, l->hs.cookies_recv,
		};
		char cells[ARRAY_SIZE(hdr)][24];
		const char *row[ARRAY_SIZE(hdr)];
		unsigned int c;

		for (c = 0; c < ARRAY_SIZE(hdr); c++)
			row[c] = num_or_dash(cells[c], sizeof(cells[c]),
					     tw_listener_has(l,
						TCPWATCH_LISTENER_A_SYNS + c),
					     v[c]);
		if (tw_table_add(t, row) < 0)
			return -1;
	}
	return 0;
}

/*
 * --hist: the bar charts of each listener's histograms with samples,
 * titled with its address:port.
 */
static void listener_charts(FILE *f, const struct tw_listener *ls, size_t n)
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct tw_listener *l = &ls[i];
		char local[64];
		unsigned int k;

		tw_fmt_endpoint(local, sizeof(local), l->family, l->addr,
				l->port);
		for (k = 0; k < TW_HIST_KINDS; k++) {
			const struct tw_hist *h = &l->kind_hist[k];

			if (!tw_listener_kind(k) || !h->present || !h->count)
				continue;
			kind_chart(f, local, k, h);
			any = true;
		}
	}
	if (!any)
		fputs("\nHandshake histograms: no samples\n", f);
}

void tw_render_listeners(FILE *f, const struct tw_listener *ls, size_t n,
			 bool json, bool hist)
{
	static const char * const hdr[] = {
		"Local Address:Port", "PID/Comm", "Backlog", "SYN-Q",
		"Accept-Q", "Cookies", "Retries", "Half-open life",
		"SYN-ACK rtx",
	};
	static const enum tw_align al[] = {
		TW_LEFT, TW_LEFT, TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_LEFT,
		TW_RIGHT, TW_RIGHT, TW_RIGHT,
	};
	struct tw_table t, hs;
	bool star = false, with_hs = false;
	size_t i;

	if (json) {
		struct tw_out w;

		tw_out_init(&w, f);
		tw_out_puts(&w, "{\"listeners\":[");
		for (i = 0; i < n; i++) {
			tw_out_puts(&w, i ? ",\n" : "\n");
			listener_json(&w, &ls[i]);
		}
		tw_out_puts(&w, "\n]}\n");
		tw_out_flush(&w);
		return;
	}

#define HAS(a)	tw_listener_has(l, TCPWATCH_LISTENER_A_##a)
	tw_table_init(&t, ARRAY_SIZE(hdr), hdr, al);
	for (i = 0; i < n; i++) {
		const struct tw_listener *l = &ls[i];
		char local[64], pc[TW_COMM_LEN + 16], backlog[16], synq[32];
		char acceptq[32], cookies[16], retries[16], life[32], rtx[32];
		const char *row[ARRAY_SIZE(hdr)];
		const char *name;

		row[0] = tw_fmt_endpoint(local, sizeof(local), l->family,
					 l->addr, l->port);
		row[1] = pid_comm_str(pc, sizeof(pc), HAS(PID), l->pid,
				      HAS(COMM), l->comm);
		row[2] = u32_or_dash(backlog, sizeof(backlog), HAS(BACKLOG),
				     l->backlog);
		row[3] = queue_str(synq, sizeof(synq), HAS(SYNQ_LEN),
				   l->synq_len, HAS(BACKLOG), l->backlog);
		row[4] = queue_str(acceptq, sizeof(acceptq), HAS(ACCEPTQ_LEN),
				   l->acceptq_len, HAS(BACKLOG), l->backlog);
		name = tw_syncookies_name(l->syncookies);
		if (!HAS(SYNCOOKIES))
			row[5] = "-";
		else if (name)
			row[5] = name;
		else
			row[5] = u32_or_dash(cookies, sizeof(cookies), true,
					     l->syncookies);
		row[6] = u32_or_dash(retries, sizeof(retries),
				     HAS(SYNACK_RETRIES), l->synack_retries);
		row[7] = dur_or_dash(life, sizeof(life), HAS(HALFOPEN_NS),
				     l->halfopen_ns, false);
		if (HAS(SYNACK_RETRANS)) {
			snprintf(rtx, sizeof(rtx), "%" PRIu64 "%s",
				 l->synack_retrans, l->since_load ? "*" : "");
			row[8] = rtx;
			star |= l->since_load;
		} else {
			row[8] = "-";
		}
		if (tw_table_add(&t, row) < 0)
			break;
		with_hs |= listener_has_hs(l);
	}
#undef HAS
	/* the counters, on a second line, if the module sent any */
	if (with_hs && listener_hs_table(&hs, ls, t.nrows) == 0)
		tw_table_print_sub(f, &t, &hs);
	else
		tw_table_print(f, &t);
	if (with_hs)
		tw_table_free(&hs);
	tw_table_free(&t);
	if (star)
		fputs(listener_since_load_note, f);
	if (hist)
		listener_charts(f, ls, n);
}

static void halfopen_json(struct tw_out *w, const struct tw_halfopen *h)
{
	bool first = true;
	char addr[64];

#define HAS(a)	tw_halfopen_has(h, TCPWATCH_HALFOPEN_A_##a)
	tw_out_putc(w, '{');
	j_str(w, &first, "family", h->family == AF_INET ? "ipv4" : "ipv6");
	j_str(w, &first, "local_addr",
	      tw_fmt_addr(addr, sizeof(addr), h->family, h->laddr));
	j_u64(w, &first, "local_port", true, h->lport);
	j_str(w, &first, "remote_addr",
	      tw_fmt_addr(addr, sizeof(addr), h->family, h->raddr));
	j_u64(w, &first, "remote_port", true, h->rport);
	j_u64(w, &first, "age_ns", HAS(AGE_NS), h->age_ns);
	j_u64(w, &first, "synack_retrans", HAS(SYNACK_RETRANS),
	      h->synack_retrans);
	j_u64(w, &first, "max_retries", HAS(MAX_RETRIES), h->max_retries);
	j_u64(w, &first, "timer_ns", HAS(TIMER_NS), h->timer_ns);
	j_u64(w, &first, "expires_ns", HAS(EXPIRES_NS), h->expires_ns);
	tw_out_putc(w, '}');
#undef HAS
}

void tw_render_halfopen(FILE *f, const struct tw_halfopen *hs, size_t n,
			bool json)
{
	static const char * const hdr[] = {
		"Listener", "Peer", "Age", "SYN-ACK rtx", "Next",
		"Expires in",
	};
	static const enum tw_align al[] = {
		TW_LEFT, TW_LEFT, TW_RIGHT, TW_RIGHT, TW_RIGHT, TW_RIGHT,
	};
	struct tw_table t;
	size_t i;

	if (json) {
		struct tw_out w;

		tw_out_init(&w, f);
		tw_out_puts(&w, "{\"halfopen\":[");
		for (i = 0; i < n; i++) {
			tw_out_puts(&w, i ? ",\n" : "\n");
			halfopen_json(&w, &hs[i]);
		}
		tw_out_puts(&w, "\n]}\n");
		tw_out_flush(&w);
		return;
	}

#define HAS(a)	tw_halfopen_has(h, TCPWATCH_HALFOPEN_A_##a)
	tw_table_init(&t, ARRAY_SIZE(hdr), hdr, al);
	for (i = 0; i < n; i++) {
		const struct tw_halfopen *h = &hs[i];
		char local[64], peer[64], age[32], rtx[32], next[32], exp[32];
		const char *row[ARRAY_SIZE(hdr)];

		row[0] = tw_fmt_endpoint(local, sizeof(local), h->family,
					 h->laddr, h->lport);
		row[1] = tw_fmt_endpoint(peer, sizeof(peer), h->family,
					 h->raddr, h->rport);
		row[2] = dur_or_dash(age, sizeof(age), HAS(AGE_NS), h->age_ns,
				     false);
		row[3] = queue_str(rtx, sizeof(rtx), HAS(SYNACK_RETRANS),
				   h->synack_retrans, HAS(MAX_RETRIES),
				   h->max_retries);
		row[4] = dur_or_dash(next, sizeof(next), HAS(TIMER_NS),
				     h->timer_ns, false);
		row[5] = dur_or_dash(exp, sizeof(exp), HAS(EXPIRES_NS),
				     h->expires_ns, false);
		if (tw_table_add(&t, row) < 0)
			break;
	}
#undef HAS
	tw_table_print(f, &t);
	tw_table_free(&t);
}

/* ---- stats ---- */

static void stats_json(struct tw_out *w, const struct tw_stats *st)
{
	bool first = true, inner;
	char addr[64];
	unsigned int i, j;

#define HAS(a)	tw_stats_has(st, TCPWATCH_STATS_A_##a)
	tw_out_putc(w, '{');
	j_str(w, &first, "version", st->has_version ? st->version : NULL);
	j_u64(w, &first, "abi", st->has_abi, st->abi);
	j_u64(w, &first, "netns", HAS(NETNS), st->netns);
	j_u64(w, &first, "uptime_ns", HAS(UPTIME_NS), st->uptime_ns);
	j_u64(w, &first, "tracked", HAS(TRACKED), st->tracked);
	j_u64(w, &first, "max_tracked", HAS(MAX_TRACKED), st->max_tracked);
	j_u64(w, &first, "track_drops", HAS(TRACK_DROPS), st->track_drops);
	j_u64(w, &first, "events_sent", HAS(EVENTS_SENT), st->events_sent);
	j_u64(w, &first, "event_drops", HAS(EVENT_DROPS), st->event_drops);
	j_u64(w, &first, "closed_ring", HAS(CLOSED_RING), st->closed_ring);
	j_u64(w, &first, "close_drops", HAS(CLOSE_DROPS), st->close_drops);
	j_u64(w, &first, "tw_entered", HAS(TW_ENTERED), st->tw_entered);
	j_u64(w, &first, "tw_exited", HAS(TW_EXITED), st->tw_exited);
	j_u64(w, &first, "tw_live", HAS(TW_LIVE), st->tw_live);
	j_u64(w, &first, "synack_retrans", HAS(SYNACK_RETRANS),
	      st->synack_retrans);
	j_u64(w, &first, "syn_retrans", HAS(SYN_RETRANS), st->syn_retrans);
	j_handshakes(w, &first, &st->hs, st->present >> TCPWATCH_STATS_A_SYNS);
	j_u64(w, &first, "hooks_missed", HAS(HOOKS_MISSED), st->hooks_missed);
	j_causes(w, &first, "retrans", HAS(RETRANS), st->retrans);
	j_u64(w, &first, "rto_expiries", HAS(RTO_EXPIRIES), st->rto_expiries);
	j_u64(w, &first, "loss_probes", HAS(LOSS_PROBES), st->loss_probes);
	j_u64(w, &first, "zw_probes", HAS(ZW_PROBES), st->zw_probes);
	j_u64(w, &first, "undos", HAS(UNDOS), st->undos);
	j_u64(w, &first, "ca_changes", HAS(CA_CHANGES), st->ca_changes);
	j_u64(w, &first, "winlog_port", HAS(WINLOG_PORT), st->winlog_port);
	j_str(w, &first, "winlog_addr",
	      !HAS(WINLOG_ADDR) || !st->winlog_addr_len ? NULL :
	      tw_fmt_addr(addr, sizeof(addr),
			  st->winlog_addr_len == 4 ? AF_INET : AF_INET6,
			  st->winlog_addr));
	j_u64(w, &first, "winlog_interval_ms", HAS(WINLOG_INTERVAL_MS),
	      st->winlog_interval_ms);
	j_u64(w, &first, "winlog_samples", HAS(WINLOG_SAMPLES),
	      st->winlog_samples);
	j_u64(w, &first, "winlog_drops", HAS(WINLOG_DROPS), st->winlog_drops);
	j_key(w, &first, "timer_hooks");
	if (HAS(TIMER_HOOKS)) {
		static const char * const hooks[] = {
			[TCPWATCH_HOOK_RTO] = "rto",
			[TCPWATCH_HOOK_LOSS_PROBE] = "loss_probe",
			[TCPWATCH_HOOK_ZW_PROBE] = "zw_probe",
		};

		inner = true;
		tw_out_putc(w, '{');
		for (i = 0; i < ARRAY_SIZE(hooks); i++)
			j_bool(w, &inner, hooks[i], st->timer_hooks >> i & 1);
		tw_out_putc(w, '}');
	} else {
		tw_out_puts(w, "null");
	}

	j_key(w, &first, "state_count");
	if (HAS(STATE_COUNT)) {
		inner = true;
		tw_out_putc(w, '{');
		for (i = 1; i < TCPWATCH_NSTATES; i++)
			j_u64(w, &inner, tw_state_kname(i), true,
			      st->state_count[i]);
		tw_out_putc(w, '}');
	} else {
		tw_out_puts(w, "null");
	}

	j_key(w, &first, "transitions");
	if (HAS(TRANSITIONS)) {
		inner = true;
		tw_out_putc(w, '[');
		for (i = 0; i < TCPWATCH_NSTATES; i++)
			for (j = 0; j < TCPWATCH_NSTATES; j++) {
				bool e = true;

				if (!st->transitions[i][j])
					continue;
				tw_out_puts(w, inner ? "{" : ",{");
				inner = false;
				j_str(w, &e, "from", tw_state_kstr(i));
				j_str(w, &e, "to", tw_state_kstr(j));
				j_u64(w, &e, "count", true,
				      st->transitions[i][j]);
				tw_out_putc(w, '}');
			}
		tw_out_putc(w, ']');
	} else {
		tw_out_puts(w, "null");
	}

	j_key(w, &first, "hist");
	inner = true;
	tw_out_putc(w, '[');
	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		const struct tw_hist *h = &st->hist[i];
		bool e = true;

		if (!h->present)
			continue;
		tw_out_puts(w, inner ? "{" : ",{");
		inner = false;
		j_str(w, &e, "state", tw_state_kstr(i));
		j_u64(w, &e, "count", true, h->count);
		j_u64(w, &e, "sum_us", true, h->sum_us);
		j_u64(w, &e, "mean_us", h->count, h->count ?
		      h->sum_us / h->count : 0);
		j_slots(w, &e, h);
		tw_out_putc(w, '}');
	}
	tw_out_putc(w, ']');
	j_kind_hists(w, &first, st->kind_hist, false);
	tw_out_puts(w, "}\n");
#undef HAS
}

/*
 * A state's label in the stats tables: NEW_SYN_RECV is named for what it
 * is, request socks; every bad state is "UNKNOWN" (no static buffer, so
 * that several can share a table).
 */
static const char *stats_label(unsigned int state)
{
	return tw_state_ss_name(state) ? tw_state_label(state) : "UNKNOWN";
}

static void stats_transitions(FILE *f, const struct tw_stats *st)
{
	const char *hdr[TCPWATCH_NSTATES + 1];
	enum tw_align al[TCPWATCH_NSTATES + 1];
	unsigned int rows[TCPWATCH_NSTATES], cols[TCPWATCH_NSTATES];
	unsigned int nr = 0, nc = 0, i, j;
	char cells[TCPWATCH_NSTATES][24];
	const char *row[TCPWATCH_NSTATES + 1];
	struct tw_table t;

	for (i = 0; i < TCPWATCH_NSTATES; i++) {
		bool r = false, c = false;

		for (j = 0; j < TCPWATCH_NSTATES; j++) {
			r |= st->transitions[i][j] != 0;
			c |= st->transitions[j][i] != 0;
		}
		if (r)
			rows[nr++] = i;
		if (c)
			cols[nc++] = i;
	}
	if (!nr) {
		fputs("Transitions: none\n", f);
		return;
	}
	fputs("Transitions (rows: from, columns: to):\n", f);
	hdr[0] = "From \\ To";
	al[0] = TW_LEFT;
	for (j = 0; j < nc; j++) {
		hdr[j + 1] = stats_label(cols[j]);
		al[j + 1] = TW_RIGHT;
	}
	tw_table_init(&t, nc + 1, hdr, al);
	for (i = 0; i < nr; i++) {
		row[0] = stats_label(rows[i]);
		for (j = 0; j < nc; j++) {
			snprintf(cells[j], sizeof(cells[j]), "%" PRIu64,
				 st->transitions[rows[i]][cols[j]]);
			row[j + 1] = cells[j];
		}
		if (tw_table_add(&t, row) < 0)
			break;
	}
	tw_table_print(f, &t);
	tw_table_free(&t);
}

/* The time-in-state table (samples, mean); with @hist the bar charts. */
static void stats_state_hists(FILE *f, const struct tw_stats *st, bool hist)
{
	static const char * const hdr[] = { "State", "Samples", "Mean" };
	static const enum tw_align al[] = { TW_LEFT, TW_RIGHT, TW_RIGHT };
	struct tw_table t;
	char a[32], b[32];
	unsigned int i;
	bool any = false;

	for (i = 1; i < TCPWATCH_NSTATES; i++)
		any |= st->hist[i].present && st->hist[i].count;
	fputc('\n', f);
	if (!any) {
		fputs("Time in state: no samples\n", f);
		return;
	}
	fputs("Time in state (completed stays):\n", f);
	tw_table_init(&t, 3, hdr, al);
	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		const struct tw_hist *h = &st->hist[i];
		const char *row[3] = { stats_label(i), a, b };

		if (!h->present || !h->count)
			continue;
		snprintf(a, sizeof(a), "%" PRIu64, h->count);
		tw_fmt_duration(b, sizeof(b), h->sum_us / h->count * 1000);
		tw_table_add(&t, row);
	}
	tw_table_print(f, &t);
	tw_table_free(&t);
	if (!hist)
		return;
	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		const struct tw_hist *h = &st->hist[i];

		if (!h->present || !h->count)
			continue;
		fprintf(f, "\nTime in %s:\n", stats_label(i));
		tw_print_log2_hist(f, h->slots, TCPWATCH_HIST_SLOTS, "usecs");
	}
}

/*
 * The other histograms the module sent (connect latency, half-open
 * lifetimes, SYN-ACK retransmissions per handshake, accept-queue wait):
 * a table of samples
 * and means; with @hist their bar charts too.
 */
static void stats_kind_hists(FILE *f, const struct tw_stats *st, bool hist,
			     unsigned int from, unsigned int to,
			     const char *title)
{
	static const char * const hdr[] = { "Histogram", "Samples", "Mean" };
	static const enum tw_align al[] = { TW_LEFT, TW_RIGHT, TW_RIGHT };
	struct tw_table t;
	char a[32], b[32];
	unsigned int k;
	bool any = false;

	for (k = from; k <= to; k++)
		any |= hist_kinds[k].json && st->kind_hist[k].present;
	if (!any)
		return;
	fprintf(f, "\n%s:\n", title);
	tw_table_init(&t, 3, hdr, al);
	for (k = from; k <= to; k++) {
		const struct tw_hist *h = &st->kind_hist[k];
		const char *row[3] = { hist_kinds[k].label, a, b };

		if (!hist_kinds[k].json || !h->present)
			continue;
		snprintf(a, sizeof(a), "%" PRIu64, h->count);
		if (!h->count)
			snprintf(b, sizeof(b), "-");
		else if (hist_kinds[k].usecs)
			tw_fmt_duration(b, sizeof(b),
					h->sum_us / h->count * 1000);
		else
			snprintf(b, sizeof(b), "%.2f",
				 (double)h->sum_us / h->count);
		tw_table_add(&t, row);
	}
	tw_table_print(f, &t);
	tw_table_free(&t);
	if (!hist)
		return;
	for (k = from; k <= to; k++) {
		const struct tw_hist *h = &st->kind_hist[k];

		if (!hist_kinds[k].json || !h->present)
			continue;
		if (!h->count) {
			fprintf(f, "\n%s: no samples\n", hist_kinds[k].title);
			continue;
		}
		kind_chart(f, NULL, k, h);
	}
}

/* The retransmission and timer counters and the window log. */
static void stats_timers_text(FILE *f, const struct tw_stats *st)
{
	char a[32], b[32], c[32], d[32], e[32], addr[64];
	unsigned int i;

#define HAS(x)	tw_stats_has(st, TCPWATCH_STATS_A_##x)
	fputs("Retransmits:", f);
	if (HAS(RETRANS)) {
		uint64_t sum = 0;

		for (i = 0; i < TCPWATCH_NCAUSES; i++)
			sum += st->retrans[i];
		fprintf(f, " %" PRIu64 " (", sum);
		for (i = 0; i < TCPWATCH_NCAUSES; i++)
			fprintf(f, "%s%s %" PRIu64, i ? ", " : "",
				tw_cause_name(i), st->retrans[i]);
		fputs(")\n", f);
	} else {
		fputs(" -\n", f);
	}
	fprintf(f, "Timers:     %s RTO expiries, %s loss probes, %s zero-window probes, %s undos, %s CA changes\n",
		num_or_dash(a, sizeof(a), HAS(RTO_EXPIRIES), st->rto_expiries),
		num_or_dash(b, sizeof(b), HAS(LOSS_PROBES), st->loss_probes),
		num_or_dash(c, sizeof(c), HAS(ZW_PROBES), st->zw_probes),
		num_or_dash(d, sizeof(d), HAS(UNDOS), st->undos),
		num_or_dash(e, sizeof(e), HAS(CA_CHANGES), st->ca_changes));
	if (!HAS(WINLOG_INTERVAL_MS) && !HAS(WINLOG_SAMPLES))
		return;
	fputs("Window log: ", f);
	if (HAS(WINLOG_PORT) || (HAS(WINLOG_ADDR) && st->winlog_addr_len)) {
		if (HAS(WINLOG_ADDR) && st->winlog_addr_len)
			fprintf(f, "addr %s ", tw_fmt_addr(addr, sizeof(addr),
				st->winlog_addr_len == 4 ? AF_INET : AF_INET6,
				st->winlog_addr));
		if (HAS(WINLOG_PORT))
			fprintf(f, "port %u ", st->winlog_port);
		fprintf(f, "every %s ms",
			num_or_dash(a, sizeof(a), HAS(WINLOG_INTERVAL_MS),
				    st->winlog_interval_ms));
	} else {
		fputs("off", f);
	}
	fprintf(f, ", %s samples, %s dropped\n",
		num_or_dash(b, sizeof(b), HAS(WINLOG_SAMPLES),
			    st->winlog_samples),
		num_or_dash(c, sizeof(c), HAS(WINLOG_DROPS), st->winlog_drops));
#undef HAS
}

static void stats_text(FILE *f, const struct tw_stats *st, bool hist)
{
	char a[32], b[32], c[32];
	unsigned int i;

#define HAS(x)	tw_stats_has(st, TCPWATCH_STATS_A_##x)
	fprintf(f, "tcpwatch module %s (abi %s)",
		st->has_version ? st->version : "?",
		num_or_dash(a, sizeof(a), st->has_abi, st->abi));
	if (HAS(UPTIME_NS))
		fprintf(f, ", loaded %s ago",
			tw_fmt_duration(b, sizeof(b), st->uptime_ns));
	if (HAS(NETNS))
		fprintf(f, ", netns %u", st->netns);
	fputc('\n', f);
	fprintf(f, "Sockets:    %s tracked (all netns), max %s, %s not tracked (table full)\n",
		num_or_dash(a, sizeof(a), HAS(TRACKED), st->tracked),
		num_or_dash(b, sizeof(b), HAS(MAX_TRACKED), st->max_tracked),
		num_or_dash(c, sizeof(c), HAS(TRACK_DROPS), st->track_drops));
	fprintf(f, "Events:     %s sent, %s dropped\n",
		num_or_dash(a, sizeof(a), HAS(EVENTS_SENT), st->events_sent),
		num_or_dash(b, sizeof(b), HAS(EVENT_DROPS), st->event_drops));
	fprintf(f, "Closed:     ring of %s, %s overwritten\n",
		num_or_dash(a, sizeof(a), HAS(CLOSED_RING), st->closed_ring),
		num_or_dash(b, sizeof(b), HAS(CLOSE_DROPS), st->close_drops));
	fprintf(f, "TIME-WAIT:  %s entered, %s exited, %s live\n",
		num_or_dash(a, sizeof(a), HAS(TW_ENTERED), st->tw_entered),
		num_or_dash(b, sizeof(b), HAS(TW_EXITED), st->tw_exited),
		num_or_dash(c, sizeof(c), HAS(TW_LIVE), st->tw_live));
	fprintf(f, "Handshakes: %s SYN-ACKs retransmitted (listeners), %s SYNs retransmitted (connect)\n",
		num_or_dash(a, sizeof(a), HAS(SYNACK_RETRANS),
			    st->synack_retrans),
		num_or_dash(b, sizeof(b), HAS(SYN_RETRANS), st->syn_retrans));
	stats_timers_text(f, st);

	if (HAS(STATE_COUNT)) {
		static const char * const hdr[] = { "State", "Sockets" };
		static const enum tw_align al[] = { TW_LEFT, TW_RIGHT };
		struct tw_table t;

		fputc('\n', f);
		tw_table_init(&t, 2, hdr, al);
		for (i = 1; i < TCPWATCH_NSTATES; i++) {
			const char *row[2] = { stats_label(i), a };

			snprintf(a, sizeof(a), "%u", st->state_count[i]);
			tw_table_add(&t, row);
		}
		tw_table_print(f, &t);
		tw_table_free(&t);
	}

	if (HAS(TRANSITIONS)) {
		fputc('\n', f);
		stats_transitions(f, st);
	}

	if (HAS(HIST))
		stats_state_hists(f, st, hist);
	stats_kind_hists(f, st, hist, TCPWATCH_HIST_CONNECT,
			 TCPWATCH_HIST_ACCEPT_WAIT, "Handshake histograms");
	stats_kind_hists(f, st, hist, TCPWATCH_HIST_RTO,
			 TCPWATCH_HIST_RETRANS, "Timer histograms");
#undef HAS
}

void tw_render_stats(FILE *f, const struct tw_stats *st, bool json,
		     bool hist)
{
	struct tw_out w;

	if (json) {
		tw_out_init(&w, f);
		stats_json(&w, st);
		tw_out_flush(&w);
	} else {
		stats_text(f, st, hist);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * prom.c - the Prometheus text exposition of tcpwatch's counters, gauges
 * and log2 histograms.
 *
 * Names follow the Prometheus conventions: the tcpwatch_ prefix, _total
 * on counters, base units (seconds) in the name.  Every series of one
 * netns carries netns="<inode>", so that exporters of several netns can
 * be scraped side by side; module-wide values (socket table, closed
 * ring, kretprobe misses) carry no netns.  Per-listener series are
 * tcpwatch_listener_*, apart from the netns-wide sums, so that sum() over
 * either is meaningful.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "format.h"
#include "prom.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define MAX_LABELS	4
#define NAME_LEN	96

struct label {
	const char *k;
	const char *v;
};

/* One metric family: HELP and TYPE go out before its first sample. */
struct family {
	FILE *f;
	char name[NAME_LEN];
	const char *type;
	const char *help;
	bool started;
};

static void family_begin(struct family *m, FILE *f, const char *prefix,
			 const char *name, const char *type, const char *help)
{
	m->f = f;
	snprintf(m->name, sizeof(m->name), "%s%s", prefix, name);
	m->type = type;
	m->help = help;
	m->started = false;
}

char *tw_prom_label_escape(char *dst, size_t len, const char *src)
{
	size_t o = 0;

	for (; *src && o + 3 < len; src++) {
		switch (*src) {
		case '\\':
		case '"':
			dst[o++] = '\\';
			dst[o++] = *src;
			break;
		case '\n':
			dst[o++] = '\\';
			dst[o++] = 'n';
			break;
		default:
			dst[o++] = *src;
		}
	}
	dst[o] = '\0';
	return dst;
}

/*
 * One sample: NAME[SUFFIX]{labels[,le="LE"]} VALUE.  The HELP text of
 * every family here is plain ASCII without backslashes or newlines.
 */
static void sample(struct family *m, const char *suffix,
		   const struct label *l, unsigned int n, const char *le,
		   const char *value)
{
	char esc[256];
	unsigned int i;

	if (!m->started) {
		fprintf(m->f, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help,
			m->name, m->type);
		m->started = true;
	}
	fprintf(m->f, "%s%s", m->name, suffix);
	if (n || le) {
		fputc('{', m->f);
		for (i = 0; i < n; i++)
			fprintf(m->f, "%s%s=\"%s\"", i ? "," : "", l[i].k,
				tw_prom_label_escape(esc, sizeof(esc), l[i].v));
		if (le)
			fprintf(m->f, "%sle=\"%s\"", n ? "," : "", le);
		fputc('}', m->f);
	}
	fprintf(m->f, " %s\n", value);
}

static void sample_u64(struct family *m, const struct label *l,
		       unsigned int n, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	sample(m, "", l, n, NULL, buf);
}

char *tw_prom_us_to_s(char *buf, size_t len, uint64_t us)
{
	size_t n;

	snprintf(buf, len, "%" PRIu64 ".%06" PRIu64, us / 1000000,
		 us % 1000000);
	/* exact decimal: drop the trailing zeros, and the point if bare */
	n = strlen(buf);
	while (n && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

char *tw_prom_le(char *buf, size_t len, unsigned int slot, bool seconds)
{
	if (seconds)
		return tw_prom_us_to_s(buf, len, 1ULL << slot);
	snprintf(buf, len, "%" PRIu64, ((uint64_t)1 << slot) - 1);
	return buf;
}

/*
 * A histogram: slots 0 .. @nb - 1 as buckets with their upper bound, the
 * rest (the last slot also holds every larger value) only in +Inf.
 * _count is the slots' sum, so that it equals the +Inf bucket even when
 * COUNT was read a moment apart from the slots.
 */
static void hist(struct family *m, const struct label *l, unsigned int n,
		 const struct tw_hist *h, bool seconds, unsigned int nb)
{
	char le[32], v[32];
	uint64_t cum = 0, total = 0;
	unsigned int i;

	for (i = 0; i < TCPWATCH_HIST_SLOTS; i++)
		total += h->slots[i];
	for (i = 0; i < nb && i < TCPWATCH_HIST_SLOTS - 1; i++) {
		cum += h->slots[i];
		snprintf(v, sizeof(v), "%" PRIu64, cum);
		sample(m, "_bucket", l, n, tw_prom_le(le, sizeof(le), i, seconds),
		       v);
	}
	snprintf(v, sizeof(v), "%" PRIu64, total);
	sample(m, "_bucket", l, n, "+Inf", v);
	if (seconds)
		tw_prom_us_to_s(le, sizeof(le), h->sum_us);
	else
		snprintf(le, sizeof(le), "%" PRIu64, h->sum_us);
	sample(m, "_sum", l, n, NULL, le);
	sample(m, "_count", l, n, NULL, v);
}

/* Finite buckets: times up to 2^30 µs; SYN-ACK retransmissions are a u8. */
#define NB_TIME		(TCPWATCH_HIST_SLOTS - 1)
#define NB_SYNACK	9	/* le 0, 1, 3, ... 255 */

/* A histogram family: one kind, or two told apart by outcome. */
struct hist_family {
	const char *name;
	const char *help;
	bool seconds;
	unsigned int nb;
	unsigned int kind[2];
	const char *outcome[2];	/* NULL: no outcome label */
};

static const struct hist_family hist_families[] = {
	{ "connect_latency_seconds",
	  "Connect latency, SYN_SENT to ESTABLISHED.",
	  true, NB_TIME, { TCPWATCH_HIST_CONNECT }, { NULL } },
	{ "halfopen_lifetime_seconds",
	  "Half-open lifetime, SYN to the end of the request, by outcome: completed (final ACK) or expired (no ACK after the last SYN-ACK).",
	  true, NB_TIME,
	  { TCPWATCH_HIST_HALFOPEN_DONE, TCPWATCH_HIST_HALFOPEN_EXPIRED },
	  { "completed", "expired" } },
	{ "handshake_synack_retransmissions",
	  "SYN-ACK retransmissions per completed handshake.",
	  false, NB_SYNACK, { TCPWATCH_HIST_SYNACK_RETRANS }, { NULL } },
	{ "accept_wait_seconds",
	  "Time a completed connection waited in the accept queue before accept().",
	  true, NB_TIME, { TCPWATCH_HIST_ACCEPT_WAIT }, { NULL } },
	{ "rto_seconds",
	  "The retransmission timeout that expired, at each RTO expiry.",
	  true, NB_TIME, { TCPWATCH_HIST_RTO }, { NULL } },
	{ "srtt_seconds",
	  "Smoothed RTT of each connection at close, if it had an RTT sample.",
	  true, NB_TIME, { TCPWATCH_HIST_SRTT }, { NULL } },
	{ "connection_retransmissions",
	  "Retransmissions per closed connection (the kernel's total_retrans).",
	  false, NB_TIME, { TCPWATCH_HIST_RETRANS }, { NULL } },
};

static unsigned int family_kinds(const struct hist_family *hf)
{
	return hf->outcome[1] ? 2 : 1;
}

/*
 * The histograms of @hf found in @kh (by kind), with labels @l (room for
 * one more: outcome).
 */
static void hist_family(struct family *m, const struct hist_family *hf,
			const struct tw_hist *kh, struct label *l,
			unsigned int n)
{
	unsigned int k;

	for (k = 0; k < family_kinds(hf); k++) {
		const struct tw_hist *h;

		if (hf->kind[k] >= TW_HIST_KINDS)
			continue;
		h = &kh[hf->kind[k]];
		if (!h->present)
			continue;
		if (hf->outcome[k])
			l[n] = (struct label){ "outcome", hf->outcome[k] };
		hist(m, l, n + !!hf->outcome[k], h, hf->seconds, hf->nb);
	}
}

/* A counter or gauge read from a struct at @off, 4 or 8 bytes wide. */
struct field_metric {
	unsigned int attr;
	const char *name;
	const char *type;
	const char *help;
	size_t off;
	unsigned int width;
	bool global;		/* module-wide: no netns label */
};

#define C64(a, n, h, f) { a, n, "counter", h, offsetof(STRUCT, f), 8, false }
#define G32(a, n, h, f) { a, n, "gauge", h, offsetof(STRUCT, f), 4, false }

#define STRUCT struct tw_stats
static const struct field_metric stats_metrics[] = {
	{ TCPWATCH_STATS_A_TRACKED, "tracked_sockets", "gauge",
	  "Socket records in use, all netns.",
	  offsetof(STRUCT, tracked), 4, true },
	{ TCPWATCH_STATS_A_MAX_TRACKED, "tracked_sockets_limit", "gauge",
	  "Socket records the module keeps at most (max_sockets), all netns.",
	  offsetof(STRUCT, max_tracked), 4, true },
	{ TCPWATCH_STATS_A_TRACK_DROPS, "untracked_sockets_total", "counter",
	  "Sockets not recorded because the table was full, all netns.",
	  offsetof(STRUCT, track_drops), 8, true },
	{ TCPWATCH_STATS_A_CLOSE_DROPS, "closed_records_overwritten_total",
	  "counter", "Closed-socket records pushed out of the ring, all netns.",
	  offsetof(STRUCT, close_drops), 8, true },
	{ TCPWATCH_STATS_A_HOOKS_MISSED, "kretprobe_misses_total", "counter",
	  "kretprobe instances the kernel could not run (handshake counters may be short), all netns.",
	  offsetof(STRUCT, hooks_missed), 8, true },
	C64(TCPWATCH_STATS_A_EVENTS_SENT, "events_sent_total",
	    "Events delivered to netlink listeners.", events_sent),
	C64(TCPWATCH_STATS_A_EVENT_DROPS, "events_dropped_total",
	    "Event deliveries dropped (no memory, or a reader's buffer full).",
	    event_drops),
	C64(TCPWATCH_STATS_A_TW_ENTERED, "timewait_entered_total",
	    "Timewait sockets created.", tw_entered),
	C64(TCPWATCH_STATS_A_TW_EXITED, "timewait_exited_total",
	    "Timewait sockets gone (expired, reused or reset).", tw_exited),
	G32(TCPWATCH_STATS_A_TW_LIVE, "timewait_sockets",
	    "Timewait sockets now.", tw_live),
	C64(TCPWATCH_STATS_A_SYNACK_RETRANS, "synack_retransmissions_total",
	    "SYN-ACKs retransmitted.", synack_retrans),
	C64(TCPWATCH_STATS_A_SYN_RETRANS, "syn_retransmissions_total",
	    "SYNs retransmitted by connect().", syn_retrans),
	C64(TCPWATCH_STATS_A_SYNS, "syns_received_total",
	    "SYNs received by listeners.", hs.syns),
	C64(TCPWATCH_STATS_A_COMPLETED, "handshakes_completed_total",
	    "Handshakes completed (final ACK, syncookies included).",
	    hs.completed),
	C64(TCPWATCH_STATS_A_EXPIRED, "halfopens_expired_total",
	    "Half-open connections expired after the last SYN-ACK retransmission.",
	    hs.expired),
	C64(TCPWATCH_STATS_A_RESETS, "halfopens_reset_total",
	    "Half-open connections ended by RST.", hs.resets),
	C64(TCPWATCH_STATS_A_SYNQ_DROPS, "synq_drops_total",
	    "SYNs dropped with the SYN queue full (TcpExtTCPReqQFullDrop).",
	    hs.synq_drops),
	C64(TCPWATCH_STATS_A_ACCEPTQ_DROPS, "acceptq_drops_total",
	    "Connections dropped with the accept queue full (TcpExtListenOverflows).",
	    hs.acceptq_drops),
	C64(TCPWATCH_STATS_A_COOKIES_SENT, "syncookies_sent_total",
	    "SYN cookies sent (TcpExtSyncookiesSent).", hs.cookies_sent),
	C64(TCPWATCH_STATS_A_COOKIES_RECV, "syncookies_received_total",
	    "SYN cookies received and valid (TcpExtSyncookiesRecv).",
	    hs.cookies_recv),
	C64(TCPWATCH_STATS_A_RTO_EXPIRIES, "rto_expiries_total",
	    "Retransmission timer expiries of full sockets with data out.",
	    rto_expiries),
	C64(TCPWATCH_STATS_A_LOSS_PROBES, "loss_probes_total",
	    "Tail-loss probes sent (TcpExtTCPLossProbes).", loss_probes),
	C64(TCPWATCH_STATS_A_ZW_PROBES, "zero_window_probes_total",
	    "Zero-window probes sent (TcpExtTCPWinProbe).", zw_probes),
	C64(TCPWATCH_STATS_A_UNDOS, "cwnd_undos_total",
	    "Congestion-window reductions undone (spurious retransmission detected).",
	    undos),
	C64(TCPWATCH_STATS_A_CA_CHANGES, "ca_state_changes_total",
	    "Congestion-avoidance state changes.", ca_changes),
};
#undef STRUCT

#define STRUCT struct tw_listener
static const struct field_metric listener_metrics[] = {
	G32(TCPWATCH_LISTENER_A_BACKLOG, "backlog",
	    "listen() backlog as applied (capped by somaxconn): the limit of both the SYN queue and the accept queue.",
	    backlog),
	G32(TCPWATCH_LISTENER_A_SYNQ_LEN, "synq_length",
	    "Half-open connections (request socks) in the SYN queue now.",
	    synq_len),
	G32(TCPWATCH_LISTENER_A_ACCEPTQ_LEN, "acceptq_length",
	    "Connections awaiting accept() now.", acceptq_len),
	{ TCPWATCH_LISTENER_A_SYNACK_RETRIES, "synack_retries", "gauge",
	  "SYN-ACK retransmissions allowed (TCP_SYNCNT or net.ipv4.tcp_synack_retries).",
	  offsetof(STRUCT, synack_retries), 1, false },
	C64(TCPWATCH_LISTENER_A_SYNACK_RETRANS, "synack_retransmissions_total",
	    "SYN-ACKs retransmitted.", synack_retrans),
	C64(TCPWATCH_LISTENER_A_SYNS, "syns_received_total",
	    "SYNs received.", hs.syns),
	C64(TCPWATCH_LISTENER_A_COMPLETED, "handshakes_completed_total",
	    "Handshakes completed (final ACK, syncookies included).",
	    hs.completed),
	C64(TCPWATCH_LISTENER_A_EXPIRED, "halfopens_expired_total",
	    "Half-open connections expired after the last SYN-ACK retransmission.",
	    hs.expired),
	C64(TCPWATCH_LISTENER_A_RESETS, "halfopens_reset_total",
	    "Half-open connections ended by RST.", hs.resets),
	C64(TCPWATCH_LISTENER_A_SYNQ_DROPS, "synq_drops_total",
	    "SYNs dropped with the SYN queue full.", hs.synq_drops),
	C64(TCPWATCH_LISTENER_A_ACCEPTQ_DROPS, "acceptq_drops_total",
	    "Connections dropped with the accept queue full.",
	    hs.acceptq_drops),
	C64(TCPWATCH_LISTENER_A_COOKIES_SENT, "syncookies_sent_total",
	    "SYN cookies sent.", hs.cookies_sent),
	C64(TCPWATCH_LISTENER_A_COOKIES_RECV, "syncookies_received_total",
	    "SYN cookies received and valid.", hs.cookies_recv),
};
#undef STRUCT

static uint64_t field(const void *base, const struct field_metric *fm)
{
	const char *p = (const char *)base + fm->off;
	uint64_t v64;
	uint32_t v32;

	switch (fm->width) {
	case 1:
		return *(const uint8_t *)p;
	case 4:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	default:
		memcpy(&v64, p, sizeof(v64));
		return v64;
	}
}

static const char *const cause_names[TCPWATCH_NCAUSES] = {
	[TCPWATCH_CAUSE_RTO]	= "rto",
	[TCPWATCH_CAUSE_LOSS]	= "loss",
	[TCPWATCH_CAUSE_FAST]	= "fast",
	[TCPWATCH_CAUSE_TLP]	= "tlp",
	[TCPWATCH_CAUSE_SYN]	= "syn",
};

static void write_up(FILE *f, bool up)
{
	struct family m;

	family_begin(&m, f, "tcpwatch_", "up", "gauge",
		     "1 if the tcpwatch module answered this scrape, 0 if not (not loaded, or an error).");
	sample(&m, "", NULL, 0, NULL, up ? "1" : "0");
}

static void write_module(FILE *f, const struct tw_stats *st)
{
	struct label l[2] = { { "version", st->version }, { "abi", "" } };
	struct family m;
	char abi[16], v[32];

	family_begin(&m, f, "tcpwatch_", "module_info", "gauge",
		     "The loaded tcpwatch module: version and netlink ABI.");
	snprintf(abi, sizeof(abi), "%u", st->abi);
	l[1].v = abi;
	if (st->has_version && st->has_abi)
		sample(&m, "", l, 2, NULL, "1");
	if (tw_stats_has(st, TCPWATCH_STATS_A_UPTIME_NS)) {
		family_begin(&m, f, "tcpwatch_", "module_uptime_seconds",
			     "gauge", "Time since the module was loaded.");
		sample(&m, "", NULL, 0, NULL,
		       tw_prom_us_to_s(v, sizeof(v), st->uptime_ns / 1000));
	}
}

static void write_fields(FILE *f, const char *prefix, const void *base,
			 uint64_t present, const struct field_metric *fms,
			 size_t nfm, const struct label *l, unsigned int n)
{
	struct family m;
	size_t i;

	for (i = 0; i < nfm; i++) {
		if (!((present >> fms[i].attr) & 1))
			continue;
		family_begin(&m, f, prefix, fms[i].name, fms[i].type,
			     fms[i].help);
		sample_u64(&m, l, fms[i].global ? 0 : n, field(base, &fms[i]));
	}
}

static void write_states(FILE *f, const struct tw_stats *st,
			 const struct label *ns, unsigned int n)
{
	struct label l[MAX_LABELS];
	struct family m;
	unsigned int i, j;

	memcpy(l, ns, n * sizeof(*l));
	if (tw_stats_has(st, TCPWATCH_STATS_A_STATE_COUNT)) {
		family_begin(&m, f, "tcpwatch_", "sockets", "gauge",
			     "Sockets in each state now, read from the kernel's hash tables as ss does (NEW_SYN_RECV: request socks, the half-open entries).");
		for (i = 1; i < TCPWATCH_NSTATES; i++) {
			l[n] = (struct label){ "state", tw_state_kstr(i) };
			sample_u64(&m, l, n + 1, st->state_count[i]);
		}
	}
	if (tw_stats_has(st, TCPWATCH_STATS_A_TRANSITIONS)) {
		family_begin(&m, f, "tcpwatch_", "transitions_total", "counter",
			     "State transitions seen (sock:inet_sock_set_state), by from and to; pairs never seen are left out.");
		for (i = 0; i < TCPWATCH_NSTATES; i++)
			for (j = 0; j < TCPWATCH_NSTATES; j++) {
				if (!st->transitions[i][j])
					continue;
				l[n] = (struct label){ "from", tw_state_kstr(i) };
				l[n + 1] = (struct label){ "to", tw_state_kstr(j) };
				sample_u64(&m, l, n + 2, st->transitions[i][j]);
			}
	}
	if (tw_stats_has(st, TCPWATCH_STATS_A_RETRANS)) {
		family_begin(&m, f, "tcpwatch_", "retransmissions_total",
			     "counter",
			     "Segments retransmitted, by cause: rto (the timer), loss (recovery after an RTO), fast (dupacks, SACK, RACK), tlp (tail-loss probe), syn (SYNs; listeners' SYN-ACKs are counted apart).");
		for (i = 0; i < TCPWATCH_NCAUSES; i++) {
			l[n] = (struct label){ "cause", cause_names[i] };
			sample_u64(&m, l, n + 1, st->retrans[i]);
		}
	}
	family_begin(&m, f, "tcpwatch_", "time_in_state_seconds", "histogram",
		     "Completed stays in each state: one sample when a socket leaves the state.");
	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		if (!st->hist[i].present)
			continue;
		l[n] = (struct label){ "state", tw_state_kstr(i) };
		hist(&m, l, n + 1, &st->hist[i], true, NB_TIME);
	}
	for (i = 0; i < ARRAY_SIZE(hist_families); i++) {
		family_begin(&m, f, "tcpwatch_", hist_families[i].name,
			     "histogram", hist_families[i].help);
		memcpy(l, ns, n * sizeof(*l));
		hist_family(&m, &hist_families[i], st->kind_hist, l, n);
	}
}

/* The listener labels: the netns's, then addr and port. */
static unsigned int listener_labels(struct label *l, const struct label *ns,
				    unsigned int n, const struct tw_listener *ls,
				    char *addr, size_t alen, char *port,
				    size_t plen)
{
	memcpy(l, ns, n * sizeof(*l));
	tw_fmt_addr(addr, alen, ls->family, ls->addr);
	snprintf(port, plen, "%u", ls->port);
	l[n] = (struct label){ "addr", addr };
	l[n + 1] = (struct label){ "port", port };
	return n + 2;
}

static void write_listeners(FILE *f, const struct tw_prom_input *in,
			    const struct label *ns, unsigned int n)
{
	struct label l[MAX_LABELS + 1];
	char addr[64], port[8];
	struct family m;
	unsigned int nl;
	size_t i, j;

	family_begin(&m, f, "tcpwatch_", "listeners_omitted", "gauge",
		     "Listeners (address and port) left out of the tcpwatch_listener_* metrics by the exporter's --max-listeners cap.");
	sample_u64(&m, ns, n, in->ls_omitted);
	for (j = 0; j < ARRAY_SIZE(listener_metrics); j++) {
		const struct field_metric *fm = &listener_metrics[j];

		family_begin(&m, f, "tcpwatch_listener_", fm->name, fm->type,
			     fm->help);
		for (i = 0; i < in->nls; i++) {
			if (!tw_listener_has(&in->ls[i], fm->attr))
				continue;
			nl = listener_labels(l, ns, n, &in->ls[i], addr,
					     sizeof(addr), port, sizeof(port));
			sample_u64(&m, l, nl, field(&in->ls[i], fm));
		}
	}
	for (j = 0; j < ARRAY_SIZE(hist_families); j++) {
		const struct hist_family *hf = &hist_families[j];

		if (!tw_listener_kind(hf->kind[0]))
			continue;
		family_begin(&m, f, "tcpwatch_listener_", hf->name,
			     "histogram", hf->help);
		for (i = 0; i < in->nls; i++) {
			nl = listener_labels(l, ns, n, &in->ls[i], addr,
					     sizeof(addr), port, sizeof(port));
			hist_family(&m, hf, in->ls[i].kind_hist, l, nl);
		}
	}
}

void tw_prom_write(FILE *f, const struct tw_prom_input *in)
{
	const struct tw_stats *st = in->st;
	struct label ns[1];
	unsigned int n = 0;
	char inode[16];

	write_up(f, st != NULL);
	if (!st)
		return;
	write_module(f, st);
	if (tw_stats_has(st, TCPWATCH_STATS_A_NETNS)) {
		snprintf(inode, sizeof(inode), "%u", st->netns);
		ns[n++] = (struct label){ "netns", inode };
	}
	write_fields(f, "tcpwatch_", st, st->present, stats_metrics,
		     ARRAY_SIZE(stats_metrics), ns, n);
	write_states(f, st, ns, n);
	if (in->ls_read)
		write_listeners(f, in, ns, n);
}

static int listener_cmp(const void *a, const void *b)
{
	const struct tw_listener *x = a, *y = b;
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	c = memcmp(x->addr, y->addr, sizeof(x->addr));
	if (c)
		return c;
	return x->port < y->port ? -1 : x->port > y->port;
}

static void hist_add(struct tw_hist *d, const struct tw_hist *s)
{
	unsigned int i;

	if (!s->present)
		return;
	d->present = true;
	d->count += s->count;
	d->sum_us += s->sum_us;
	for (i = 0; i < TCPWATCH_HIST_SLOTS; i++)
		d->slots[i] += s->slots[i];
}

/* @s into @d: sums, and the larger of the settings. */
static void listener_add(struct tw_listener *d, const struct tw_listener *s)
{
	unsigned int k;

	d->present |= s->present;
	d->backlog += s->backlog;
	d->synq_len += s->synq_len;
	d->acceptq_len += s->acceptq_len;
	if (s->synack_retries > d->synack_retries)
		d->synack_retries = s->synack_retries;
	d->synack_retrans += s->synack_retrans;
	d->hs.syns += s->hs.syns;
	d->hs.completed += s->hs.completed;
	d->hs.expired += s->hs.expired;
	d->hs.resets += s->hs.resets;
	d->hs.synq_drops += s->hs.synq_drops;
	d->hs.acceptq_drops += s->hs.acceptq_drops;
	d->hs.cookies_sent += s->hs.cookies_sent;
	d->hs.cookies_recv += s->hs.cookies_recv;
	for (k = 0; k < TW_HIST_KINDS; k++)
		hist_add(&d->kind_hist[k], &s->kind_hist[k]);
}

size_t tw_prom_merge_listeners(struct tw_listener *ls, size_t n)
{
	size_t i, out = 0;

	if (!n)
		return 0;
	qsort(ls, n, sizeof(*ls), listener_cmp);
	for (i = 1; i < n; i++) {
		if (!listener_cmp(&ls[out], &ls[i]))
			listener_add(&ls[out], &ls[i]);
		else if (++out != i)
			ls[out] = ls[i];
	}
	return out + 1;
}

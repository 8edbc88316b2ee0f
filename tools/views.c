// SPDX-License-Identifier: GPL-2.0
/*
 * views.c - the subcommands of the tcpwatch CLI: build the request, run
 * it, collect the parsed records and hand them to render.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "nl.h"
#include "parse.h"
#include "render.h"
#include "views.h"
#include "fetch.h"

#define EVENTS_RCVBUF	(8 << 20)
#define EVENTS_DRAIN	256	/* datagrams read per wakeup at most */

__attribute__((format(printf, 1, 2)))
static void err(const char *fmt, ...)
{
	va_list ap;

	fputs("tcpwatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void not_loaded(void)
{
	err("kernel module not loaded (try: sudo insmod module/tcpwatch.ko)");
}

/*
 * Into a pipe or a file, stdout writes 64 KiB at a time: 40 MB of
 * `sockets -j` took 10,000 write()s with stdio's 4 KiB.  (glibc ignores
 * setvbuf()'s size without a buffer of ours.)  A terminal keeps its line
 * buffering.
 */
static void buffer_stdout(void)
{
	static char buf[1 << 16];

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
}

static void disconnect(struct tw_nl *nl)
{
	if (!nl)
		return;
	tw_nl_close(nl);
	free(nl);
}

/* Reports why tw_nl_run() or a callback failed. */
static void run_failed(const struct tw_nl *nl, const char *what)
{
	char buf[320];

	if (nl->kernel_err)
		err("%s: %s", what, tw_nl_strerror(nl, buf, sizeof(buf)));
	else if (errno == EINVAL)
		err("%s: malformed reply from the module: %s", what,
		    tw_parse_strerror());
	else
		err("%s: %s", what, strerror(errno));
}

/*
 * Whether family @fam is gone, asked afresh on a new socket: for when a
 * notification may have been lost, or a request failed in a way that
 * may mean it.  When in doubt, it is not.
 */
static bool family_gone(const struct tw_family *fam)
{
	struct tw_nl *nl = calloc(1, sizeof(*nl));
	struct tw_family now;
	bool gone = false;

	if (!nl || tw_nl_open(nl) < 0) {
		free(nl);
		return false;
	}
	if (tw_nl_resolve(nl, TCPWATCH_GENL_NAME, &now) < 0)
		gone = errno == ENOENT;
	else
		gone = now.id != fam->id;
	disconnect(nl);
	return gone;
}

/*
 * Reports why a request to the tcpwatch family @fam failed: the family
 * may have gone (module unloaded) since connect_family() looked it up,
 * or, when it is still there, the module may predate the command (both
 * come back as EOPNOTSUPP when the id is taken or the command unknown).
 */
static void request_failed(const struct tw_nl *nl, const struct tw_family *fam,
			   const char *what)
{
	if (nl->kernel_err && nl->err.error == EOPNOTSUPP &&
	    !family_gone(fam))
		err("%s: the loaded module does not know this request (it is older than this tool): use the tool built with the module",
		    what);
	else if (tw_nl_family_gone(nl))
		not_loaded();
	else
		run_failed(nl, what);
}

/*
 * Opens the socket and resolves the tcpwatch family.  Returns an exit
 * status; with @quiet_missing a missing module is not an error message.
 */
static int connect_family(struct tw_nl **nlp, struct tw_family *fam,
			  bool quiet_missing)
{
	struct tw_nl *nl = calloc(1, sizeof(*nl));

	*nlp = NULL;
	if (!nl) {
		err("out of memory");
		return TW_EXIT_FAIL;
	}
	if (tw_nl_open(nl) < 0) {
		err("cannot open a generic netlink socket: %s",
		    strerror(errno));
		free(nl);
		return TW_EXIT_FAIL;
	}
	if (tw_nl_resolve(nl, TCPWATCH_GENL_NAME, fam) < 0) {
		if (errno == ENOENT) {
			if (!quiet_missing)
				not_loaded();
		} else {
			run_failed(nl, "looking up the tcpwatch netlink family");
		}
		tw_nl_close(nl);
		free(nl);
		return TW_EXIT_FAIL;
	}
	*nlp = nl;
	if (fam->version != TCPWATCH_GENL_VERSION) {
		err("the loaded module speaks tcpwatch netlink version %u, this tool speaks version %u: use the tool built with the module",
		    fam->version, TCPWATCH_GENL_VERSION);
		return TW_EXIT_FAIL;
	}
	return TW_EXIT_OK;
}

static struct nlmsghdr *put_filters(void *buf, uint16_t family, uint8_t cmd,
				    const struct tw_filter *flt)
{
	struct nlmsghdr *nlh;

	nlh = tw_nl_put_request(buf, family, cmd, TCPWATCH_GENL_VERSION,
				NLM_F_REQUEST | NLM_F_DUMP);
	/*
	 * For closed records the module matches the last state before CLOSE
	 * (older modules: CLOSE, i.e. nothing useful), while `closed --state`
	 * means any state the socket went through: collect_cb() applies it.
	 */
	if (flt->states && cmd != TCPWATCH_CMD_GET_CLOSED)
		mnl_attr_put_u32(nlh, TCPWATCH_A_FILTER_STATES, flt->states);
	if (flt->port)
		mnl_attr_put_u16(nlh, TCPWATCH_A_FILTER_PORT, flt->port);
	return nlh;
}

/* One kind of dump: its command, its records and how to show them. */
struct dump_kind {
	uint8_t cmd;
	const char *what;	/* for error messages */
	size_t size;		/* of one record */
	int (*parse)(const struct nlmsghdr *nlh, void *rec);
	bool (*match)(const void *rec, const struct tw_filter *flt);
	void (*render)(FILE *f, const void *recs, size_t n,
		       const struct tw_opts *o);
};

struct collect {
	const struct dump_kind *kind;
	const struct tw_filter *flt;
	char *recs;
	size_t n, cap;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	size_t size = c->kind->size;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		char *p = realloc(c->recs, cap * size);

		if (!p) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		c->recs = p;
		c->cap = cap;
	}
	/* parsed into the next free slot, kept only if it matches */
	if (c->kind->parse(nlh, c->recs + c->n * size) < 0)
		return MNL_CB_ERROR;
	/* the module filters too; this keeps the output right regardless */
	if (c->kind->match(c->recs + c->n * size, c->flt))
		c->n++;
	return MNL_CB_OK;
}

/*
 * Dump @cmd with @o's filters, each reply to @cb; errors reported (@what
 * names the request).  Returns TW_EXIT_OK or TW_EXIT_FAIL.
 */
static int run_dump(const struct tw_opts *o, uint8_t cmd, const char *what,
		    mnl_cb_t cb, void *data)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct tw_family fam;
	struct tw_nl *nl;
	int ret;

	ret = connect_family(&nl, &fam, false);
	if (ret)
		goto out;
	if (tw_nl_run(nl, put_filters(buf, fam.id, cmd, &o->flt), cb,
		      data) < 0) {
		request_failed(nl, &fam, what);
		ret = TW_EXIT_FAIL;
		goto out;
	}
	if (nl->dump_intr)
		err("warning: the socket table changed during the dump, the list may be inconsistent");
out:
	disconnect(nl);
	return ret;
}

static int dump_view(const struct tw_opts *o, const struct dump_kind *kind)
{
	struct collect c = { .kind = kind, .flt = &o->flt };
	int ret = run_dump(o, kind->cmd, kind->what, collect_cb, &c);

	if (!ret) {
		buffer_stdout();
		kind->render(stdout, c.recs, c.n, o);
	}
	free(c.recs);
	return ret;
}

/* The typed functions of parse.c and render.c, for struct dump_kind. */

static int parse_sock(const struct nlmsghdr *nlh, void *rec)
{
	return tw_parse_sock_msg(nlh, rec);
}

static bool match_sock(const void *rec, const struct tw_filter *flt)
{
	return tw_sock_match(rec, flt, TW_MATCH_SOCK);
}

static bool match_closed(const void *rec, const struct tw_filter *flt)
{
	return tw_sock_match(rec, flt, TW_MATCH_CLOSED);
}

static void render_sockets(FILE *f, const void *recs, size_t n,
			   const struct tw_opts *o)
{
	if (o->timers && !o->json)
		tw_render_sockets_timers(f, recs, n);
	else
		tw_render_sockets(f, recs, n, o->json);
}

static void render_closed(FILE *f, const void *recs, size_t n,
			   const struct tw_opts *o)
{
	tw_render_closed(f, recs, n, o->json);
}

static int parse_listener(const struct nlmsghdr *nlh, void *rec)
{
	return tw_parse_listener_msg(nlh, rec);
}

static bool match_listener(const void *rec, const struct tw_filter *flt)
{
	return tw_listener_match(rec, flt);
}

static void render_listeners(FILE *f, const void *recs, size_t n,
			     const struct tw_opts *o)
{
	tw_render_listeners(f, recs, n, o->json, o->hist);
}

static int parse_halfopen(const struct nlmsghdr *nlh, void *rec)
{
	return tw_parse_halfopen_msg(nlh, rec);
}

static bool match_halfopen(const void *rec, const struct tw_filter *flt)
{
	return tw_halfopen_match(rec, flt);
}

static void render_halfopen(FILE *f, const void *recs, size_t n,
			   const struct tw_opts *o)
{
	tw_render_halfopen(f, recs, n, o->json);
}

/*
 * `sockets` (not --timers) renders each record as it comes: an array of
 * 50,000 parsed records was 22 MB that the kernel had to fault in and
 * zero, most of what the CLI cost at that size in the test VM.
 */
struct sock_stream {
	const struct tw_filter *flt;
	struct tw_sock s;
	struct tw_sockets_out out;
};

static int sock_stream_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sock_stream *c = data;

	if (tw_parse_sock_msg(nlh, &c->s) < 0)
		return MNL_CB_ERROR;
	/* the module filters too; this keeps the output right regardless */
	if (!tw_sock_match(&c->s, c->flt, TW_MATCH_SOCK))
		return MNL_CB_OK;
	if (tw_sockets_row(&c->out, &c->s) < 0) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int sockets_stream(const struct tw_opts *o)
{
	struct sock_stream *c = malloc(sizeof(*c));
	int ret;

	if (!c) {
		err("out of memory");
		return TW_EXIT_FAIL;
	}
	c->flt = &o->flt;
	buffer_stdout();
	tw_sockets_begin(&c->out, stdout, o->json);
	ret = run_dump(o, TCPWATCH_CMD_GET_SOCKETS, "listing sockets",
		       sock_stream_cb, c);
	if (ret)
		tw_sockets_abort(&c->out);
	else
		tw_sockets_end(&c->out);
	free(c);
	return ret;
}

int tw_view_sockets(const struct tw_opts *o)
{
	static const struct dump_kind kind = {
		TCPWATCH_CMD_GET_SOCKETS, "listing sockets",
		sizeof(struct tw_sock), parse_sock, match_sock, render_sockets,
	};

	if (!o->timers || o->json)
		return sockets_stream(o);
	return dump_view(o, &kind);
}

int tw_view_closed(const struct tw_opts *o)
{
	static const struct dump_kind kind = {
		TCPWATCH_CMD_GET_CLOSED, "listing closed sockets",
		sizeof(struct tw_sock), parse_sock, match_closed,
		render_closed,
	};

	return dump_view(o, &kind);
}

int tw_view_listeners(const struct tw_opts *o)
{
	static const struct dump_kind kind = {
		TCPWATCH_CMD_GET_LISTENERS, "listing listeners",
		sizeof(struct tw_listener), parse_listener, match_listener,
		render_listeners,
	};

	return dump_view(o, &kind);
}

int tw_view_halfopen(const struct tw_opts *o)
{
	static const struct dump_kind kind = {
		TCPWATCH_CMD_GET_HALFOPEN, "listing half-open connections",
		sizeof(struct tw_halfopen), parse_halfopen, match_halfopen,
		render_halfopen,
	};

	return dump_view(o, &kind);
}

/* ---- fetch.h: a session for the views that ask many times ---- */

int tw_session_open(struct tw_session *ss)
{
	int ret = connect_family(&ss->nl, &ss->fam, false);

	if (ret) {
		disconnect(ss->nl);
		ss->nl = NULL;
	}
	return ret;
}

void tw_session_close(struct tw_session *ss)
{
	disconnect(ss->nl);
	ss->nl = NULL;
}

static const struct dump_kind fetch_kinds[] = {
	{ TCPWATCH_CMD_GET_SOCKETS, "listing sockets",
	  sizeof(struct tw_sock), parse_sock, match_sock, NULL },
	{ TCPWATCH_CMD_GET_LISTENERS, "listing listeners",
	  sizeof(struct tw_listener), parse_listener, match_listener, NULL },
	{ TCPWATCH_CMD_GET_HALFOPEN, "listing half-open connections",
	  sizeof(struct tw_halfopen), parse_halfopen, match_halfopen, NULL },
};

int tw_fetch_dump(struct tw_session *ss, uint8_t cmd,
		  const struct tw_filter *flt, void **recs, size_t *n)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	const struct dump_kind *kind = NULL;
	struct collect c = { .flt = flt };
	size_t i;

	for (i = 0; i < sizeof(fetch_kinds) / sizeof(fetch_kinds[0]); i++)
		if (fetch_kinds[i].cmd == cmd)
			kind = &fetch_kinds[i];
	if (!kind)
		return TW_EXIT_FAIL;
	c.kind = kind;
	if (tw_nl_run(ss->nl, put_filters(buf, ss->fam.id, cmd, flt),
		      collect_cb, &c) < 0) {
		request_failed(ss->nl, &ss->fam, kind->what);
		free(c.recs);
		return TW_EXIT_FAIL;
	}
	free(*recs);
	*recs = c.recs;
	*n = c.n;
	return TW_EXIT_OK;
}

struct stats_ctx {
	struct tw_stats *st;
	bool found;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats_ctx *ctx = data;

	if (tw_parse_stats_msg(nlh, ctx->st) < 0)
		return MNL_CB_ERROR;
	ctx->found = true;
	return MNL_CB_OK;
}

/* GET_STATS into @ctx->st; says nothing: tw_nl_run()'s result. */
static int stats_request(struct tw_nl *nl, const struct tw_family *fam,
			 struct stats_ctx *ctx)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;

	nlh = tw_nl_put_request(buf, fam->id, TCPWATCH_CMD_GET_STATS,
				TCPWATCH_GENL_VERSION,
				NLM_F_REQUEST | NLM_F_ACK);
	return tw_nl_run(nl, nlh, stats_cb, ctx);
}

/* GET_STATS into @st; returns an exit status, having said what failed. */
static int get_stats(struct tw_nl *nl, const struct tw_family *fam,
		     struct tw_stats *st)
{
	struct stats_ctx ctx = { st, false };

	if (stats_request(nl, fam, &ctx) < 0) {
		request_failed(nl, fam, "reading statistics");
		return TW_EXIT_FAIL;
	}
	if (!ctx.found) {
		err("reading statistics: the module sent no reply");
		return TW_EXIT_FAIL;
	}
	return TW_EXIT_OK;
}

static bool abi_ok(const struct tw_stats *st)
{
	return st->has_abi && st->abi == TCPWATCH_GENL_VERSION;
}

int tw_view_states(const struct tw_opts *o)
{
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct tw_family fam;
	struct tw_nl *nl = NULL;
	int ret = TW_EXIT_FAIL;

	if (!st) {
		err("out of memory");
		return TW_EXIT_FAIL;
	}
	ret = connect_family(&nl, &fam, false);
	if (ret)
		goto out;
	ret = get_stats(nl, &fam, st);
	if (ret)
		goto out;
	if (!abi_ok(st)) {
		if (st->has_abi)
			err("the loaded module reports ABI %u, this tool speaks %u: use the tool built with the module",
			    st->abi, TCPWATCH_GENL_VERSION);
		else
			err("the loaded module does not report its ABI: use the tool built with the module");
		ret = TW_EXIT_FAIL;
		goto out;
	}
	if (!st->has_stats) {
		err("reading statistics: the reply has no statistics");
		ret = TW_EXIT_FAIL;
		goto out;
	}
	tw_render_stats(stdout, st, o->json, o->hist);
out:
	disconnect(nl);
	free(st);
	return ret;
}

int tw_view_version(void)
{
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct tw_family fam;
	struct tw_nl *nl = NULL;

	printf("tcpwatch CLI %s (netlink version %u)\n", TW_CLI_VERSION,
	       TCPWATCH_GENL_VERSION);
	if (!st)
		return TW_EXIT_FAIL;
	switch (connect_family(&nl, &fam, true)) {
	case TW_EXIT_OK:
		break;
	default:
		if (!nl) {
			printf("module: not loaded\n");
			free(st);
			return TW_EXIT_OK;
		}
		/* loaded, wrong version: connect_family() said so */
		printf("module: loaded, netlink version %u (incompatible)\n",
		       fam.version);
		disconnect(nl);
		free(st);
		return TW_EXIT_OK;
	}
	if (get_stats(nl, &fam, st) == TW_EXIT_OK)
		printf("module: %s (abi %u%s)\n",
		       st->has_version ? st->version : "unknown",
		       st->abi, abi_ok(st) ? "" : ", incompatible");
	disconnect(nl);
	free(st);
	return TW_EXIT_OK;
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/*
 * What a stream of events shows: the column titles, one event, and what
 * to do once subscribed (window: set the filter) and at the end (clear
 * it).  @start returns an exit status.
 */
struct stream {
	void (*header)(FILE *f, bool json);
	void (*render)(struct tw_out *w, const struct tw_sock *ev, bool json);
	bool (*match)(const struct tw_sock *ev, const struct tw_opts *o);
	int (*start)(const struct tw_opts *o, const struct tw_family *fam);
	void (*stop)(const struct tw_opts *o, const struct tw_family *fam);
	const char *banner;
};

struct events_ctx {
	const struct stream *stream;
	const struct tw_opts *o;
	const struct tw_family *fam;
	struct tw_out out;	/* the events shown, until flush_events() */
	unsigned long shown;
	unsigned long bad;
	unsigned long overruns;
	bool gone;		/* nlctrl said the family went away */
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct events_ctx *ctx = data;
	const struct genlmsghdr *genl = tw_parse_genl(nlh);
	struct tw_sock ev;

	if (!genl || genl->cmd != TCPWATCH_CMD_EVENT)
		return MNL_CB_OK;
	if (tw_parse_event_msg(nlh, &ev) < 0) {
		if (!ctx->bad++)
			err("warning: skipping malformed event: %s",
			    tw_parse_strerror());
		return MNL_CB_OK;
	}
	if (!tw_sock_match(&ev, &ctx->o->flt, TW_MATCH_EVENT))
		return MNL_CB_OK;
	if (ctx->stream->match && !ctx->stream->match(&ev, ctx->o))
		return MNL_CB_OK;
	ctx->stream->render(&ctx->out, &ev, ctx->o->json);
	ctx->shown++;
	if (ctx->o->count && ctx->shown >= ctx->o->count)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	struct events_ctx *ctx = data;

	if (!tw_ctrl_family_gone(nlh, TCPWATCH_GENL_NAME, ctx->fam->id))
		return MNL_CB_OK;
	ctx->gone = true;
	return MNL_CB_STOP;
}

/* What one receive on a socket came to. */
enum step {
	STEP_MORE,		/* carry on */
	STEP_IDLE,		/* nonblocking, and nothing was waiting */
	STEP_DONE,		/* -c COUNT events shown, or the family gone */
	STEP_FAIL,		/* said why */
};

/* Receives one datagram on @nl and runs its messages through @cb. */
static enum step receive(struct tw_nl *nl, mnl_cb_t cb,
			 struct events_ctx *ctx, bool nonblock)
{
	ssize_t n = tw_nl_recv(nl, nonblock);
	int r;

	if (n == 0)
		return STEP_MORE;	/* not from the kernel: dropped */
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return STEP_IDLE;
		if (errno == ENOBUFS) {
			ctx->overruns++;
			return STEP_MORE;
		}
		err("receiving events: %s", strerror(errno));
		return STEP_FAIL;
	}
	r = mnl_cb_run(nl->buf, n, 0, 0, cb, ctx);
	if (r == MNL_CB_STOP)
		return STEP_DONE;
	if (r == MNL_CB_ERROR) {
		err("receiving events: %s", strerror(errno));
		return STEP_FAIL;
	}
	return STEP_MORE;
}

/*
 * A second socket, on nlctrl's "notify" group: when the module goes, the
 * kernel silently drops the events group's members, and only nlctrl says
 * so (CTRL_CMD_DELFAMILY).  It is joined before the tcpwatch family is
 * looked up, so that no unload slips in between.  Returns NULL, having
 * warned, if that fails: events still work, an unload goes unnoticed.
 */
static struct tw_nl *watch_families(void)
{
	struct tw_nl *ctl = calloc(1, sizeof(*ctl));
	struct tw_family nlctrl;
	int64_t grp;

	if (!ctl || tw_nl_open(ctl) < 0) {
		err("warning: cannot watch for the module's unload: %s",
		    strerror(errno));
		free(ctl);
		return NULL;
	}
	if (tw_nl_resolve(ctl, "nlctrl", &nlctrl) < 0 ||
	    (grp = tw_family_mcgrp(&nlctrl, "notify")) < 0 ||
	    tw_nl_join(ctl, grp) < 0) {
		err("warning: cannot join nlctrl's \"notify\" group, an unload of the module will go unnoticed");
		disconnect(ctl);
		return NULL;
	}
	return ctl;
}

/* Writes out the events shown so far. */
static void flush_events(struct events_ctx *ctx)
{
	tw_out_flush(&ctx->out);
	fflush(stdout);
}

/* Shows the events still queued on @nl, then reports the unload. */
static int unloaded(struct tw_nl *nl, struct events_ctx *ctx)
{
	enum step st;

	do
		st = receive(nl, event_cb, ctx, true);
	while (st == STEP_MORE && !stop_signal);
	flush_events(ctx);
	if (st == STEP_DONE)
		return TW_EXIT_OK;	/* -c COUNT reached first */
	err("kernel module unloaded");
	return TW_EXIT_FAIL;
}

/*
 * The module asks netlink whether events have a reader once a jiffy; on
 * kernels before 6.9 it hears of a join only then, and events of that
 * jiffy are not made.  Any stats request makes it ask at once: one, on a
 * socket of its own (replies on the joined socket would mix with the
 * events).  Quiet: if it fails, the events still come, a jiffy later.
 */
static void announce_reader(const struct tw_family *fam)
{
	struct tw_stats *st = calloc(1, sizeof(*st));
	struct stats_ctx ctx = { st, false };
	struct tw_nl nl;

	if (!st || tw_nl_open(&nl) < 0) {
		free(st);
		return;
	}
	stats_request(&nl, fam, &ctx);
	tw_nl_close(&nl);
	free(st);
}

static int run_stream(const struct tw_opts *o, const struct stream *stream)
{
	struct tw_family fam;
	struct events_ctx ctx = { .stream = stream, .o = o, .fam = &fam };
	bool started = false;
	struct sigaction sa = { .sa_handler = on_signal };
	struct tw_nl *nl = NULL, *ctl, *socks[2];
	unsigned int nsocks;
	sigset_t block, orig;
	bool ready[2];
	int64_t grp;
	int ret;

	tw_out_init(&ctx.out, stdout);
	/* Signals stay blocked except inside ppoll(): no lost wakeup. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigdelset(&orig, SIGINT);
	sigdelset(&orig, SIGTERM);
	sigdelset(&orig, SIGHUP);

	ctl = watch_families();
	ret = connect_family(&nl, &fam, false);
	if (ret)
		goto out;
	grp = tw_family_mcgrp(&fam, TCPWATCH_MCGRP_EVENTS);
	if (grp < 0) {
		err("the module has no \"%s\" multicast group",
		    TCPWATCH_MCGRP_EVENTS);
		ret = TW_EXIT_FAIL;
		goto out;
	}
	tw_nl_set_rcvbuf(nl, EVENTS_RCVBUF);
	if (tw_nl_join(nl, grp) < 0) {
		err("joining multicast group \"%s\": %s",
		    TCPWATCH_MCGRP_EVENTS, strerror(errno));
		ret = TW_EXIT_FAIL;
		goto out;
	}
	announce_reader(&fam);
	if (stream->start) {
		ret = stream->start(o, &fam);
		if (ret)
			goto out;
		started = true;
	}
	socks[0] = nl;
	socks[1] = ctl;
	nsocks = ctl ? 2 : 1;
	/*
	 * ctx.out is the only buffer, written out per drain (and when full):
	 * stdout's own would but copy it once more.
	 */
	setvbuf(stdout, NULL, _IONBF, 0);
	stream->header(stdout, o->json);
	fprintf(stderr, "tcpwatch: %s, Ctrl-C to end\n", stream->banner);

	while (!stop_signal) {
		enum step st = STEP_MORE;
		unsigned long overruns = ctx.overruns;

		if (tw_nl_wait(socks, nsocks, -1, &orig, ready) < 0) {
			if (errno == EINTR)
				continue;
			err("waiting for events: %s", strerror(errno));
			ret = TW_EXIT_FAIL;
			break;
		}
		/* events first: those sent before an unload are shown */
		if (ready[0]) {
			unsigned int n = 0;

			/*
			 * Drain what is queued, then write once: a poll and a
			 * write per event is what made a reader fall behind
			 * at a few thousand events/s.  Bounded, so that an
			 * unload notice on @ctl is not starved.
			 */
			do
				st = receive(nl, event_cb, &ctx, n > 0);
			while (st == STEP_MORE && ++n < EVENTS_DRAIN &&
			       !stop_signal);
			if (st == STEP_IDLE)
				st = STEP_MORE;
			flush_events(&ctx);
			if (ctx.overruns != overruns)
				err("warning: receive buffer overrun, events lost (%lu overrun%s so far)",
				    ctx.overruns, ctx.overruns == 1 ? "" : "s");
		}
		if (st == STEP_MORE && nsocks > 1 && ready[1]) {
			overruns = ctx.overruns;
			st = receive(ctl, ctrl_cb, &ctx, false);
			/* a lost notification may have been ours */
			if (ctx.overruns != overruns) {
				ctx.overruns = overruns;
				ctx.gone = family_gone(&fam);
			}
			if (ctx.gone) {
				ret = unloaded(nl, &ctx);
				break;
			}
		}
		if (st == STEP_DONE)
			break;
		if (st == STEP_FAIL) {
			ret = TW_EXIT_FAIL;
			break;
		}
	}
out:
	flush_events(&ctx);
	if (started && stream->stop)
		stream->stop(o, &fam);
	if (ctx.overruns)
		err("%lu receive buffer overrun%s: some events were lost",
		    ctx.overruns, ctx.overruns == 1 ? "" : "s");
	if (ctx.bad)
		err("%lu malformed event%s skipped", ctx.bad,
		    ctx.bad == 1 ? "" : "s");
	disconnect(nl);
	disconnect(ctl);
	return ret;
}

/* the columns are those of the events that carry states */
static void events_header(FILE *f, bool json)
{
	(void)f;
	(void)json;
}

int tw_view_events(const struct tw_opts *o)
{
	struct stream stream = {
		.header = events_header, .render = tw_render_event_out,
		.banner = "tracing TCP events",
	};

	if (!o->flt.kinds || (o->flt.kinds & TW_STATE_KINDS))
		stream.header = tw_render_event_header;
	return run_stream(o, &stream);
}

int tw_view_retrans(const struct tw_opts *o)
{
	static const struct stream stream = {
		.header = tw_render_retrans_header,
		.render = tw_render_retrans_out,
		.banner = "tracing retransmissions, RTO expiries and congestion-state changes",
	};
	struct tw_opts ro = *o;

	if (!ro.flt.kinds)
		ro.flt.kinds = TW_RETRANS_KINDS;
	return run_stream(&ro, &stream);
}

/* The window events of the flow: its port, and its address if given. */
static bool window_match(const struct tw_sock *ev, const struct tw_opts *o)
{
	size_t alen = o->flow_family == AF_INET ? 4 : 16;

	if (ev->event != TCPWATCH_EV_WINDOW)
		return false;
	if (ev->sport != o->flow_port && ev->dport != o->flow_port)
		return false;
	if (!o->flow_family)
		return true;
	return ev->family == o->flow_family &&
	       (!memcmp(ev->saddr, o->flow_addr, alen) ||
		!memcmp(ev->daddr, o->flow_addr, alen));
}

static int ignore_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/*
 * SET_WINLOG on a socket of its own (the events socket would see events
 * among the replies).  @set: the flow's filter; else clear it.
 */
static int set_winlog(const struct tw_opts *o, const struct tw_family *fam,
		      bool set)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct tw_family f2;
	struct nlmsghdr *nlh;
	struct tw_nl *nl;
	int ret;

	(void)fam;
	ret = connect_family(&nl, &f2, false);
	if (ret) {
		disconnect(nl);
		return ret;
	}
	nlh = tw_nl_put_request(buf, f2.id, TCPWATCH_CMD_SET_WINLOG,
				TCPWATCH_GENL_VERSION,
				NLM_F_REQUEST | NLM_F_ACK);
	if (set) {
		mnl_attr_put_u16(nlh, TCPWATCH_A_FILTER_PORT, o->flow_port);
		if (o->flow_family)
			mnl_attr_put(nlh, TCPWATCH_A_FILTER_ADDR,
				     o->flow_family == AF_INET ? 4 : 16,
				     o->flow_addr);
		if (o->has_interval)
			mnl_attr_put_u32(nlh, TCPWATCH_A_WINLOG_INTERVAL_MS,
					 o->interval_ms);
	}
	if (tw_nl_run(nl, nlh, ignore_cb, NULL) < 0) {
		if (nl->kernel_err && nl->err.error == EPERM)
			err("%s the window log needs CAP_NET_ADMIN (try: sudo tcpwatch window ...)",
			    set ? "setting" : "clearing");
		else
			request_failed(nl, &f2, set ? "setting the window log" :
				       "clearing the window log");
		ret = TW_EXIT_FAIL;
	}
	disconnect(nl);
	return ret;
}

static int window_start(const struct tw_opts *o, const struct tw_family *fam)
{
	return set_winlog(o, fam, true);
}

static void window_stop(const struct tw_opts *o, const struct tw_family *fam)
{
	set_winlog(o, fam, false);
}

int tw_view_window(const struct tw_opts *o)
{
	static const struct stream stream = {
		.header = tw_render_window_header,
		.render = tw_render_window_out,
		.match = window_match,
		.start = window_start,
		.stop = window_stop,
		.banner = "logging the flow's windows",
	};

	return run_stream(o, &stream);
}

int tw_fetch_stats(struct tw_session *ss, struct tw_stats *st)
{
	int ret = get_stats(ss->nl, &ss->fam, st);

	if (!ret && !abi_ok(st)) {
		err("the loaded module reports ABI %u, this tool speaks %u: use the tool built with the module",
		    st->abi, TCPWATCH_GENL_VERSION);
		ret = TW_EXIT_FAIL;
	}
	return ret;
}

/* hist NAME: a histogram kind's JSON name, "state", or a state's name */
static bool hist_wanted(const char *name, bool state_chart, unsigned int id)
{
	const char *json, *title;

	if (!name)
		return true;
	if (state_chart)
		return tw_name_eq(name, "state") ||
		       tw_state_from_name(name) == (int)id;
	return tw_hist_kind_name(id, &json, &title) && tw_name_eq(name, json);
}

static bool hist_name_ok(const char *name)
{
	unsigned int k;

	if (!name || tw_name_eq(name, "state") || tw_state_from_name(name) > 0)
		return true;
	for (k = 0; k < TW_HIST_KINDS; k++)
		if (hist_wanted(name, false, k))
			return true;
	return false;
}

int tw_view_hist(const struct tw_opts *o)
{
	struct tw_session ss = { 0 };
	struct tw_stats *st;
	unsigned int i, shown = 0;
	int ret;

	if (!hist_name_ok(o->hist_name)) {
		err("unknown histogram '%s' (try: tcpwatch hist --help)",
		    o->hist_name);
		return TW_EXIT_USAGE;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		err("out of memory");
		return TW_EXIT_FAIL;
	}
	ret = tw_session_open(&ss);
	if (!ret)
		ret = tw_fetch_stats(&ss, st);
	if (ret)
		goto out;
	if (o->json) {
		tw_render_stats(stdout, st, true, true);
		goto out;
	}
	for (i = 1; i < TCPWATCH_NSTATES; i++) {
		const struct tw_hist *h = &st->hist[i];

		if (!hist_wanted(o->hist_name, true, i) || !h->present ||
		    (!h->count && !o->hist_name))
			continue;
		printf("%sTime in %s (usecs):\n", shown++ ? "\n" : "",
		       tw_state_label(i));
		if (h->count)
			tw_print_log2_hist(stdout, h->slots,
					   TCPWATCH_HIST_SLOTS, "usecs");
		else
			puts("     no samples");
	}
	for (i = 0; i < TW_HIST_KINDS; i++) {
		if (i == TCPWATCH_HIST_STATE_TIME ||
		    !hist_wanted(o->hist_name, false, i))
			continue;
		if (shown++)
			putchar('\n');
		tw_render_hist_chart(stdout, i, &st->kind_hist[i]);
	}
	if (!shown)
		printf("no samples\n");
out:
	tw_session_close(&ss);
	free(st);
	return ret;
}

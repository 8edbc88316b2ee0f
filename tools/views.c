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

#include "nl.h"
#include "parse.h"
#include "render.h"
#include "views.h"

#define EVENTS_RCVBUF	(8 << 20)

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

static int dump_view(const struct tw_opts *o, const struct dump_kind *kind)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct collect c = { .kind = kind, .flt = &o->flt };
	struct tw_family fam;
	struct tw_nl *nl;
	int ret;

	ret = connect_family(&nl, &fam, false);
	if (ret)
		goto out;
	if (tw_nl_run(nl, put_filters(buf, fam.id, kind->cmd, &o->flt),
		      collect_cb, &c) < 0) {
		request_failed(nl, &fam, kind->what);
		ret = TW_EXIT_FAIL;
		goto out;
	}
	if (nl->dump_intr)
		err("warning: the socket table changed during the dump, the list may be inconsistent");
	kind->render(stdout, c.recs, c.n, o);
out:
	free(c.recs);
	disconnect(nl);
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

int tw_view_sockets(const struct tw_opts *o)
{
	static const struct dump_kind kind = {
		TCPWATCH_CMD_GET_SOCKETS, "listing sockets",
		sizeof(struct tw_sock), parse_sock, match_sock, render_sockets,
	};

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

/* GET_STATS into @st; returns an exit status, having said what failed. */
static int get_stats(struct tw_nl *nl, const struct tw_family *fam,
		     struct tw_stats *st)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct stats_ctx ctx = { st, false };
	struct nlmsghdr *nlh;

	nlh = tw_nl_put_request(buf, fam->id, TCPWATCH_CMD_GET_STATS,
				TCPWATCH_GENL_VERSION,
				NLM_F_REQUEST | NLM_F_ACK);
	if (tw_nl_run(nl, nlh, stats_cb, &ctx) < 0) {
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

struct events_ctx {
	const struct tw_opts *o;
	const struct tw_family *fam;
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
	tw_render_event(stdout, &ev, ctx->o->json);
	fflush(stdout);
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

/* Shows the events still queued on @nl, then reports the unload. */
static int unloaded(struct tw_nl *nl, struct events_ctx *ctx)
{
	enum step st;

	do
		st = receive(nl, event_cb, ctx, true);
	while (st == STEP_MORE && !stop_signal);
	if (st == STEP_DONE)
		return TW_EXIT_OK;	/* -c COUNT reached first */
	err("kernel module unloaded");
	return TW_EXIT_FAIL;
}

int tw_view_events(const struct tw_opts *o)
{
	struct tw_family fam;
	struct events_ctx ctx = { .o = o, .fam = &fam };
	struct sigaction sa = { .sa_handler = on_signal };
	struct tw_nl *nl = NULL, *ctl, *socks[2];
	unsigned int nsocks;
	sigset_t block, orig;
	bool ready[2];
	int64_t grp;
	int ret;

	/* Signals stay blocked except inside ppoll(): no lost wakeup. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigdelset(&orig, SIGINT);
	sigdelset(&orig, SIGTERM);

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
	socks[0] = nl;
	socks[1] = ctl;
	nsocks = ctl ? 2 : 1;
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOLBF, 0);
	/* the columns are those of the events that carry states */
	if (!o->flt.kinds || (o->flt.kinds & TW_STATE_KINDS))
		tw_render_event_header(stdout, o->json);
	fflush(stdout);
	fprintf(stderr, "tcpwatch: tracing TCP events, Ctrl-C to end\n");

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
			st = receive(nl, event_cb, &ctx, false);
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
	if (ctx.overruns)
		err("%lu receive buffer overrun%s: some events were lost",
		    ctx.overruns, ctx.overruns == 1 ? "" : "s");
	if (ctx.bad)
		err("%lu malformed event%s skipped", ctx.bad,
		    ctx.bad == 1 ? "" : "s");
	disconnect(nl);
	disconnect(ctl);
	fflush(stdout);
	return ret;
}

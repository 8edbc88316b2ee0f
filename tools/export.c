// SPDX-License-Identifier: GPL-2.0
/*
 * export.c - `tcpwatch export`: reads GET_STATS and the GET_LISTENERS
 * dump of the netns it runs in at each scrape (or each interval) and
 * serves them as Prometheus metrics (prom.c) over HTTP with
 * libmicrohttpd, or writes them atomically to a node_exporter textfile.
 *
 * Each scrape opens its own netlink socket and looks the family up
 * afresh, so the exporter outlives module reloads: while the module is
 * away, scrapes answer tcpwatch_up 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <microhttpd.h>

#include "export.h"
#include "format.h"
#include "nl.h"
#include "parse.h"
#include "prom.h"
#include "views.h"

#define STR2(x) #x
#define STR(x) STR2(x)

const char tw_export_help[] =
"Export tcpwatch's counters, gauges and histograms of this network\n"
"namespace as Prometheus metrics.  The module is read at each scrape;\n"
"tcpwatch_up is 0 while it is not loaded.\n"
"\n"
"  -l, --listen ADDR:PORT  serve http://ADDR:PORT/metrics (the default,\n"
"                          on " TW_EXPORT_ADDR ":" STR(TW_EXPORT_PORT) "); ADDR is IPv4 or [IPv6]\n"
"  -t, --textfile PATH     write the metrics to PATH for node_exporter's\n"
"                          textfile collector: to a temporary file first,\n"
"                          then renamed over PATH\n"
"  -i, --interval S        with --textfile: rewrite every S seconds\n"
"                          (default " STR(TW_EXPORT_INTERVAL) ")\n"
"      --once              with --textfile: write once and exit (status 1\n"
"                          if the module could not be read)\n"
"      --max-listeners N   per-listener metrics for at most N listening\n"
"                          addresses and ports (default " STR(TW_EXPORT_MAX_LISTENERS) ", 0: none);\n"
"                          tcpwatch_listeners_omitted counts the rest\n"
"  -h, --help              show this help\n"
"\n"
"Every metric of the netns has the label netns (its inode): an exporter\n"
"reports the netns it runs in (run one per netns with ip netns exec).\n"
"Metrics the loaded module does not report are left out, never 0.\n"
"No per-socket metrics.  Stops on SIGINT or SIGTERM.\n";

struct export_opts {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	const char *listen;	/* as given, for messages */
	const char *textfile;
	unsigned long interval;
	bool once;
	unsigned long max_listeners;
};

__attribute__((format(printf, 1, 2)))
static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("tcpwatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: %s\nTry 'tcpwatch export --help'.\n",
		TW_EXPORT_SYNOPSIS);
	return TW_EXIT_USAGE;
}

/* "1.2.3.4:9977", "[::1]:9977", "1.2.3.4" or "[::1]" (default port). */
static int parse_listen(const char *arg, struct export_opts *o)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&o->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&o->addr;
	uint16_t port = TW_EXPORT_PORT;
	char host[INET6_ADDRSTRLEN + 2];
	const char *p, *colon;
	size_t hlen;

	if (arg[0] == '[') {
		p = strchr(arg, ']');
		if (!p)
			return -1;
		hlen = p - arg - 1;
		colon = p[1] == ':' ? p + 1 : NULL;
		if (p[1] && !colon)
			return -1;
		arg++;
	} else {
		colon = strrchr(arg, ':');
		hlen = colon ? (size_t)(colon - arg) : strlen(arg);
	}
	if (hlen >= sizeof(host) || (colon && tw_parse_port(colon + 1, &port)))
		return -1;
	memcpy(host, arg, hlen);
	host[hlen] = '\0';
	memset(&o->addr, 0, sizeof(o->addr));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		o->addrlen = sizeof(*in4);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		o->addrlen = sizeof(*in6);
	} else {
		return -1;
	}
	return 0;
}

static int parse_ulong(const char *arg, unsigned long min, unsigned long max,
		       unsigned long *v)
{
	char *end;

	errno = 0;
	if (*arg < '0' || *arg > '9')
		return -1;
	*v = strtoul(arg, &end, 10);
	if (errno || *end || *v < min || *v > max)
		return -1;
	return 0;
}

enum { LOPT_ONCE = 0x100, LOPT_MAX_LISTENERS };

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct export_opts *o)
{
	static const struct option longopts[] = {
		{ "listen",		required_argument, NULL, 'l' },
		{ "textfile",		required_argument, NULL, 't' },
		{ "interval",		required_argument, NULL, 'i' },
		{ "once",		no_argument,	   NULL, LOPT_ONCE },
		{ "max-listeners",	required_argument, NULL, LOPT_MAX_LISTENERS },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool interval = false;
	int opt;

	o->interval = TW_EXPORT_INTERVAL;
	o->max_listeners = TW_EXPORT_MAX_LISTENERS;
	parse_listen(TW_EXPORT_ADDR, o);
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:t:i:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (parse_listen(optarg, o) < 0)
				return bad_usage("bad listen address '%s': want ADDR:PORT, e.g. 127.0.0.1:%d or [::1]:%d",
						 optarg, TW_EXPORT_PORT,
						 TW_EXPORT_PORT);
			o->listen = optarg;
			break;
		case 't':
			if (!*optarg)
				return bad_usage("empty --textfile path");
			o->textfile = optarg;
			break;
		case 'i':
			if (parse_ulong(optarg, 1, 86400, &o->interval) < 0)
				return bad_usage("bad interval '%s': want seconds, 1..86400",
						 optarg);
			interval = true;
			break;
		case LOPT_ONCE:
			o->once = true;
			break;
		case LOPT_MAX_LISTENERS:
			if (parse_ulong(optarg, 0, 100000, &o->max_listeners) < 0)
				return bad_usage("bad --max-listeners '%s': want 0..100000",
						 optarg);
			break;
		case 'h':
			printf("Usage: %s\n\n%s", TW_EXPORT_SYNOPSIS,
			       tw_export_help);
			return TW_EXIT_OK;
		case ':':
			return bad_usage("option '%s' needs a value",
					 argv[optind - 1]);
		default:
			return bad_usage("unknown option '%.*s'",
					 (int)strcspn(argv[optind - 1], "="),
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	if (o->listen && o->textfile)
		return bad_usage("--listen and --textfile exclude each other");
	if ((interval || o->once) && !o->textfile)
		return bad_usage("--interval and --once go with --textfile");
	if (interval && o->once)
		return bad_usage("--interval and --once exclude each other");
	return -1;
}

/* What one read of the module gave. */
struct scrape {
	struct tw_stats st;
	struct tw_listener *ls;
	size_t nls, cap;
	bool up;
	bool ls_read;
	char err[320];
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct scrape *s = data;

	if (tw_parse_stats_msg(nlh, &s->st) < 0)
		return MNL_CB_ERROR;
	s->up = true;
	return MNL_CB_OK;
}

static int listener_cb(const struct nlmsghdr *nlh, void *data)
{
	struct scrape *s = data;

	if (s->nls == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct tw_listener *p = realloc(s->ls, cap * sizeof(*p));

		if (!p) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		s->ls = p;
		s->cap = cap;
	}
	if (tw_parse_listener_msg(nlh, &s->ls[s->nls]) < 0)
		return MNL_CB_ERROR;
	s->nls++;
	return MNL_CB_OK;
}

static void request_error(struct scrape *s, const struct tw_nl *nl,
			  const char *what)
{
	char buf[300];

	if (tw_nl_family_gone(nl))
		snprintf(s->err, sizeof(s->err), "kernel module not loaded");
	else if (nl->kernel_err)
		snprintf(s->err, sizeof(s->err), "%s: %s", what,
			 tw_nl_strerror(nl, buf, sizeof(buf)));
	else if (errno == EINVAL)
		snprintf(s->err, sizeof(s->err),
			 "%s: malformed reply from the module: %s", what,
			 tw_parse_strerror());
	else
		snprintf(s->err, sizeof(s->err), "%s: %s", what,
			 strerror(errno));
}

/* One read of the module into @s; s->up says whether the stats came. */
static void scrape_module(struct scrape *s)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct tw_family fam;
	struct nlmsghdr *nlh;
	struct tw_nl *nl;

	s->up = s->ls_read = false;
	s->nls = 0;
	s->err[0] = '\0';
	nl = calloc(1, sizeof(*nl));
	if (!nl || tw_nl_open(nl) < 0) {
		snprintf(s->err, sizeof(s->err),
			 "cannot open a generic netlink socket: %s",
			 strerror(errno));
		free(nl);
		return;
	}
	if (tw_nl_resolve(nl, TCPWATCH_GENL_NAME, &fam) < 0) {
		if (errno == ENOENT)
			snprintf(s->err, sizeof(s->err),
				 "kernel module not loaded");
		else
			request_error(s, nl, "looking up the tcpwatch family");
		goto out;
	}
	if (fam.version != TCPWATCH_GENL_VERSION) {
		snprintf(s->err, sizeof(s->err),
			 "the loaded module speaks tcpwatch netlink version %u, this tool %u",
			 fam.version, TCPWATCH_GENL_VERSION);
		goto out;
	}
	nlh = tw_nl_put_request(buf, fam.id, TCPWATCH_CMD_GET_STATS,
				TCPWATCH_GENL_VERSION,
				NLM_F_REQUEST | NLM_F_ACK);
	if (tw_nl_run(nl, nlh, stats_cb, s) < 0) {
		s->up = false;
		request_error(s, nl, "reading statistics");
		goto out;
	}
	if (s->up && (!s->st.has_abi || s->st.abi != TCPWATCH_GENL_VERSION ||
		      !s->st.has_stats)) {
		s->up = false;
		snprintf(s->err, sizeof(s->err),
			 "the loaded module reports another ABI, or no statistics");
		goto out;
	}
	nlh = tw_nl_put_request(buf, fam.id, TCPWATCH_CMD_GET_LISTENERS,
				TCPWATCH_GENL_VERSION,
				NLM_F_REQUEST | NLM_F_DUMP);
	if (tw_nl_run(nl, nlh, listener_cb, s) < 0) {
		/* the stats stand; the listener metrics are left out */
		request_error(s, nl, "listing listeners");
		s->nls = 0;
		goto out;
	}
	s->ls_read = true;
out:
	tw_nl_close(nl);
	free(nl);
}

struct exporter {
	struct export_opts o;
	struct scrape s;
	char last_err[320];	/* said once, until it changes */
};

/*
 * Reads the module and formats the exposition into a malloc'ed buffer.
 * Returns it (NULL: out of memory), its length in *len, and whether the
 * module answered in *up.
 */
static char *render(struct exporter *e, size_t *len, bool *up)
{
	struct tw_prom_input in = { 0 };
	struct scrape *s = &e->s;
	char *buf = NULL;
	FILE *f;

	scrape_module(s);
	if (strcmp(s->err, e->last_err)) {
		if (s->err[0])
			fprintf(stderr, "tcpwatch: export: %s\n", s->err);
		else if (e->last_err[0])
			fprintf(stderr, "tcpwatch: export: the module answers again\n");
		snprintf(e->last_err, sizeof(e->last_err), "%s", s->err);
	}
	if (s->up) {
		in.st = &s->st;
		in.ls_read = s->ls_read;
		in.ls = s->ls;
		in.nls = tw_prom_merge_listeners(s->ls, s->nls);
		if (in.nls > e->o.max_listeners) {
			in.ls_omitted = in.nls - e->o.max_listeners;
			in.nls = e->o.max_listeners;
		}
	}
	*up = s->up;
	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	tw_prom_write(f, &in);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int code,
			     const char *type, void *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

#define TEXT_PLAIN	"text/plain; charset=utf-8"

/* libmicrohttpd's one polling thread calls this: scrapes never overlap. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_size, void **req_cls)
{
	static const char index_page[] =
		"tcpwatch exporter: metrics at /metrics\n";
	static const char not_found[] = "not found: try /metrics\n";
	static const char not_allowed[] = "method not allowed\n";
	struct exporter *e = cls;
	size_t len;
	char *body;
	bool up;

	(void)version;
	(void)upload_data;
	/*
	 * The first call has the headers only: answering then would leave
	 * the request unread and cost the connection its keep-alive, so a
	 * scrape every second would be a new handshake every second.
	 */
	if (!*req_cls) {
		*req_cls = e;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;	/* a body: ignored */
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, TEXT_PLAIN,
			     (void *)not_allowed, sizeof(not_allowed) - 1,
			     MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, TEXT_PLAIN, (void *)index_page,
			     sizeof(index_page) - 1, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, TEXT_PLAIN,
			     (void *)not_found, sizeof(not_found) - 1,
			     MHD_RESPMEM_PERSISTENT);
	body = render(e, &len, &up);
	if (!body)
		return MHD_NO;
	return reply(conn, MHD_HTTP_OK, TW_PROM_CONTENT_TYPE, body, len,
		     MHD_RESPMEM_MUST_FREE);
}

/* SIGINT, SIGTERM: blocked in every thread, taken by sigwait. */
static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

static int serve(struct exporter *e)
{
	char where[INET6_ADDRSTRLEN + 16], host[INET6_ADDRSTRLEN];
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&e->o.addr;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&e->o.addr;
	bool v6 = e->o.addr.ss_family == AF_INET6;
	struct MHD_Daemon *d;
	sigset_t set;
	int sig;

	if (v6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(where, sizeof(where), "[%s]:%u", host,
			 ntohs(in6->sin6_port));
	} else {
		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		snprintf(where, sizeof(where), "%s:%u", host,
			 ntohs(in4->sin_port));
	}
	stop_signals(&set);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0),
			     v6 ? ntohs(in6->sin6_port) : ntohs(in4->sin_port),
			     NULL, NULL, handle, e,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&e->o.addr,
			     MHD_OPTION_CONNECTION_LIMIT, 64U,
			     MHD_OPTION_CONNECTION_TIMEOUT, 10U,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "tcpwatch: export: cannot serve on %s (address in use, or not local?)\n",
			where);
		return TW_EXIT_FAIL;
	}
	fprintf(stderr, "tcpwatch: export: serving http://%s/metrics\n", where);
	do {
		if (sigwait(&set, &sig))
			break;
	} while (sig != SIGINT && sig != SIGTERM);
	MHD_stop_daemon(d);
	return TW_EXIT_OK;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * The exposition to a temporary file beside @path (its name does not end
 * in .prom, so the textfile collector skips it), then renamed over @path.
 */
static int write_textfile(struct exporter *e, bool *up)
{
	const char *path = e->o.textfile;
	size_t len, tlen = strlen(path) + 8;
	char *body, *tmp = malloc(tlen);
	int fd = -1, err;

	body = render(e, &len, up);
	if (!body || !tmp) {
		errno = ENOMEM;
		goto fail;
	}
	snprintf(tmp, tlen, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		goto fail;
	if (fchmod(fd, 0644) || write_all(fd, body, len) || fsync(fd))
		goto fail_unlink;
	if (close(fd)) {
		fd = -1;
		goto fail_unlink;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail_unlink;
	free(tmp);
	free(body);
	return 0;
fail_unlink:
	err = errno;
	unlink(tmp);
	errno = err;
fail:
	err = errno;
	if (fd >= 0)
		close(fd);
	fprintf(stderr, "tcpwatch: export: cannot write %s: %s\n", path,
		strerror(err));
	free(tmp);
	free(body);
	return -1;
}

static int textfile_loop(struct exporter *e)
{
	struct timespec ts = { .tv_sec = e->o.interval };
	sigset_t set;
	bool up;

	if (e->o.once) {
		if (write_textfile(e, &up) < 0)
			return TW_EXIT_FAIL;
		return up ? TW_EXIT_OK : TW_EXIT_FAIL;
	}
	stop_signals(&set);
	for (;;) {
		write_textfile(e, &up);
		/* a signal ends it; the timeout is the next round */
		if (sigtimedwait(&set, NULL, &ts) >= 0)
			return TW_EXIT_OK;
		if (errno != EAGAIN && errno != EINTR)
			return TW_EXIT_FAIL;
	}
}

int tw_export_main(int argc, char **argv)
{
	struct exporter *e = calloc(1, sizeof(*e));
	int ret;

	if (!e) {
		fputs("tcpwatch: out of memory\n", stderr);
		return TW_EXIT_FAIL;
	}
	ret = parse_args(argc, argv, &e->o);
	if (ret < 0)
		ret = e->o.textfile ? textfile_loop(e) : serve(e);
	free(e->s.ls);
	free(e);
	return ret;
}

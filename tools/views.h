/* SPDX-License-Identifier: GPL-2.0 */
/*
 * views.h - the subcommands of the tcpwatch CLI.  Each takes the parsed
 * options, talks to the module and returns the process exit status:
 * 0 success, 1 runtime failure (module missing, netlink error).
 */
#ifndef TCPWATCH_VIEWS_H
#define TCPWATCH_VIEWS_H

#include <stdbool.h>
#include <stdint.h>

#include "render.h"

#define TW_CLI_VERSION	"0.1.0"

#define TW_EXIT_OK	0
#define TW_EXIT_FAIL	1
#define TW_EXIT_USAGE	2

struct tw_opts {
	bool json;
	bool hist;		/* states, listen --hist */
	bool timers;		/* sockets --timers */
	struct tw_filter flt;
	unsigned long count;	/* events -c: stop after this many; 0: never */
	unsigned long interval_ms;	/* window --interval; top -i */
	bool has_interval;
	/* window: the flow; family 0 when only a port was given */
	int flow_family;
	uint8_t flow_addr[16];
	uint16_t flow_port;
	const char *hist_name;	/* hist NAME, or NULL for all */
	unsigned long stuck_ms;	/* top --stuck: CLOSE_WAIT/FIN_WAIT2 age */
};

int tw_view_sockets(const struct tw_opts *o);
int tw_view_closed(const struct tw_opts *o);
int tw_view_listeners(const struct tw_opts *o);
int tw_view_halfopen(const struct tw_opts *o);
int tw_view_states(const struct tw_opts *o);
int tw_view_events(const struct tw_opts *o);
int tw_view_retrans(const struct tw_opts *o);
int tw_view_window(const struct tw_opts *o);
int tw_view_hist(const struct tw_opts *o);
int tw_view_top(const struct tw_opts *o);
int tw_view_version(void);

#endif /* TCPWATCH_VIEWS_H */

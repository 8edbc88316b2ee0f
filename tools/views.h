/* SPDX-License-Identifier: GPL-2.0 */
/*
 * views.h - the subcommands of the tcpwatch CLI.  Each takes the parsed
 * options, talks to the module and returns the process exit status:
 * 0 success, 1 runtime failure (module missing, netlink error).
 */
#ifndef TCPWATCH_VIEWS_H
#define TCPWATCH_VIEWS_H

#include <stdbool.h>

#include "render.h"

#define TW_CLI_VERSION	"0.1.0"

#define TW_EXIT_OK	0
#define TW_EXIT_FAIL	1
#define TW_EXIT_USAGE	2

struct tw_opts {
	bool json;
	bool hist;		/* states, listen --hist */
	struct tw_filter flt;
	unsigned long count;	/* events -c: stop after this many; 0: never */
};

int tw_view_sockets(const struct tw_opts *o);
int tw_view_closed(const struct tw_opts *o);
int tw_view_listeners(const struct tw_opts *o);
int tw_view_halfopen(const struct tw_opts *o);
int tw_view_states(const struct tw_opts *o);
int tw_view_events(const struct tw_opts *o);
int tw_view_version(void);

#endif /* TCPWATCH_VIEWS_H */

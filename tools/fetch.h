/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fetch.h - one netlink session to the module for a view that asks many
 * times (top): open it, read the stats and the dumps into arrays, close
 * it.  views.c implements them with the helpers the one-shot views use;
 * each says what failed on stderr and returns an exit status.
 */
#ifndef TCPWATCH_FETCH_H
#define TCPWATCH_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "nl.h"
#include "parse.h"
#include "render.h"

struct tw_session {
	struct tw_nl *nl;
	struct tw_family fam;
};

int tw_session_open(struct tw_session *ss);
void tw_session_close(struct tw_session *ss);

/* GET_STATS into @st. */
int tw_fetch_stats(struct tw_session *ss, struct tw_stats *st);

/*
 * A dump (TCPWATCH_CMD_GET_SOCKETS, _LISTENERS or _HALFOPEN) filtered by
 * @flt, into a malloc()ed array of struct tw_sock, tw_listener or
 * tw_halfopen at *@recs (freed and replaced), *@n records.
 */
int tw_fetch_dump(struct tw_session *ss, uint8_t cmd,
		  const struct tw_filter *flt, void **recs, size_t *n);

#endif /* TCPWATCH_FETCH_H */

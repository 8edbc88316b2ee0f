/* SPDX-License-Identifier: GPL-2.0 */
/* capture.h - what a renderer writes, caught in memory for the tests. */
#ifndef TCPWATCH_TEST_CAPTURE_H
#define TCPWATCH_TEST_CAPTURE_H

#include <stdio.h>

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static inline FILE *cap_start(struct capture *c)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

/* The text written since cap_start(); free() c->buf after. */
static inline const char *cap_end(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

#endif /* TCPWATCH_TEST_CAPTURE_H */

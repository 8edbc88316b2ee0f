/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl.h - the generic netlink socket of the tcpwatch CLI: open it, resolve
 * a family through nlctrl, send a request and run its replies (do or
 * dump) through a callback, join a multicast group, receive
 * notifications, wait on several sockets.
 */
#ifndef TCPWATCH_NL_H
#define TCPWATCH_NL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <libmnl/libmnl.h>

#include "parse.h"

#ifdef MNL_SOCKET_DUMP_SIZE
#define TW_NL_BUFSIZE	(MNL_SOCKET_DUMP_SIZE > 32768 ? MNL_SOCKET_DUMP_SIZE : 32768)
#else
#define TW_NL_BUFSIZE	32768
#endif

/* Room for one request: a genl header and a few small attributes. */
#define TW_NL_REQSIZE	1024

struct tw_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	struct tw_nlerr err;	/* the kernel's last error, if any */
	bool kernel_err;	/* the last failure came from the kernel */
	bool dump_intr;		/* a dump reply had NLM_F_DUMP_INTR */
	char buf[TW_NL_BUFSIZE] __attribute__((aligned(8)));
};

/* Returns 0, or -1 with errno set. */
int tw_nl_open(struct tw_nl *nl);
void tw_nl_close(struct tw_nl *nl);

/*
 * Looks family @name up with CTRL_CMD_GETFAMILY.  Returns 0, or -1 with
 * errno set (ENOENT: no such family, i.e. the module is not loaded).
 */
int tw_nl_resolve(struct tw_nl *nl, const char *name, struct tw_family *fam);

/* Starts a request of @type/@cmd in @buf (TW_NL_REQSIZE bytes, zeroed). */
struct nlmsghdr *tw_nl_put_request(void *buf, uint16_t type, uint8_t cmd,
				   uint8_t version, uint16_t flags);

/*
 * Sends @nlh (its seq is set here) and passes each reply message to @cb
 * until the ACK, NLMSG_DONE or an error.  Returns 0, or -1 with errno set;
 * nl->kernel_err tells whether the kernel sent the error (then nl->err
 * holds its extack message) or @cb failed.
 */
int tw_nl_run(struct tw_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * Whether the last tw_nl_run() failed because its family is gone: the
 * kernel answered ENOENT (no family has the id), EOPNOTSUPP (the id now
 * belongs to another family, without our command) or EPROTONOSUPPORT (a
 * dump of a module being unloaded).  The module was
 * unloaded between the lookup and the request.
 */
bool tw_nl_family_gone(const struct tw_nl *nl);

/* "strerror: extack message" for the last kernel error. */
const char *tw_nl_strerror(const struct tw_nl *nl, char *buf, size_t len);

int tw_nl_join(struct tw_nl *nl, uint32_t group);

/*
 * Asks for @bytes of receive buffer, SO_RCVBUFFORCE first.  Returns the
 * size the kernel granted.
 */
int tw_nl_set_rcvbuf(struct tw_nl *nl, int bytes);

/*
 * Waits (ppoll, with @sigmask in force) until one of the @n sockets has
 * something to read, or an error (such as an overrun) to report, or
 * @timeout_ms passes (-1: forever).  Sets ready[i] for each such socket.
 * Returns how many are ready (0: timeout), or -1 with errno set (EINTR
 * when a signal came).
 */
int tw_nl_wait(struct tw_nl *const *nls, unsigned int n, int timeout_ms,
	       const sigset_t *sigmask, bool *ready);

/*
 * Receives one datagram into nl->buf; with @nonblock only if one is
 * waiting.  Returns its length; 0 if it did not come from the kernel
 * (dropped); or -1 with errno set: ENOBUFS when the kernel dropped
 * messages, EAGAIN when @nonblock and nothing is waiting, ENOSPC when the
 * datagram did not fit.
 */
ssize_t tw_nl_recv(struct tw_nl *nl, bool nonblock);

#endif /* TCPWATCH_NL_H */

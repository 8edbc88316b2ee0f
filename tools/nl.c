// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - the generic netlink socket of the tcpwatch CLI.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int tw_nl_open(struct tw_nl *nl)
{
	int one = 1;

	memset(&nl->err, 0, sizeof(nl->err));
	nl->kernel_err = false;
	nl->dump_intr = false;
	nl->seq = time(NULL);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return -1;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		errno = e;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Both are best effort: old kernels lack them. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_GET_STRICT_CHK, &one,
			      sizeof(one));
	return 0;
}

void tw_nl_close(struct tw_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *tw_nl_put_request(void *buf, uint16_t type, uint8_t cmd,
				   uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, TW_NL_REQSIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct run_ctx {
	struct tw_nl *nl;
	mnl_cb_t cb;
	void *data;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct run_ctx *ctx = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->nl->dump_intr = true;
	return ctx->cb(nlh, ctx->data);
}

/* NLMSG_ERROR (an ACK when error is 0) and NLMSG_DONE. */
static int ctl_end_cb(const struct nlmsghdr *nlh, void *data)
{
	struct run_ctx *ctx = data;
	struct tw_nlerr e;

	if (tw_parse_nlerr(nlh, &e) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!e.error)
		return MNL_CB_STOP;
	ctx->nl->err = e;
	ctx->nl->kernel_err = true;
	errno = e.error;
	return MNL_CB_ERROR;
}

int tw_nl_run(struct tw_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = ctl_end_cb,
		[NLMSG_DONE] = ctl_end_cb,
	};
	struct run_ctx ctx = { nl, cb, data };
	unsigned int seq = ++nl->seq;
	ssize_t n;
	int ret;

	memset(&nl->err, 0, sizeof(nl->err));
	nl->kernel_err = false;
	nl->dump_intr = false;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		ret = mnl_cb_run2(nl->buf, n, seq, nl->portid, data_cb, &ctx,
				  ctl, ARRAY_SIZE(ctl));
		if (ret == MNL_CB_ERROR)
			return -1;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

bool tw_nl_family_gone(const struct tw_nl *nl)
{
	/*
	 * EPROTONOSUPPORT: a dump asked of a module being unloaded, whose
	 * reference netlink_dump_start() could not take.
	 */
	return nl->kernel_err &&
	       (nl->err.error == ENOENT || nl->err.error == EOPNOTSUPP ||
		nl->err.error == EPROTONOSUPPORT);
}

const char *tw_nl_strerror(const struct tw_nl *nl, char *buf, size_t len)
{
	const struct tw_nlerr *e = &nl->err;

	if (e->msg[0])
		snprintf(buf, len, "%s: %s", strerror(e->error), e->msg);
	else if (e->miss_type >= 0)
		snprintf(buf, len, "%s: missing attribute %d",
			 strerror(e->error), e->miss_type);
	else
		snprintf(buf, len, "%s", strerror(e->error));
	return buf;
}

struct resolve_ctx {
	struct tw_family *fam;
	bool found;
};

static int resolve_cb(const struct nlmsghdr *nlh, void *data)
{
	struct resolve_ctx *ctx = data;

	if (tw_parse_family(nlh, ctx->fam) < 0)
		return MNL_CB_ERROR;
	ctx->found = true;
	return MNL_CB_OK;
}

int tw_nl_resolve(struct tw_nl *nl, const char *name, struct tw_family *fam)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct resolve_ctx ctx = { fam, false };
	struct nlmsghdr *nlh;

	nlh = tw_nl_put_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
				NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	if (tw_nl_run(nl, nlh, resolve_cb, &ctx) < 0)
		return -1;
	if (!ctx.found) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int tw_nl_join(struct tw_nl *nl, uint32_t group)
{
	int grp = group;

	return mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				     sizeof(grp));
}

int tw_nl_set_rcvbuf(struct tw_nl *nl, int bytes)
{
	int fd = mnl_socket_get_fd(nl->sock);
	socklen_t len = sizeof(bytes);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, len) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, len);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, &len) < 0)
		return -1;
	return bytes;
}

#define TW_NL_MAX_WAIT	4

int tw_nl_wait(struct tw_nl *const *nls, unsigned int n, int timeout_ms,
	       const sigset_t *sigmask, bool *ready)
{
	struct pollfd pfd[TW_NL_MAX_WAIT];
	struct timespec ts, *tsp = NULL;
	unsigned int i;
	int ret;

	if (n > TW_NL_MAX_WAIT) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		pfd[i].fd = mnl_socket_get_fd(nls[i]->sock);
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
		ready[i] = false;
	}
	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		tsp = &ts;
	}
	ret = ppoll(pfd, n, tsp, sigmask);
	if (ret < 0)
		return -1;
	/* POLLERR too: the overrun is reported by the next recvmsg() */
	for (i = 0; i < n; i++)
		ready[i] = pfd[i].revents != 0;
	return ret;
}

ssize_t tw_nl_recv(struct tw_nl *nl, bool nonblock)
{
	struct sockaddr_nl addr;
	struct iovec iov = { nl->buf, sizeof(nl->buf) };
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(mnl_socket_get_fd(nl->sock), &msg,
		    nonblock ? MSG_DONTWAIT : 0);
	if (n < 0)
		return -1;
	if (msg.msg_flags & MSG_TRUNC) {
		errno = ENOSPC;
		return -1;
	}
	/* only the kernel speaks for nlctrl and for the module */
	if (msg.msg_namelen != sizeof(addr) || addr.nl_pid != 0)
		return 0;
	return n;
}

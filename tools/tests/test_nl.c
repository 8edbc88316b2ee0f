// SPDX-License-Identifier: GPL-2.0
/*
 * test_nl.c - nl.c against the running kernel's own nlctrl family, which
 * every Linux has: family lookup, a missing family, a multipart dump and
 * a kernel error.  Skipped where generic netlink cannot be opened.
 */
#include <errno.h>
#include <stdlib.h>

#include "nl.h"
#include "unit.h"

static struct tw_nl *open_or_skip(void)
{
	struct tw_nl *nl = calloc(1, sizeof(*nl));

	if (!nl || tw_nl_open(nl) < 0) {
		tw_skip("cannot open a NETLINK_GENERIC socket");
		free(nl);
		return NULL;
	}
	return nl;
}

static void done(struct tw_nl *nl)
{
	tw_nl_close(nl);
	free(nl);
}

static void test_resolve_nlctrl(void)
{
	struct tw_nl *nl = open_or_skip();
	struct tw_family fam;

	if (!nl)
		return;
	CHECK_EQ(tw_nl_resolve(nl, "nlctrl", &fam), 0);
	CHECK_EQ(fam.id, GENL_ID_CTRL);
	CHECK_STR(fam.name, "nlctrl");
	CHECK(fam.version >= 1);
	CHECK(tw_family_mcgrp(&fam, "notify") >= 0);
	done(nl);
}

static void test_resolve_missing(void)
{
	struct tw_nl *nl = open_or_skip();
	struct tw_family fam;

	if (!nl)
		return;
	errno = 0;
	CHECK(tw_nl_resolve(nl, "tcpwatch-nope", &fam) < 0);
	CHECK_EQ(errno, ENOENT);
	CHECK(nl->kernel_err);
	CHECK_EQ(nl->err.error, ENOENT);
	/* a name longer than GENL_NAMSIZ - 1: the policy rejects it */
	CHECK(tw_nl_resolve(nl, "tcpwatch-too-long-a-name", &fam) < 0);
	CHECK_EQ(errno, EINVAL);
	done(nl);
}

struct count_ctx {
	unsigned int families;
	bool saw_nlctrl;
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct count_ctx *ctx = data;
	struct tw_family fam;

	if (tw_parse_family(nlh, &fam) < 0)
		return MNL_CB_ERROR;
	ctx->families++;
	if (fam.id == GENL_ID_CTRL)
		ctx->saw_nlctrl = true;
	return MNL_CB_OK;
}

static void test_dump_families(void)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct tw_nl *nl = open_or_skip();
	struct count_ctx ctx = { 0, false };
	struct nlmsghdr *nlh;

	if (!nl)
		return;
	nlh = tw_nl_put_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
				NLM_F_REQUEST | NLM_F_DUMP);
	CHECK_EQ(tw_nl_run(nl, nlh, count_cb, &ctx), 0);
	CHECK(ctx.families >= 1);
	CHECK(ctx.saw_nlctrl);
	/* the socket is reusable: a do request after the dump */
	nlh = tw_nl_put_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
				NLM_F_REQUEST | NLM_F_DUMP);
	ctx.families = 0;
	CHECK_EQ(tw_nl_run(nl, nlh, count_cb, &ctx), 0);
	CHECK(ctx.families >= 1);
	done(nl);
}

static void test_kernel_error(void)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct tw_nl *nl = open_or_skip();
	struct count_ctx ctx = { 0, false };
	struct nlmsghdr *nlh;
	char msg[320];

	if (!nl)
		return;
	/* GETFAMILY as a do without a name or id: the kernel says EINVAL */
	nlh = tw_nl_put_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
				NLM_F_REQUEST | NLM_F_ACK);
	errno = 0;
	CHECK(tw_nl_run(nl, nlh, count_cb, &ctx) < 0);
	CHECK(nl->kernel_err);
	CHECK(nl->err.error != 0);
	CHECK_EQ(errno, nl->err.error);
	CHECK(strlen(tw_nl_strerror(nl, msg, sizeof(msg))) > 0);
	CHECK(!tw_nl_family_gone(nl));	/* a bad request, not a gone family */
	done(nl);
}

/*
 * A request to a family id nobody has, as when the module is unloaded
 * between the lookup and the request: ENOENT from the kernel.
 * GENL_MAX_ID itself is never handed out.
 */
static void test_family_gone(void)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct tw_nl *nl = open_or_skip();
	struct count_ctx ctx = { 0, false };
	struct nlmsghdr *nlh;

	if (!nl)
		return;
	nlh = tw_nl_put_request(buf, GENL_MAX_ID, TCPWATCH_CMD_GET_SOCKETS,
				TCPWATCH_GENL_VERSION,
				NLM_F_REQUEST | NLM_F_DUMP);
	errno = 0;
	CHECK(tw_nl_run(nl, nlh, count_cb, &ctx) < 0);
	CHECK_EQ(errno, ENOENT);
	CHECK(tw_nl_family_gone(nl));
	CHECK_EQ(ctx.families, 0);
	/* a callback's own ENOENT is not the kernel's */
	nl->kernel_err = false;
	CHECK(!tw_nl_family_gone(nl));
	nl->kernel_err = true;
	nl->err.error = EOPNOTSUPP;
	CHECK(tw_nl_family_gone(nl));
	/* a dump of a module on its way out */
	nl->err.error = EPROTONOSUPPORT;
	CHECK(tw_nl_family_gone(nl));
	nl->err.error = EPERM;
	CHECK(!tw_nl_family_gone(nl));
	done(nl);
}

/*
 * Two sockets waited on together, as `events` does: one joined to
 * nlctrl's "notify" group (quiet unless a family comes or goes), one
 * with a reply waiting.
 */
static void test_wait_two(void)
{
	char buf[TW_NL_REQSIZE] __attribute__((aligned(8)));
	struct tw_nl *a = open_or_skip(), *b = open_or_skip();
	struct tw_nl *socks[2] = { a, b };
	struct tw_family fam;
	struct nlmsghdr *nlh;
	bool ready[2] = { true, true };
	sigset_t none;
	int64_t grp;
	ssize_t n;

	if (!a || !b)
		goto out;
	sigemptyset(&none);
	CHECK_EQ(tw_nl_resolve(a, "nlctrl", &fam), 0);
	grp = tw_family_mcgrp(&fam, "notify");
	CHECK(grp > 0);
	CHECK_EQ(tw_nl_join(a, grp), 0);
	CHECK_EQ(tw_nl_wait(socks, 2, 0, &none, ready), 0);
	CHECK(!ready[0] && !ready[1]);
	errno = 0;
	CHECK(tw_nl_recv(a, true) < 0);
	CHECK_EQ(errno, EAGAIN);

	nlh = tw_nl_put_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
				NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	CHECK(mnl_socket_sendto(b->sock, nlh, nlh->nlmsg_len) > 0);
	CHECK_EQ(tw_nl_wait(socks, 2, 5000, &none, ready), 1);
	CHECK(!ready[0] && ready[1]);
	n = tw_nl_recv(b, true);
	CHECK(n > 0);
	if (n > 0) {
		nlh = (struct nlmsghdr *)b->buf;
		CHECK_EQ(nlh->nlmsg_type, GENL_ID_CTRL);
		CHECK(tw_parse_family(nlh, &fam) == 0 &&
		      fam.id == GENL_ID_CTRL);
		CHECK(!tw_ctrl_family_gone(nlh, "nlctrl", GENL_ID_CTRL));
	}
	while (tw_nl_recv(b, true) > 0)
		;		/* the ACK */
	CHECK_EQ(errno, EAGAIN);
out:
	if (a)
		done(a);
	if (b)
		done(b);
}

const struct tw_test nl_tests[] = {
	{ "nl_resolve_nlctrl", test_resolve_nlctrl },
	{ "nl_resolve_missing_family", test_resolve_missing },
	{ "nl_dump_multipart", test_dump_families },
	{ "nl_kernel_error", test_kernel_error },
	{ "nl_request_family_gone", test_family_gone },
	{ "nl_wait_two_sockets", test_wait_two },
	{ NULL, NULL },
};

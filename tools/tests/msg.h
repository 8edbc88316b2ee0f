/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msg.h - builds tcpwatch netlink messages by hand, the way the module
 * does, for the parser and renderer tests.
 */
#ifndef TCPWATCH_TEST_MSG_H
#define TCPWATCH_TEST_MSG_H

#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "uapi/linux/tcpwatch.h"

#define TEST_FAMILY_ID	0x1d	/* what nlctrl might hand out */
#define TEST_BUFSIZE	16384

static inline struct nlmsghdr *msg_start(void *buf, uint16_t type,
					 uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, TEST_BUFSIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 1234;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = TCPWATCH_GENL_VERSION;
	return nlh;
}

/* A pad attribute, as nla_put_u64_64bit() may add before a u64. */
static inline void put_pad(struct nlmsghdr *nlh, uint16_t type)
{
	mnl_attr_put(nlh, type, 0, NULL);
}

struct sock_spec {
	int family;
	const char *saddr;
	const char *daddr;
	uint16_t sport;
	uint16_t dport;
	uint8_t state;
};

/* The required attributes of a TCPWATCH_SOCK_A nest. */
static inline void put_sock_tuple(struct nlmsghdr *nlh,
				  const struct sock_spec *s)
{
	uint8_t a[16], b[16];
	size_t alen = s->family == AF_INET ? 4 : 16;

	inet_pton(s->family, s->saddr, a);
	inet_pton(s->family, s->daddr, b);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_FAMILY, s->family);
	mnl_attr_put_u8(nlh, TCPWATCH_SOCK_A_STATE, s->state);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_SADDR, alen, a);
	mnl_attr_put(nlh, TCPWATCH_SOCK_A_DADDR, alen, b);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_SPORT, s->sport);
	mnl_attr_put_u16(nlh, TCPWATCH_SOCK_A_DPORT, s->dport);
}

#endif /* TCPWATCH_TEST_MSG_H */

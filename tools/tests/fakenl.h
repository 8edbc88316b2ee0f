/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fakenl.h - a stand-in for the kernel behind libmnl's socket calls, for
 * the CLI benchmark: fakenl.c defines mnl_socket_open() .. _recvfrom(),
 * which the linker prefers to libmnl's (and recvmsg() and ppoll() for
 * an events socket, which it prefers to libc's), answers the nlctrl
 * lookups of "tcpwatch" and "nlctrl", and serves a GET_SOCKETS dump of
 * synthetic rows or a stream of events, built the way module/genl.c
 * builds them.  nl.c, views.c, parse.c and render.c run unchanged on
 * top.
 */
#ifndef TCPWATCH_TEST_FAKENL_H
#define TCPWATCH_TEST_FAKENL_H

#include <stddef.h>

/*
 * Builds the dump of @n rows (a fixed mix of IPv4/IPv6 established,
 * TIME_WAIT, request and listening sockets, @seed picking the values)
 * into 32 KiB datagrams, as the kernel fills a dump's skbs.  Returns 0 or
 * -1 (ENOMEM); the bytes of the rows' messages go to *@bytes.
 */
int fakenl_build(size_t n, unsigned int seed, size_t *bytes);
/*
 * The dump recorded in file @path instead: a GET_SOCKETS reply as a
 * reader received it from the module, its datagrams one after another
 * (NLMSG_DONE and any torn end are left out), served again in 32 KiB
 * datagrams under the fake family's id.  Sets *@n to its messages.  0 or
 * -1 with errno set.
 */
int fakenl_load(const char *path, size_t *n, size_t *bytes);
/*
 * Builds @n events of the "events" multicast group as the module batches
 * them (a connection's life on loopback, again and again), handed out
 * one batch per wakeup of the reader.  0 or -1 (ENOMEM).
 */
int fakenl_build_events(size_t n, unsigned int seed, size_t *bytes);
void fakenl_free(void);

#endif /* TCPWATCH_TEST_FAKENL_H */

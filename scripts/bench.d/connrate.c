// SPDX-License-Identifier: GPL-2.0
/*
 * TCP load for scripts/bench, in C so that the measurement is the
 * kernel's cost, not an interpreter's.
 *
 *   connrate server ADDR PORT         echo one byte, then close first (the
 *                                     server keeps the TIME_WAIT, so the
 *                                     client's ports stay reusable)
 *   connrate client ADDR PORT N P [RATE]
 *                                     N short connections from P threads
 *                                     (connect, send a byte, read it, read
 *                                     EOF, close), at most RATE per second
 *                                     in all if given; prints
 *                                     "conns N secs S rate R"
 *   connrate sink ADDR PORT           accept and hold every connection
 *   connrate hold ADDR PORT N [FIRST] open N connections from local ports
 *                                     FIRST (10000) up and hold them;
 *                                     prints "held N", then sleeps
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_storage peer;
static socklen_t peer_len;
static long per_thread;
static double interval_s;		/* per thread, 0: as fast as possible */

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void parse_addr(const char *addr, const char *port)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)&peer;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&peer;

	memset(&peer, 0, sizeof(peer));
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(atoi(port));
		peer_len = sizeof(*a4);
	} else if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(atoi(port));
		peer_len = sizeof(*a6);
	} else {
		fprintf(stderr, "connrate: bad address %s\n", addr);
		exit(2);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int listener(void)
{
	int one = 1, fd = socket(peer.ss_family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&peer, peer_len) ||
	    listen(fd, 4096))
		die("bind/listen");
	printf("listening\n");
	fflush(stdout);
	return fd;
}

static void *serve(void *arg)
{
	int lfd = *(int *)arg;
	char b;

	for (;;) {
		int c = accept(lfd, NULL, NULL);

		if (c < 0)
			continue;
		if (read(c, &b, 1) == 1 && write(c, &b, 1) != 1)
			perror("write");
		close(c);
	}
	return NULL;
}

static void *client(void *arg)
{
	double next = now_s();
	long i;
	char b = 'x';

	for (i = 0; i < per_thread; i++) {
		int fd = socket(peer.ss_family, SOCK_STREAM, 0);

		if (fd < 0 || connect(fd, (struct sockaddr *)&peer, peer_len))
			die("connect");
		if (write(fd, &b, 1) != 1 || read(fd, &b, 1) != 1)
			die("echo");
		while (read(fd, &b, 1) > 0)
			;
		close(fd);
		if (interval_s > 0) {
			double t;

			next += interval_s;
			t = next - now_s();
			if (t > 0)
				usleep(t * 1e6);
		}
	}
	return arg;
}

static int bind_port(int fd, int port)
{
	struct sockaddr_storage a;

	memset(&a, 0, sizeof(a));
	a.ss_family = peer.ss_family;
	if (a.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&a)->sin_port = htons(port);
	return bind(fd, (struct sockaddr *)&a, peer_len);
}

static void raise_nofile(void)
{
	struct rlimit r = { 1 << 20, 1 << 20 };

	if (setrlimit(RLIMIT_NOFILE, &r))
		die("setrlimit(NOFILE)");
}

int main(int argc, char **argv)
{
	pthread_t th[64];
	int i, n;

	if (argc < 4)
		goto usage;
	parse_addr(argv[2], argv[3]);
	if (!strcmp(argv[1], "server")) {
		int lfd = listener();

		for (i = 0; i < 4; i++)
			pthread_create(&th[i], NULL, serve, &lfd);
		serve(&lfd);
	} else if (!strcmp(argv[1], "client") && argc >= 6) {
		long total = atol(argv[4]);
		double t0;

		n = atoi(argv[5]);
		if (n < 1 || n > 64 || total < n)
			goto usage;
		per_thread = total / n;
		if (argc > 6 && atof(argv[6]) > 0)
			interval_s = n / atof(argv[6]);
		t0 = now_s();
		for (i = 0; i < n; i++)
			pthread_create(&th[i], NULL, client, NULL);
		for (i = 0; i < n; i++)
			pthread_join(th[i], NULL);
		t0 = now_s() - t0;
		printf("conns %ld secs %.3f rate %.1f\n", per_thread * n, t0,
		       per_thread * n / t0);
	} else if (!strcmp(argv[1], "sink")) {
		int lfd;

		raise_nofile();
		lfd = listener();
		for (;;)
			if (accept(lfd, NULL, NULL) < 0 && errno == EMFILE)
				die("accept");
	} else if (!strcmp(argv[1], "hold") && argc >= 5) {
		long k, want = atol(argv[4]);

		int port = argc > 5 ? atoi(argv[5]) : 10000;

		raise_nofile();
		for (k = 0; k < want; k++) {
			int fd = socket(peer.ss_family, SOCK_STREAM, 0);

			if (fd < 0)
				die("hold: socket");
			/*
			 * An explicit port each: connect()'s own search for a
			 * free port gets slower with every connection held.
			 */
			while (bind_port(fd, port++))
				if (port > 65535)
					die("hold: no free port");
			if (connect(fd, (struct sockaddr *)&peer, peer_len))
				die("hold: connect");
		}
		printf("held %ld\n", want);
		fflush(stdout);
		pause();
	} else {
		goto usage;
	}
	return 0;
usage:
	fprintf(stderr, "usage: connrate server|sink ADDR PORT | client ADDR PORT N P [RATE] | hold ADDR PORT N [FIRST]\n");
	return 2;
}

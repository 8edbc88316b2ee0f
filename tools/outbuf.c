// SPDX-License-Identifier: GPL-2.0
/*
 * outbuf.c - output gathered in memory, handed to stdio in large pieces.
 */
#include <errno.h>
#include <unistd.h>

#include "outbuf.h"

const char tw_digit_pairs[200] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

/*
 * Straight to the file descriptor, once the FILE's own buffer is out:
 * fwrite() copied every byte into that buffer first (38 MB for sockets -j
 * of 50,000 rows; in the test VM, with libc's vector copy emulated, a
 * good part of what the CLI cost).  A memory stream has no descriptor:
 * fwrite() then.  Write errors are dropped, as fwrite()'s were.
 */
void tw_out_flush(struct tw_out *w)
{
	const char *p = w->buf;
	size_t n = w->len;
	int fd;

	w->len = 0;
	if (!n)
		return;
	fd = fileno(w->f);
	if (fd < 0 || fflush(w->f)) {
		fwrite(p, 1, n, w->f);
		return;
	}
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		p += k;
		n -= k;
	}
}

void tw_out_write_slow(struct tw_out *w, const char *s, size_t n)
{
	tw_out_flush(w);
	if (n >= sizeof(w->buf)) {
		fwrite(s, 1, n, w->f);
		return;
	}
	memcpy(w->buf, s, n);
	w->len = n;
}

void tw_out_pad(struct tw_out *w, size_t n)
{
	static const char spaces[] = "                                ";

	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		tw_out_write(w, spaces, k);
		n -= k;
	}
}

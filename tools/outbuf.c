// SPDX-License-Identifier: GPL-2.0
/*
 * outbuf.c - output gathered in memory, handed to stdio in large pieces.
 */
#include "outbuf.h"

void tw_out_flush(struct tw_out *w)
{
	if (w->len)
		fwrite(w->buf, 1, w->len, w->f);
	w->len = 0;
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

void tw_out_u64(struct tw_out *w, uint64_t v)
{
	/* the digits end at tmp + 24; a fixed-size copy takes them */
	char tmp[48], *d = tw_dec(tmp + 24, v);
	char *p = tw_out_room(w, 24);

	memcpy(p, d, 24);
	tw_out_commit(w, p + (tmp + 24 - d));
}

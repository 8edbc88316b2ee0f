// SPDX-License-Identifier: GPL-2.0
/*
 * outbuf.c - output gathered in memory, handed to stdio in large pieces.
 */
#include "outbuf.h"

const char tw_digit_pairs[200] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

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

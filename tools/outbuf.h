/* SPDX-License-Identifier: GPL-2.0 */
/*
 * outbuf.h - output gathered in memory and handed to stdio in large
 * pieces.  A socket row is some fifty JSON fields or seven table cells;
 * a stdio call for each (fprintf above all) cost more than everything
 * else `tcpwatch sockets` does with the row.
 */
#ifndef TCPWATCH_OUTBUF_H
#define TCPWATCH_OUTBUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TW_OUT_SIZE	8192

struct tw_out {
	FILE *f;
	size_t len;
	char buf[TW_OUT_SIZE];
};

static inline void tw_out_init(struct tw_out *w, FILE *f)
{
	w->f = f;
	w->len = 0;
}

/* Hands what is gathered to the FILE; call before anything else uses it. */
void tw_out_flush(struct tw_out *w);
/* The slow path of tw_out_write(): @s does not fit. */
void tw_out_write_slow(struct tw_out *w, const char *s, size_t n);
/* @n spaces. */
void tw_out_pad(struct tw_out *w, size_t n);

/*
 * Room for @n (at most TW_OUT_SIZE) bytes written in place: where they
 * go; tw_out_commit() then says where they end.
 */
static inline char *tw_out_room(struct tw_out *w, size_t n)
{
	if (n > sizeof(w->buf) - w->len)
		tw_out_flush(w);
	return w->buf + w->len;
}

static inline void tw_out_commit(struct tw_out *w, const char *end)
{
	w->len = end - w->buf;
}

/*
 * @n bytes from @s to @d.  Copies of a few bytes, the most of them by
 * far, are a plain loop: as fast as memcpy() natively, and several times
 * faster under QEMU's TCG (the test VM), where libc's vector routines
 * are emulated.
 */
static inline void tw_copy(char *d, const char *s, size_t n)
{
	if (n > 64) {
		memcpy(d, s, n);
		return;
	}
	while (n--)
		*d++ = *s++;
}

static inline void tw_out_write(struct tw_out *w, const char *s, size_t n)
{
	if (n > sizeof(w->buf) - w->len) {
		tw_out_write_slow(w, s, n);
		return;
	}
	tw_copy(w->buf + w->len, s, n);
	w->len += n;
}

static inline void tw_out_puts(struct tw_out *w, const char *s)
{
	tw_out_write(w, s, strlen(s));
}

static inline void tw_out_putc(struct tw_out *w, char c)
{
	if (w->len == sizeof(w->buf))
		tw_out_flush(w);
	w->buf[w->len++] = c;
}

/*
 * @v in decimal, its last digit just before @end (no NUL); returns its
 * first digit.  Room for 20 digits is enough.  Two digits a division.
 */
static inline char *tw_dec(char *end, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";

	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * v, 2);
	} else {
		*--end = '0' + v;
	}
	return end;
}

/* @v in decimal. */
void tw_out_u64(struct tw_out *w, uint64_t v);

#endif /* TCPWATCH_OUTBUF_H */

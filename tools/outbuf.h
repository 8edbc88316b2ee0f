/* SPDX-License-Identifier: GPL-2.0 */
/*
 * outbuf.h - output gathered in memory and handed to stdio in large
 * pieces.  A socket row is some fifty JSON fields or seven table cells;
 * a stdio call for each (fprintf above all) cost more than everything
 * else `tcpwatch sockets` does with the row.
 */
#ifndef TCPWATCH_OUTBUF_H
#define TCPWATCH_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * As large as stdout's buffer into a pipe: a stream of events has its
 * tw_out for its only buffer, stdout's would but copy it once more.
 */
#define TW_OUT_SIZE	65536

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

/*
 * A string literal: its length is known when compiled, and memcpy() of
 * it a few moves.
 */
#define tw_out_lit(w, s)	tw_out_const(w, "" s, sizeof(s) - 1)

static inline void tw_out_const(struct tw_out *w, const char *s, size_t n)
{
	char *p = tw_out_room(w, n);

	memcpy(p, s, n);
	tw_out_commit(w, p + n);
}

static inline void tw_out_putc(struct tw_out *w, char c)
{
	if (w->len == sizeof(w->buf))
		tw_out_flush(w);
	w->buf[w->len++] = c;
}

/* "00" "01" .. "99": two digits at a time */
extern const char tw_digit_pairs[200];

/* The last two digits of @v (< 2^32) just before @end; returns @v / 100. */
static inline uint32_t tw_dec2(char *end, uint32_t v)
{
	uint32_t q = v / 100;

	memcpy(end - 2, tw_digit_pairs + 2 * (v - q * 100), 2);
	return q;
}

/*
 * @v in decimal, its last digit just before @end (no NUL); returns its
 * first digit.  Room for 20 digits is enough.  Eight digits at a time
 * in 32-bit arithmetic (a 64-bit division each), then two at a time.
 */
static inline char *tw_dec(char *end, uint64_t v)
{
	uint32_t x;

	while (v >= 100000000) {
		x = v % 100000000;
		v /= 100000000;
		x = tw_dec2(end, x);
		x = tw_dec2(end - 2, x);
		x = tw_dec2(end - 4, x);
		tw_dec2(end - 6, x);
		end -= 8;
	}
	for (x = v; x >= 100; end -= 2)
		x = tw_dec2(end, x);
	if (x >= 10) {
		end -= 2;
		memcpy(end, tw_digit_pairs + 2 * x, 2);
	} else {
		*--end = '0' + x;
	}
	return end;
}

/* How many decimal digits @v has. */
static inline unsigned int tw_ndigits(uint64_t v)
{
	static const uint64_t pow10[20] = {
		0, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
		100000000, 1000000000, 10000000000ULL, 100000000000ULL,
		1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
		1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL, 1000000000000000000ULL,
		10000000000000000000ULL,
	};
	/* log10(2) ~ 1233 / 4096: the digits of 2^bits, then a correction */
	unsigned int t = (64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + 1 - (v < pow10[t]);
}

/* @v in decimal at @p (20 bytes at most, no NUL); returns the end. */
static inline char *tw_put_u64(char *p, uint64_t v)
{
	char *end = p + tw_ndigits(v);

	tw_dec(end, v);
	return end;
}

/* @v in decimal. */
static inline void tw_out_u64(struct tw_out *w, uint64_t v)
{
	tw_out_commit(w, tw_put_u64(tw_out_room(w, 20), v));
}

/* @s at @p, up to its NUL (not copied); returns the end. */
static inline char *tw_put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/*
 * The text from @start to @end padded with spaces to @width (at most
 * 32) bytes, as printf's "%-*s" would; needs 32 bytes of room at @end.
 * Returns the new end.
 */
static inline char *tw_pad_to(char *start, char *end, size_t width)
{
	memcpy(end, "                                ", 32);
	return end - start < (ptrdiff_t)width ? start + width : end;
}

#endif /* TCPWATCH_OUTBUF_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * top.c - `tcpwatch top`: the live view.  On a terminal a full-screen
 * ncurses screen, refreshed every interval and driven by keys; otherwise
 * the same content as plain text every interval.  The numbers and rows
 * come from top_model.c.
 */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "format.h"
#include "top_model.h"
#include "views.h"

#define DEFAULT_INTERVAL_MS	1000
#define DEFAULT_STUCK_MS	60000
#define FILTER_LEN		64

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* One refresh into @snap (emptied first).  Returns an exit status. */
static int take(struct tw_session *ss, const struct tw_opts *o,
		struct tw_top_snap *snap)
{
	struct tw_filter none = { 0 };
	int ret;

	tw_top_snap_free(snap);
	ret = tw_fetch_stats(ss, &snap->st);
	if (ret)
		return ret;
	snap->has_stats = true;
	ret = tw_fetch_dump(ss, TCPWATCH_CMD_GET_SOCKETS, &o->flt,
			    (void **)&snap->socks, &snap->nsocks);
	if (!ret)
		ret = tw_fetch_dump(ss, TCPWATCH_CMD_GET_LISTENERS, &none,
				    (void **)&snap->ls, &snap->nls);
	if (!ret)
		ret = tw_fetch_dump(ss, TCPWATCH_CMD_GET_HALFOPEN, &none,
				    (void **)&snap->hos, &snap->nhos);
	tw_top_index_halfopen(snap);
	snap->mono_ns = mono_ns();
	return ret;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

/* Not a terminal: the screen as text, every interval. */
static int run_plain(struct tw_session *ss, const struct tw_opts *o,
		     unsigned long interval_ms, uint64_t stuck_ns)
{
	struct tw_top_snap snap[2] = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long done = 0;
	int cur = 0, ret = TW_EXIT_OK;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		struct tw_top_rates r;
		struct tw_top_row *rows;
		char when[32];
		size_t n;

		ret = take(ss, o, &snap[cur]);
		if (ret)
			break;
		tw_top_rates(done ? &snap[!cur] : NULL, &snap[cur], &r);
		rows = tw_top_rows(&snap[cur], NULL, TW_COL_STATE, false,
				   stuck_ns, &n);
		tw_fmt_clock(when, sizeof(when), (uint64_t)time(NULL) *
			     1000000000ULL);
		printf("%s--- tcpwatch top %.8s, %zu sockets\n",
		       done ? "\n" : "", when, snap[cur].nsocks);
		tw_top_print_plain(stdout, &snap[cur], &r, rows, n);
		fflush(stdout);
		free(rows);
		cur = !cur;
		if (o->count && ++done >= o->count)
			break;
		done += !o->count;
		/* interrupted by a signal: stop says so */
		usleep(interval_ms * 1000);
	}
	tw_top_snap_free(&snap[0]);
	tw_top_snap_free(&snap[1]);
	return ret;
}

enum {
	PAIR_STUCK = 1,
	PAIR_TITLE,
	PAIR_BAR,
};

struct screen {
	enum tw_top_col sort;
	bool reverse;
	bool paused;
	bool editing;
	char filter[FILTER_LEN];
	char edit[FILTER_LEN];
	unsigned long interval_ms;
	uint64_t stuck_ns;
};

/* Text lines of @f's buffer, drawn from row @y; returns the next row. */
static int draw_text(int y, const char *text, attr_t attr)
{
	const char *p = text;

	while (*p && y < LINES) {
		size_t n = strcspn(p, "\n");

		attron(attr);
		mvaddnstr(y, 0, p, n < (size_t)COLS ? (int)n : COLS);
		attroff(attr);
		y++;
		p += n;
		if (*p)
			p++;
	}
	return y;
}

static int draw_header(int y, const struct tw_top_snap *snap,
		       const struct tw_top_rates *r, const struct screen *sc)
{
	char title[256], when[32], *buf = NULL;
	size_t len = 0;
	FILE *f;

	tw_fmt_clock(when, sizeof(when), (uint64_t)time(NULL) * 1000000000ULL);
	snprintf(title, sizeof(title),
		 "tcpwatch top  module %s  netns %u  every %lu.%lus  %.8s%s",
		 snap->st.has_version ? snap->st.version : "?", snap->st.netns,
		 sc->interval_ms / 1000, sc->interval_ms % 1000 / 100, when,
		 sc->paused ? "  [paused]" : "");
	y = draw_text(y, title, A_BOLD);
	f = open_memstream(&buf, &len);
	if (!f)
		return y;
	tw_top_print_header(f, snap, r);
	fclose(f);
	y = draw_text(y, buf, A_NORMAL);
	free(buf);
	return y;
}

static int draw_listeners(int y, const struct tw_top_snap *snap, int max)
{
	size_t i;

	if (y >= LINES)
		return y;
	attron(A_BOLD);
	mvaddnstr(y++, 0, "Listener                    SYN queue                 Accept queue              drops SYN/Acc",
		  COLS);
	attroff(A_BOLD);
	for (i = 0; i < snap->nls && (int)i < max && y < LINES; i++) {
		const struct tw_listener *l = &snap->ls[i];
		char local[64], sq[48], aq[48], line[256];
		bool full = l->backlog && (l->synq_len >= l->backlog ||
					   l->acceptq_len >= l->backlog);

		tw_fmt_endpoint(local, sizeof(local), l->family, l->addr,
				l->port);
		tw_top_queue_bar(sq, sizeof(sq), l->synq_len, l->backlog, 12);
		tw_top_queue_bar(aq, sizeof(aq), l->acceptq_len, l->backlog,
				 12);
		snprintf(line, sizeof(line), "%-27.27s %-25s %-25s %llu/%llu",
			 local, sq, aq, (unsigned long long)l->hs.synq_drops,
			 (unsigned long long)l->hs.acceptq_drops);
		if (full)
			attron(COLOR_PAIR(PAIR_STUCK) | A_BOLD);
		mvaddnstr(y++, 0, line, COLS);
		if (full)
			attroff(COLOR_PAIR(PAIR_STUCK) | A_BOLD);
	}
	if (snap->nls > (size_t)max && y < LINES)
		mvprintw(y++, 0, "  ... %zu more", snap->nls - max);
	return y;
}

static void draw_table(int y, const struct tw_top_row *rows, size_t n,
		       const struct screen *sc)
{
	size_t w[TW_NCOLS], i;
	unsigned int c;
	int x, bottom = LINES - 1;

	for (c = 0; c < TW_NCOLS; c++)
		w[c] = strlen(tw_top_headers[c]) + 1;	/* + sort mark */
	for (i = 0; i < n && (int)i < bottom - y; i++)
		for (c = 0; c < TW_NCOLS; c++)
			if (strlen(rows[i].cells[c]) > w[c])
				w[c] = strlen(rows[i].cells[c]);
	if (y >= bottom)
		return;
	/* the header, with the sort column marked */
	attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	x = 2;
	for (c = 0; c < TW_NCOLS && x < COLS; c++) {
		char h[32];

		snprintf(h, sizeof(h), "%s%s", tw_top_headers[c],
			 c == sc->sort ? (sc->reverse ? "v" : "^") : "");
		mvprintw(y, x, tw_top_right[c] ? "%*s" : "%-*s", (int)w[c], h);
		x += w[c] + 2;
	}
	attroff(A_REVERSE);
	y++;
	for (i = 0; i < n && y < bottom; i++, y++) {
		const struct tw_top_row *r = &rows[i];
		char why[8];

		if (r->stuck)
			attron(COLOR_PAIR(PAIR_STUCK) | A_BOLD);
		move(y, 0);
		clrtoeol();
		mvaddnstr(y, 0, r->stuck ?
			  tw_top_stuck_str(why, sizeof(why), r->stuck) : "",
			  1);
		x = 2;
		for (c = 0; c < TW_NCOLS && x < COLS; c++) {
			char cell[TW_TOP_CELL + 8];

			snprintf(cell, sizeof(cell),
				 tw_top_right[c] ? "%*s" : "%-*s", (int)w[c],
				 r->cells[c]);
			mvaddnstr(y, x, cell, COLS - x);
			x += w[c] + 2;
		}
		if (r->stuck)
			attroff(COLOR_PAIR(PAIR_STUCK) | A_BOLD);
	}
}

static void draw(const struct tw_top_snap *snap, const struct tw_top_rates *r,
		 const struct tw_top_row *rows, size_t n,
		 const struct screen *sc)
{
	char foot[256];
	int y;

	erase();
	y = draw_header(0, snap, r, sc);
	y = draw_listeners(y, snap, LINES / 5 > 2 ? LINES / 5 : 2);
	draw_table(y, rows, n, sc);
	if (sc->editing)
		snprintf(foot, sizeof(foot), "filter (port, address, state; empty clears): %s_",
			 sc->edit);
	else
		snprintf(foot, sizeof(foot),
			 "%zu/%zu sockets%s%s%s  q quit  </> sort  r reverse  / filter  p pause  ! C F H R: stuck",
			 n, snap->nsocks, sc->filter[0] ? "  filter: " : "",
			 sc->filter, sc->filter[0] ? "" : "");
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	mvaddnstr(LINES - 1, 0, foot, COLS);
	attroff(A_REVERSE);
	refresh();
}

/* A key while the filter is being typed. */
static void edit_key(struct screen *sc, int ch)
{
	size_t len = strlen(sc->edit);

	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		snprintf(sc->filter, sizeof(sc->filter), "%s", sc->edit);
		sc->editing = false;
	} else if (ch == 27) {	/* Esc: keep the old filter */
		sc->editing = false;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (len)
			sc->edit[len - 1] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && len + 1 < sizeof(sc->edit)) {
		sc->edit[len] = ch;
		sc->edit[len + 1] = '\0';
	}
}

/* A key otherwise; returns false to quit, sets *now to refresh now. */
static bool command_key(struct screen *sc, int ch, bool *now)
{
	switch (ch) {
	case 'q':
	case 'Q':
		return false;
	case '<':
	case KEY_LEFT:
		sc->sort = (sc->sort + TW_NCOLS - 1) % TW_NCOLS;
		break;
	case '>':
	case KEY_RIGHT:
	case KEY_F(6):
		sc->sort = (sc->sort + 1) % TW_NCOLS;
		break;
	case 'r':
	case 'R':
		sc->reverse = !sc->reverse;
		break;
	case '/':
		sc->editing = true;
		snprintf(sc->edit, sizeof(sc->edit), "%s", sc->filter);
		break;
	case 'p':
	case 'P':
		sc->paused = !sc->paused;
		break;
	case ' ':
		*now = true;
		break;
	default:
		if (ch >= '1' && ch <= '9' && ch - '1' < TW_NCOLS)
			sc->sort = ch - '1';
	}
	return true;
}

static int run_screen(struct tw_session *ss, const struct tw_opts *o,
		      struct screen *sc)
{
	struct tw_top_snap snap[2] = { 0 };
	struct tw_top_rates r = { 0 };
	struct tw_top_row *rows = NULL;
	uint64_t next = 0;
	int cur = 0, ret = TW_EXIT_OK;
	bool taken = false, dirty = true, running = true;
	int saved_stderr;
	size_t n = 0;
	FILE *errs;

	setlocale(LC_ALL, "");
	/* what goes to stderr while the screen is up is shown after it */
	errs = tmpfile();
	saved_stderr = errs ? dup(STDERR_FILENO) : -1;
	if (saved_stderr >= 0)
		dup2(fileno(errs), STDERR_FILENO);
	if (!initscr()) {
		if (saved_stderr >= 0) {
			dup2(saved_stderr, STDERR_FILENO);
			close(saved_stderr);
		}
		if (errs)
			fclose(errs);
		fprintf(stderr, "tcpwatch: cannot start the terminal screen\n");
		return TW_EXIT_FAIL;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(100);
	set_escdelay(25);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_STUCK, COLOR_RED, -1);
		init_pair(PAIR_TITLE, COLOR_CYAN, -1);
		init_pair(PAIR_BAR, COLOR_GREEN, -1);
	}
	while (running && !stop) {
		uint64_t t = mono_ns();
		int ch;

		if (t >= next && (!sc->paused || !taken)) {
			ret = take(ss, o, &snap[cur]);
			if (ret)
				break;
			tw_top_rates(taken ? &snap[!cur] : NULL, &snap[cur], &r);
			taken = true;
			cur = !cur;
			next = t + sc->interval_ms * 1000000ULL;
			dirty = true;
		}
		if (dirty) {
			const struct tw_top_snap *s = &snap[!cur];

			free(rows);
			rows = tw_top_rows(s, sc->filter, sc->sort,
					   sc->reverse, sc->stuck_ns, &n);
			if (!rows)
				n = 0;
			draw(s, &r, rows, n, sc);
			dirty = false;
		}
		ch = getch();
		if (ch == ERR)
			continue;
		dirty = true;
		if (ch == KEY_RESIZE)
			continue;
		if (sc->editing) {
			edit_key(sc, ch);
		} else {
			bool now = false;

			running = command_key(sc, ch, &now);
			if (now)
				next = 0;
		}
	}
	endwin();
	if (saved_stderr >= 0) {
		char line[512];

		fflush(stderr);
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		rewind(errs);
		while (fgets(line, sizeof(line), errs))
			fputs(line, stderr);
	}
	if (errs)
		fclose(errs);
	free(rows);
	tw_top_snap_free(&snap[0]);
	tw_top_snap_free(&snap[1]);
	return ret;
}

int tw_view_top(const struct tw_opts *o)
{
	struct tw_session ss = { 0 };
	struct screen sc = {
		.sort = TW_COL_STATE,
		.interval_ms = o->has_interval ? o->interval_ms :
			       DEFAULT_INTERVAL_MS,
		.stuck_ns = (o->stuck_ms ? o->stuck_ms : DEFAULT_STUCK_MS) *
			    1000000ULL,
	};
	int ret;

	if (o->json) {
		fprintf(stderr, "tcpwatch: top has no JSON output; use 'sockets -j', 'listen -j' and 'states -j' (see 'tcpwatch top --help')\n");
		return TW_EXIT_USAGE;
	}
	ret = tw_session_open(&ss);
	if (ret)
		return ret;
	if (isatty(STDOUT_FILENO) && isatty(STDIN_FILENO))
		ret = run_screen(&ss, o, &sc);
	else
		ret = run_plain(&ss, o, sc.interval_ms, sc.stuck_ns);
	tw_session_close(&ss);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * export.h - `tcpwatch export`: the Prometheus exporter, over HTTP
 * (libmicrohttpd) or into a node_exporter textfile.  It parses its own
 * options, so main.c hands it argv.
 */
#ifndef TCPWATCH_EXPORT_H
#define TCPWATCH_EXPORT_H

/*
 * In the exporters' range (9100-9999) of Prometheus's port allocation
 * wiki; not registered there (README: choose another with --listen).
 */
#define TW_EXPORT_PORT		9977
#define TW_EXPORT_ADDR		"127.0.0.1"
#define TW_EXPORT_INTERVAL	15	/* s, --textfile without --once */
#define TW_EXPORT_MAX_LISTENERS	64

#define TW_EXPORT_SYNOPSIS \
"tcpwatch export [--listen ADDR:PORT | --textfile PATH [--interval S | --once]] [--max-listeners N]"

extern const char tw_export_help[];

/* argv[0] is "export"; returns the exit status. */
int tw_export_main(int argc, char **argv);

#endif /* TCPWATCH_EXPORT_H */

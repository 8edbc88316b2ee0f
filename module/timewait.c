// SPDX-License-Identifier: GPL-2.0
/*
 * The end of a timewait sock.  No tracepoint marks it, so a kprobe on
 * inet_twsk_kill(), through which every hashed timewait sock leaves the
 * kernel's tables (its timer expiring, a SYN or connect() reusing it, an
 * RST, netns teardown), ends its record at once.  Without the kprobe, the
 * GC pass (track.c) finds those records every second; with it, GC is only
 * a safety net and runs every 30 s unless gc_ms says otherwise.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include "tcpwatch.h"

/* inet_twsk_kill(tw): static, and out of line in 5.10, 6.1, 6.12, 7.2 */
static int tcpw_twkill_pre(struct kprobe *kp, struct pt_regs *regs)
{
	tcpw_track_tw_gone((const struct sock *)regs_get_kernel_argument(regs, 0));
	return 0;
}

static struct kprobe tcpw_twkill_kp = {
	.symbol_name = "inet_twsk_kill",
	.pre_handler = tcpw_twkill_pre,
};

static bool tcpw_twkill_on;

void tcpw_timewait_register(void)
{
	int err = register_kprobe(&tcpw_twkill_kp);

	if (err)
		pr_warn("kprobe inet_twsk_kill not attached (%d): timewait ends are found by a pass every %u ms\n",
			err, tcpw_gc_interval_ms(false));
	tcpw_twkill_on = !err;
}

void tcpw_timewait_unregister(void)
{
	if (tcpw_twkill_on)
		unregister_kprobe(&tcpw_twkill_kp);
	tcpw_twkill_on = false;
}

bool tcpw_timewait_hooked(void)
{
	return tcpw_twkill_on;
}

/* "inet_twsk_kill" or "inet_twsk_kill(off)", and its misses */
void tcpw_timewait_status(struct seq_file *m)
{
	seq_printf(m, "timewait kprobe: %s%s, missed %lu\n",
		   tcpw_twkill_kp.symbol_name, tcpw_twkill_on ? "" : "(off)",
		   tcpw_twkill_on ? tcpw_twkill_kp.nmissed : 0UL);
}

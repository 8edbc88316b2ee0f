// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns counters, per CPU so the probe never shares a cache line
 * with another CPU; readers add the CPUs up.
 */
#include <linux/percpu.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include "tcpwatch.h"

int tcpw_stats_init(struct tcpw_net *tn)
{
	tn->stats = alloc_percpu(struct tcpw_pcpu_stats);
	return tn->stats ? 0 : -ENOMEM;
}

void tcpw_stats_free(struct tcpw_net *tn)
{
	free_percpu(tn->stats);
	tn->stats = NULL;
}

void tcpw_stats_sum(struct tcpw_net *tn, struct tcpw_pcpu_stats *sum)
{
	u64 *dst = (u64 *)sum;
	unsigned int i, n = sizeof(*sum) / sizeof(u64);
	int cpu;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const u64 *src = (const u64 *)per_cpu_ptr(tn->stats, cpu);

		for (i = 0; i < n; i++)
			dst[i] += READ_ONCE(src[i]);
	}
}

/* Slot 0 holds 0 µs; slot i holds [2^(i-1), 2^i) µs; the last is open. */
unsigned int tcpw_hist_slot(u64 us)
{
	unsigned int slot = us ? ilog2(us) + 1 : 0;

	return min_t(unsigned int, slot, TCPWATCH_HIST_SLOTS - 1);
}

/* @v in the histogram's unit: µs, or a count for SYNACK_RETRANS. */
void tcpw_khist_add(struct tcpw_net *tn, int kind, u64 v)
{
	if (kind <= TCPWATCH_HIST_STATE_TIME || kind >= TCPW_NKINDS)
		return;
	this_cpu_inc(tn->stats->khist[kind][tcpw_hist_slot(v)]);
	this_cpu_add(tn->stats->khist_sum[kind], v);
}

/* Called from the probe and from GC: preemption may be on, so this_cpu. */
void tcpw_hist_add(struct tcpw_net *tn, int state, u64 ns)
{
	u64 us = div_u64(ns, NSEC_PER_USEC);

	if (state <= 0 || state >= TCPWATCH_NSTATES)
		return;
	this_cpu_inc(tn->stats->hist[state][tcpw_hist_slot(us)]);
	this_cpu_add(tn->stats->hist_sum_us[state], us);
}

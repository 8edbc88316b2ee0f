// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns counters, per CPU so the probe never shares a cache line
 * with another CPU; readers add the CPUs up.
 */
#include <linux/percpu.h>
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

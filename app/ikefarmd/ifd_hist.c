/* SPDX-License-Identifier: BSD-3-Clause */
#include "ifd_hist.h"

const uint32_t ifd_hist_bounds_us[IFD_HIST_BUCKETS - 1] = {
	5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 50000, 100000,
};

#define STORE_INC(x, n) __atomic_store_n(&(x), (x) + (n), __ATOMIC_RELAXED)

void
ifd_hist_add(struct ifd_hist *h, uint64_t ns)
{
	unsigned b = 0;

	while (b < IFD_HIST_BUCKETS - 1 && ns > (uint64_t)ifd_hist_bounds_us[b] * 1000)
		b++;
	STORE_INC(h->bucket[b], 1);
	STORE_INC(h->count, 1);
	STORE_INC(h->sum_ns, ns);
}

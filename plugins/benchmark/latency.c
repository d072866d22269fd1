/* latency.c — the benchmark's fixed log-scale latency histogram. See latency.h. */
#include "latency.h"

#include <string.h>

/* Position of the highest set bit of v (v > 0). */
static unsigned top_bit(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

/* Values below LATENCY_SUB_COUNT are their own index; above, the index is the value's
 * power of two (its "magnitude") and the next LATENCY_SUB_BITS bits below the top one. */
static size_t bucket_of(uint64_t ns)
{
	if (ns < LATENCY_SUB_COUNT)
		return (size_t)ns;
	unsigned bit = top_bit(ns);
	if (bit > LATENCY_TOP_BIT)
		return LATENCY_BUCKETS - 1;
	unsigned shift = bit - LATENCY_SUB_BITS;
	size_t sub = (size_t)(ns >> shift) - LATENCY_SUB_COUNT; /* 0 .. SUB_COUNT-1 */
	return (size_t)(shift + 1) * LATENCY_SUB_COUNT + sub;
}

/* The lowest value of a bucket and its width. */
static void bucket_range(size_t index, double *low, double *width)
{
	if (index < LATENCY_SUB_COUNT) {
		*low = (double)index;
		*width = 1;
		return;
	}
	unsigned shift = (unsigned)(index / LATENCY_SUB_COUNT) - 1;
	size_t sub = index % LATENCY_SUB_COUNT;
	*width = (double)((uint64_t)1 << shift);
	*low = (double)((uint64_t)(LATENCY_SUB_COUNT + sub) << shift);
}

void latency_reset(latency_histogram *h)
{
	memset(h, 0, sizeof *h);
}

void latency_record(latency_histogram *h, uint64_t ns)
{
	if (h->count == 0 || ns < h->min_ns)
		h->min_ns = ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	h->count++;
	h->sum_ns += (long double)ns;
	h->buckets[bucket_of(ns)]++;
}

void latency_merge(latency_histogram *into, const latency_histogram *from)
{
	if (from->count == 0)
		return;
	if (into->count == 0 || from->min_ns < into->min_ns)
		into->min_ns = from->min_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
	into->count += from->count;
	into->sum_ns += from->sum_ns;
	for (size_t i = 0; i < LATENCY_BUCKETS; i++)
		into->buckets[i] += from->buckets[i];
}

double latency_percentile_ns(const latency_histogram *h, double fraction)
{
	if (h->count == 0)
		return 0;
	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	/* nearest rank: the ceil(fraction * count)-th value, at least the first */
	double exact = fraction * (double)h->count;
	uint64_t rank = (uint64_t)exact;
	if ((double)rank < exact)
		rank++;
	if (rank == 0)
		rank = 1;
	uint64_t seen = 0;
	for (size_t i = 0; i < LATENCY_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen < rank)
			continue;
		double low, width;
		bucket_range(i, &low, &width);
		double value = width > 1 ? low + width / 2 : low;
		if (value < (double)h->min_ns)
			value = (double)h->min_ns;
		if (value > (double)h->max_ns)
			value = (double)h->max_ns;
		return value;
	}
	return (double)h->max_ns;
}

double latency_mean_ns(const latency_histogram *h)
{
	return h->count ? (double)(h->sum_ns / (long double)h->count) : 0;
}

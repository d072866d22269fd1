/*
 * latency.h — a fixed-size latency histogram for the benchmark's clients.
 *
 * HdrHistogram's layout, simplified: values in nanoseconds; below 2^SUB_BITS each value has
 * its own bucket, above it each power of two is split into 2^SUB_BITS equal sub-buckets, so
 * any recorded value is known to within 1/64 (1.6%) of itself. No per-sample storage: one
 * histogram is ~18 KiB whatever the number of queries; each client fills its own (no locks)
 * and the check merges them at the end. Exact count, sum, min and max are kept beside the
 * buckets, so the mean and the maximum are exact and percentiles never exceed the maximum.
 */
#ifndef VIGIL_BENCHMARK_LATENCY_H
#define VIGIL_BENCHMARK_LATENCY_H

#include <stdint.h>

#define LATENCY_SUB_BITS 6
#define LATENCY_SUB_COUNT (1u << LATENCY_SUB_BITS)
/* Values from 2^LATENCY_TOP_BIT ns (~1100 s) on share the last bucket. */
#define LATENCY_TOP_BIT 39
#define LATENCY_BUCKETS ((LATENCY_TOP_BIT - LATENCY_SUB_BITS + 2) * LATENCY_SUB_COUNT)

typedef struct latency_histogram {
	uint64_t count;
	uint64_t min_ns, max_ns;
	long double sum_ns; /* exact enough for any count a benchmark reaches */
	uint64_t buckets[LATENCY_BUCKETS];
} latency_histogram;

/** Empties h. */
void latency_reset(latency_histogram *h);
/** Adds one value in nanoseconds. */
void latency_record(latency_histogram *h, uint64_t ns);
/** Adds every value of `from` into `into`. */
void latency_merge(latency_histogram *into, const latency_histogram *from);
/**
 * The value (ns) at `fraction` (0..1) of the recorded values, nearest-rank: the middle of
 * the bucket holding the ceil(fraction * count)-th smallest value, kept within [min, max].
 * 0 when nothing was recorded.
 */
double latency_percentile_ns(const latency_histogram *h, double fraction);
/** The exact mean (ns); 0 when nothing was recorded. */
double latency_mean_ns(const latency_histogram *h);

#endif
